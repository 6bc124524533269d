/**
 * BZPOPMAX key [key ...] timeout
 *
 * ZPOPMAX of the first sorted set among the keys, replied as [key, member, score]; blocks while
 * there is none. Propagated as ZPOPMAX key. See blocking-zpop.ts.
 */
import type { Command } from '../types.js';
import { defineBzpop } from './blocking-zpop.js';

export const bzpopmax: Command = defineBzpop('max', {
  summary:
    'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
  since: '5.0.0',
  group: 'sorted-set',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
});
