/**
 * PUBLISH channel message
 *
 * Sends the message to the channel's subscribers (`message`) and to every client of every matching
 * pattern (`pmessage`); replies the number of receivers. Propagated as received (publish-generic.ts).
 */
import { type Command, NO_KEYS } from '../types.js';
import { definePublish } from './publish-generic.js';

export const publish: Command = definePublish(false, NO_KEYS, {
  summary: 'Post a message to a channel',
  since: '2.0.0',
  group: 'pubsub',
  complexity:
    'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
});
