/**
 * SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
 *
 * SORT without STORE, allowed where writes are not (read-only replicas). See sort-generic.ts.
 */
import { type Command, defineCommand } from '../types.js';
import { executeSort, parseSort, type SortArgs } from './sort-generic.js';

export const sortRo: Command = defineCommand<SortArgs>({
  name: 'sort_ro',
  arity: -2,
  syntax:
    'key [BY pattern] [LIMIT offset:integer count:integer] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]',
  flags: ['readonly', 'movablekeys'],
  aclCategories: ['@read', '@set', '@sortedset', '@list', '@slow', '@dangerous'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
    since: '7.0.0',
    group: 'generic',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
  },
  parse: (argv) => parseSort(argv, true),
  execute: executeSort,
});
