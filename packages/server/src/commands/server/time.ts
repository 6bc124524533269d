/**
 * TIME
 *
 * Replies the server's wall clock as [unix seconds, microseconds] (bulk strings). Under simulation
 * this is the host's virtual wall clock, skew included.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const time: Command = defineCommand<null>({
  name: 'time',
  arity: 1,
  syntax: '',
  flags: ['loading', 'stale', 'fast'],
  aclCategories: ['@fast'],
  keys: NO_KEYS,
  doc: {
    summary: 'Return the current server time',
    since: '2.6.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    const wallMs = ctx.node.env.clock.wallMs();
    const seconds = Math.floor(wallMs / 1000);
    const micros = Math.floor((wallMs - seconds * 1000) * 1000);
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk(String(seconds));
    ctx.reply.bulk(String(micros));
    return undefined;
  },
});
