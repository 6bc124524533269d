/**
 * PSUBSCRIBE pattern [pattern ...]
 *
 * Subscribes the client to each glob pattern; it then receives `pmessage` pushes. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineSubscribe } from './subscribe-generic.js';

export const psubscribe: Command = defineSubscribe('pattern', {
  summary: 'Listen for messages published to channels matching the given patterns',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
});
