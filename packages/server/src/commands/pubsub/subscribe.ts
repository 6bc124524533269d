/**
 * SUBSCRIBE channel [channel ...]
 *
 * Subscribes the client to each channel; it then receives `message` pushes. Replies and counts: subscribe-generic.ts.
 */
import type { Command } from '../types.js';
import { defineSubscribe } from './subscribe-generic.js';

export const subscribe: Command = defineSubscribe('channel', {
  summary: 'Listen for messages published to the given channels',
  since: '2.0.0',
  group: 'pubsub',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
});
