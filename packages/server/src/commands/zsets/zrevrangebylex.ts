/**
 * ZREVRANGEBYLEX key max min [LIMIT offset count]
 *
 * ZRANGE ... BYLEX REV: max first, descending order.
 *
 * Parsing and the range engine are shared: see zrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeRange, parseRange, type RangeArgs, type RangeVariant } from './zrange-generic.js';

const VARIANT: RangeVariant = { keyIndex: 1, type: 'lex', direction: 'reverse' };

export const zrevrangebylex: Command = defineCommand<RangeArgs>({
  name: 'zrevrangebylex',
  arity: -4,
  syntax: 'key max:string min:string [LIMIT offset:integer count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary:
      'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    since: '2.8.9',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
  },
  parse: (argv) => parseRange(argv, VARIANT),
  execute: executeRange,
});
