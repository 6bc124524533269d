/**
 * ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
 *
 * Stores the result in `destination` (replacing it, TTL included; an empty result deletes it)
 * and replies its size. Propagated as received. See zsetops-generic.ts for the rules.
 */
import { storeKeyFlags, storeKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeSetOp, parseSetOp, type SetOpArgs, type SetOpVariant } from './zsetops-generic.js';

const VARIANT: SetOpVariant = { name: 'zinterstore', op: 'inter', store: true, cardinality: false };

export const zinterstore: Command = defineCommand<SetOpArgs>({
  name: 'zinterstore',
  arity: -4,
  syntax:
    'destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE SUM|MIN|MAX]',
  flags: ['write', 'denyoom', 'movablekeys'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: ONE_KEY,
  keyIndexes: storeKeyIndexes,
  keyFlags: storeKeyFlags,
  doc: {
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
    since: '2.0.0',
    group: 'sorted-set',
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  },
  parse: (argv) => parseSetOp(argv, VARIANT),
  execute: executeSetOp,
});
