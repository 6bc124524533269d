/**
 * ZREMRANGEBYLEX key min max
 *
 * Removes the members in the lex range ("[x", "(x", "-", "+"). Replies how many were removed; see zremrange-generic.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeZRemRange, parseZRemRange, type ZRemRangeArgs } from './zremrange-generic.js';

export const zremrangebylex: Command = defineCommand<ZRemRangeArgs>({
  name: 'zremrangebylex',
  arity: 4,
  syntax: 'key min:string max:string',
  flags: ['write'],
  aclCategories: ['@write', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove all members in a sorted set between the given lexicographical range',
    since: '2.8.9',
    group: 'sorted-set',
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  },
  parse: (argv) => parseZRemRange(argv, 'lex'),
  execute: executeZRemRange,
});
