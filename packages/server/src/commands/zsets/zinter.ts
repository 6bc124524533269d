/**
 * ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
 *
 * Replies the resulting members in score order, WITHSCORES adding their scores. See zsetops-generic.ts for the rules.
 */
import { mpopKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { executeSetOp, parseSetOp, type SetOpArgs, type SetOpVariant } from './zsetops-generic.js';

const VARIANT: SetOpVariant = { name: 'zinter', op: 'inter', store: false, cardinality: false };

export const zinter: Command = defineCommand<SetOpArgs>({
  name: 'zinter',
  arity: -3,
  syntax:
    'numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]',
  flags: ['readonly', 'movablekeys'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: NO_KEYS,
  keyIndexes: (argv) => mpopKeyIndexes(argv, 1),
  doc: {
    summary: 'Intersect multiple sorted sets',
    since: '6.2.0',
    group: 'sorted-set',
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  },
  parse: (argv) => parseSetOp(argv, VARIANT),
  execute: executeSetOp,
});
