/**
 * ECHO message
 *
 * Replies the message as a bulk string.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const echo: Command = defineCommand<Buffer>({
  name: 'echo',
  arity: 2,
  syntax: 'message',
  flags: ['fast'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: {
    summary: 'Echo the given string',
    since: '1.0.0',
    group: 'connection',
    complexity: 'O(1)',
  },
  parse: (argv) => argv[1] ?? Buffer.alloc(0),
  execute(ctx, message) {
    ctx.reply.bulk(message);
    return undefined;
  },
});
