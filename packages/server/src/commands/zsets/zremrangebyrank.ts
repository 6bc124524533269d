/**
 * ZREMRANGEBYRANK key start stop
 *
 * Removes the members with rank in [start, stop] (negative indexes count from the end). Replies how many were removed; see zremrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeZRemRange, parseZRemRange, type ZRemRangeArgs } from './zremrange-generic.js';

export const zremrangebyrank: Command = defineCommand<ZRemRangeArgs>({
  name: 'zremrangebyrank',
  arity: 4,
  syntax: 'key start:integer stop:integer',
  flags: ['write'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove all members in a sorted set within the given indexes',
    since: '2.0.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  },
  parse: (argv) => parseZRemRange(argv, 'rank'),
  execute: executeZRemRange,
});
