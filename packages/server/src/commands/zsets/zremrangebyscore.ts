/**
 * ZREMRANGEBYSCORE key min max
 *
 * Removes the members with a score in the range ("(" excludes a bound; -inf and +inf). Replies how many were removed; see zremrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeZRemRange, parseZRemRange, type ZRemRangeArgs } from './zremrange-generic.js';

export const zremrangebyscore: Command = defineCommand<ZRemRangeArgs>({
  name: 'zremrangebyscore',
  arity: 4,
  syntax: 'key min:double max:double',
  flags: ['write'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove all members in a sorted set within the given scores',
    since: '1.2.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  },
  parse: (argv) => parseZRemRange(argv, 'score'),
  execute: executeZRemRange,
});
