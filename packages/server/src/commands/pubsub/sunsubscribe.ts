/**
 * SUNSUBSCRIBE [shardchannel [shardchannel ...]]
 *
 * Unsubscribes from the shard channels given, or from all of them. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineUnsubscribe } from './subscribe-generic.js';

export const sunsubscribe: Command = defineUnsubscribe('shard', {
  summary: 'Stop listening for messages posted to the given shard channels',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
});
