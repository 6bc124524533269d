/**
 * UNSUBSCRIBE [channel [channel ...]]
 *
 * Unsubscribes from the channels given, or from all of them. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineUnsubscribe } from './subscribe-generic.js';

export const unsubscribe: Command = defineUnsubscribe('channel', {
  summary: 'Stop listening for messages posted to the given channels',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
});
