/**
 * SPUBLISH shardchannel message
 *
 * Sends the message to the shard channel's subscribers (`smessage`; patterns never see shard
 * channels); replies the number of receivers. Propagated as received (publish-generic.ts).
 */
import type { Command } from '../types.js';
import { definePublish } from './publish-generic.js';

export const spublish: Command = definePublish(
  true,
  { first: 1, last: 1, step: 1 },
  {
    summary: 'Post a message to a shard channel',
    since: '7.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  },
);
