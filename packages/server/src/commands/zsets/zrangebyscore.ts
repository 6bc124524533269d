/**
 * ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
 *
 * ZRANGE ... BYSCORE. LIMIT skips `offset` members and returns at most `count` (negative: all).
 *
 * Parsing and the range engine are shared: see zrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeRange, parseRange, type RangeArgs, type RangeVariant } from './zrange-generic.js';

const VARIANT: RangeVariant = { keyIndex: 1, type: 'score', direction: 'forward' };

export const zrangebyscore: Command = defineCommand<RangeArgs>({
  name: 'zrangebyscore',
  arity: -4,
  syntax: 'key min:double max:double [WITHSCORES] [LIMIT offset:integer count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Return a range of members in a sorted set, by score',
    since: '1.0.5',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  },
  parse: (argv) => parseRange(argv, VARIANT),
  execute: executeRange,
});
