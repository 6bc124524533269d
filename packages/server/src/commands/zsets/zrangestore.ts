/**
 * ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
 *
 * Stores what ZRANGE would reply into `dst` (replacing it, TTL included) and replies its size; an
 * empty result deletes `dst`. Propagated as received.
 *
 * Parsing and the range engine are shared: see zrange-generic.ts.
 */
import { type Command, defineCommand } from '../types.js';
import { executeRange, parseRange, type RangeArgs, type RangeVariant } from './zrange-generic.js';

const VARIANT: RangeVariant = { keyIndex: 2, type: undefined, direction: undefined };

export const zrangestore: Command = defineCommand<RangeArgs>({
  name: 'zrangestore',
  arity: -5,
  syntax:
    'dst:key src:key min:string max:string [BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Store a range of members from sorted set into another key',
    since: '6.2.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  },
  parse: (argv) => parseRange(argv, VARIANT),
  execute: executeRange,
});
