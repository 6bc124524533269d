/**
 * PING [message]
 *
 * Replies +PONG, or the message as a bulk string; a client subscribed to Pub/Sub in RESP2 gets
 * `*2 pong <message or "">` instead. Redis declares arity -1 and rejects more than one
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
    // A subscribed RESP2 client gets PING's answer in the shape of a message: [pong, message].
    if (ctx.client.protocol === 2 && ctx.client.subscriptions.total > 0) {
      ctx.reply.arrayHeader(2);
      ctx.reply.bulk('pong');
      ctx.reply.bulk(message ?? Buffer.alloc(0));
      return undefined;
    }
    if (message === undefined) ctx.reply.simple('PONG');
    else ctx.reply.bulk(message);
    return undefined;
  },
});
