/**
 * ZDIFF numkeys key [key ...] [WITHSCORES]
 *
 * Replies the resulting members in score order, WITHSCORES adding their scores. See zsetops-generic.ts for the rules.
 */
import { mpopKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { executeSetOp, parseSetOp, type SetOpArgs, type SetOpVariant } from './zsetops-generic.js';

const VARIANT: SetOpVariant = { name: 'zdiff', op: 'diff', store: false, cardinality: false };

export const zdiff: Command = defineCommand<SetOpArgs>({
  name: 'zdiff',
  arity: -3,
  syntax: 'numkeys:integer key [key ...] [WITHSCORES]',
  flags: ['readonly', 'movablekeys'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: NO_KEYS,
  keyIndexes: (argv) => mpopKeyIndexes(argv, 1),
  doc: {
    summary: 'Subtract multiple sorted sets',
    since: '6.2.0',
    group: 'sorted-set',
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  },
  parse: (argv) => parseSetOp(argv, VARIANT),
  execute: executeSetOp,
});
