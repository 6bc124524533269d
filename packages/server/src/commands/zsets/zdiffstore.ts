/**
 * ZDIFFSTORE destination numkeys key [key ...]
 *
 * Stores the result in `destination` (replacing it, TTL included; an empty result deletes it)
 * and replies its size. Propagated as received. See zsetops-generic.ts for the rules.
 */
import { storeKeyFlags, storeKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeSetOp, parseSetOp, type SetOpArgs, type SetOpVariant } from './zsetops-generic.js';

const VARIANT: SetOpVariant = { name: 'zdiffstore', op: 'diff', store: true, cardinality: false };

export const zdiffstore: Command = defineCommand<SetOpArgs>({
  name: 'zdiffstore',
  arity: -4,
  syntax: 'destination:key numkeys:integer key [key ...]',
  flags: ['write', 'denyoom', 'movablekeys'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: ONE_KEY,
  keyIndexes: storeKeyIndexes,
  keyFlags: storeKeyFlags,
  doc: {
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
    since: '6.2.0',
    group: 'sorted-set',
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  },
  parse: (argv) => parseSetOp(argv, VARIANT),
  execute: executeSetOp,
});
