/**
 * SSUBSCRIBE shardchannel [shardchannel ...]
 *
 * Subscribes the client to each shard channel (SPUBLISH); it then receives `smessage` pushes. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineSubscribe } from './subscribe-generic.js';

export const ssubscribe: Command = defineSubscribe('shard', {
  summary: 'Listen for messages published to the given shard channels',
  since: '7.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
});
