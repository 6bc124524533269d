/**
 * QUIT
 *
 * Replies +OK, then the server closes the connection once the reply is flushed. Commands pipelined
 * after QUIT are not run.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const quit: Command = defineCommand<null>({
  name: 'quit',
  arity: -1,
  syntax: '',
  flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: { summary: 'Close the connection', since: '1.0.0', group: 'connection', complexity: 'O(1)' },
  parse: () => null,
  execute(ctx) {
    ctx.reply.simple('OK');
    ctx.client.closing = true;
    return undefined;
  },
});
