/**
 * PING [message]
 *
 * Replies +PONG, or the message as a bulk string. Redis declares arity -1 and rejects more than one
 * argument inside the command, with the usual arity error.
 */
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

export const ping: Command = defineCommand<{ message: Buffer | undefined }>({
  name: 'ping',
  arity: -1,
  syntax: '[message]',
  flags: ['fast', 'sentinel'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: { summary: 'Ping the server', since: '1.0.0', group: 'connection', complexity: 'O(1)' },
  parse(argv) {
    if (argv.length > 2) return new ErrorReply("ERR wrong number of arguments for 'ping' command");
    return { message: argv[1] };
  },
  execute(ctx, { message }) {
    if (message === undefined) ctx.reply.simple('PONG');
    else ctx.reply.bulk(message);
    return undefined;
  },
});
