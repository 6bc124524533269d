/**
 * BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
 *
 * LMOVE if the source is not empty; otherwise blocks on the source until it receives elements or
 * `timeout` seconds pass (0 = forever; then a null array). Inside MULTI an empty source replies a
 * null bulk. Propagated as LMOVE. Details and errors: blocking-generic.ts and commands/timeout.ts.
 */
import type { Command } from '../types.js';
import { defineBlockingMove } from './blocking-generic.js';

export const blmove: Command = defineBlockingMove('blmove', undefined, {
  summary:
    'Pop an element from a list, push it to another list and return it; or block until one is available',
  since: '6.2.0',
  group: 'list',
  complexity: 'O(1)',
});
