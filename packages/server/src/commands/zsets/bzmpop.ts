/**
 * BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
 *
 * ZMPOP that blocks until one of the keys holds a sorted set or `timeout` seconds pass (0 =
 * forever), then replies a null array. See blocking-zpop.ts.
 */
import type { Command } from '../types.js';
import { defineZmpop } from './blocking-zpop.js';

export const bzmpop: Command = defineZmpop(true, {
  summary: 'Remove and return members with scores in a sorted set or block until one is available',
  since: '7.0.0',
  group: 'sorted-set',
  complexity:
    'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
});
