/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
 * [STORE destination]
 *
 * Sorts a list, set or sorted set, numerically or ALPHA, by its elements or by values named by a
 * pattern, and replies the result or STOREs it as a list. See sort-generic.ts.
 */
import { type Command, defineCommand } from '../types.js';
import { executeSort, parseSort, type SortArgs, sortKeyIndexes } from './sort-generic.js';

export const sort: Command = defineCommand<SortArgs>({
  name: 'sort',
  arity: -2,
  syntax:
    'key [BY pattern] [LIMIT offset:integer count:integer] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination:key]',
  flags: ['write', 'denyoom', 'movablekeys'],
  aclCategories: ['@write', '@set', '@sortedset', '@list', '@slow', '@dangerous'],
  keys: { first: 1, last: 1, step: 1 },
  keyIndexes: sortKeyIndexes,
  keyFlags: (index) => (index === 1 ? ['RO', 'access'] : ['OW', 'update']),
  doc: {
    summary: 'Sort the elements in a list, set or sorted set',
    since: '1.0.0',
    group: 'generic',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
  },
  parse: (argv) => parseSort(argv, false),
  execute: executeSort,
});
