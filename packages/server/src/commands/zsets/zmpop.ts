/**
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
 *
 * Pops up to `count` members from the first sorted set among the keys, replied as
 * [key, [[member, score] ...]], or a null array; propagated as ZPOPMIN/ZPOPMAX key n.
 * See blocking-zpop.ts.
 */
import type { Command } from '../types.js';
import { defineZmpop } from './blocking-zpop.js';

export const zmpop: Command = defineZmpop(false, {
  summary: 'Remove and return members with scores in a sorted set',
  since: '7.0.0',
  group: 'sorted-set',
  complexity:
    'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
});
