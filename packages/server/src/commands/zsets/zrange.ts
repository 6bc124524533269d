/**
 * ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
 *
 * Replies the members of a rank range (default), a score range (BYSCORE) or a lex range (BYLEX),
 * in ascending order or, with REV, descending (score and lex ranges are then given max first).
 *
 * Parsing and the range engine are shared: see zrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeRange, parseRange, type RangeArgs, type RangeVariant } from './zrange-generic.js';

const VARIANT: RangeVariant = { keyIndex: 1, type: undefined, direction: undefined };

export const zrange: Command = defineCommand<RangeArgs>({
  name: 'zrange',
  arity: -4,
  syntax:
    'key start:string stop:string [BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer] [WITHSCORES]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Return a range of members in a sorted set',
    since: '1.2.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  },
  parse: (argv) => parseRange(argv, VARIANT),
  execute: executeRange,
});
