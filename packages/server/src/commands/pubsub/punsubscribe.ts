/**
 * PUNSUBSCRIBE [pattern [pattern ...]]
 *
 * Unsubscribes from the patterns given, or from all of them. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineUnsubscribe } from './subscribe-generic.js';

export const punsubscribe: Command = defineUnsubscribe('pattern', {
  summary: 'Stop listening for messages posted to channels matching the given patterns',
  since: '2.0.0',
  group: 'pubsub',
  complexity:
    'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
});
