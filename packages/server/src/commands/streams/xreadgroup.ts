/**
 * XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...]
 * id [id ...]
 *
 * `>` delivers entries no consumer of the group has seen (adding them to the consumer's pending
 * list unless NOACK); another ID replays the consumer's own pending entries after it. Propagated as
 * XCLAIM ... / XGROUP SETID / XGROUP CREATECONSUMER, never as itself. Details: read-generic.ts.
 */
import type { Command } from '../types.js';
import { defineRead } from './read-generic.js';

export const xreadgroup: Command = defineRead('xreadgroup', true, {
  summary:
    'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
});
