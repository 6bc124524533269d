/**
 * XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
 *
 * The entries after each ID (`$`: the stream's last ID), for the streams that have any; with BLOCK
 * waits for the first XADD to one of them. Details, errors and blocking: read-generic.ts.
 */
import type { Command } from '../types.js';
import { defineRead } from './read-generic.js';

export const xread: Command = defineRead('xread', false, {
  summary:
    'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
});
