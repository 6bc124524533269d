/**
 * ZREVRANGE key start stop [WITHSCORES]
 *
 * ZRANGE of a rank range in descending order.
 *
 * Parsing and the range engine are shared: see zrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeRange, parseRange, type RangeArgs, type RangeVariant } from './zrange-generic.js';

const VARIANT: RangeVariant = { keyIndex: 1, type: 'rank', direction: 'reverse' };

export const zrevrange: Command = defineCommand<RangeArgs>({
  name: 'zrevrange',
  arity: -4,
  syntax: 'key start:integer stop:integer [WITHSCORES]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary:
      'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    since: '1.2.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
  },
  parse: (argv) => parseRange(argv, VARIANT),
  execute: executeRange,
});
