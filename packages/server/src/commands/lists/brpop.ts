/**
 * BRPOP key [key ...] timeout
 *
 * RPOP of the first non-empty list among the keys, replied as [key, element]; if all are empty,
 * blocks until one receives elements or `timeout` seconds pass (0 = forever), then replies a null
 * array. Propagated as RPOP key. Details and errors: blocking-generic.ts and commands/timeout.ts.
 */
import type { Command } from '../types.js';
import { defineBlockingPop } from './blocking-generic.js';

export const brpop: Command = defineBlockingPop('brpop', 'right', {
  summary: 'Remove and get the last element in a list, or block until one is available',
  since: '2.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of provided keys.',
});
