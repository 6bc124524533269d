/**
 * MONITOR
 *
 * Turns the connection into a monitor: +OK, then one status line per command any client runs
 * (monitoring/monitor.ts). A monitor may still QUIT or RESET; commands touching the keyspace are
 * refused as Redis refuses them to a replica-like client. Inside MULTI it is refused; a client
 * already monitoring gets no reply, as in Redis.
 */
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

export const monitor: Command = defineCommand<null>({
  name: 'monitor',
  arity: 1,
  syntax: '',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Listen for all requests received by the server in real time',
    since: '1.0.0',
    group: 'server',
    complexity: '',
  },
  parse: () => null,
  execute(ctx) {
    const { node, client } = ctx;
    if (client.denyBlocking) {
      return new ErrorReply("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if (node.monitors.has(client) || node.master.isReplicaClient(client)) return undefined;
    node.monitors.add(client);
    ctx.reply.simple('OK');
    return undefined;
  },
});
