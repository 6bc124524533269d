/**
 * ZINTERCARD numkeys key [key ...] [LIMIT limit]
 *
 * Replies the size of the intersection, stopping early at LIMIT (0: no limit). See zsetops-generic.ts for the rules.
 */
import { mpopKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { executeSetOp, parseSetOp, type SetOpArgs, type SetOpVariant } from './zsetops-generic.js';

const VARIANT: SetOpVariant = { name: 'zintercard', op: 'inter', store: false, cardinality: true };

export const zintercard: Command = defineCommand<SetOpArgs>({
  name: 'zintercard',
  arity: -3,
  syntax: 'numkeys:integer key [key ...] [LIMIT limit:integer]',
  flags: ['readonly', 'movablekeys'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: NO_KEYS,
  keyIndexes: (argv) => mpopKeyIndexes(argv, 1),
  doc: {
    summary: 'Intersect multiple sorted sets and return the cardinality of the result',
    since: '7.0.0',
    group: 'sorted-set',
    complexity:
      'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  },
  parse: (argv) => parseSetOp(argv, VARIANT),
  execute: executeSetOp,
});
