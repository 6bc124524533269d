/**
 * ROLE
 *
 * This node's place in replication, in Redis 7.0's exact shapes (reference §4.7):
 *
 * - master:  `master`, master_repl_offset, and per ONLINE replica [ip, port, acked offset], the
 *   port and offset as bulk strings
 * - replica: `slave`, master host, master port, link state (none|connect|connecting|handshake|
 *   sync|connected), and the applied offset (-1 before a master client exists)
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const role: Command = defineCommand<null>({
  name: 'role',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'fast'],
  aclCategories: ['@admin', '@fast', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Return the role of the instance in the context of replication',
    since: '2.8.12',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    const node = ctx.node;
    const reply = ctx.reply;
    const link = node.replicaLink;
    if (link !== undefined) {
      const status = link.status();
      reply.arrayHeader(5);
      reply.bulk('slave');
      reply.bulk(status.masterHost);
      reply.integer(status.masterPort);
      reply.bulk(status.state);
      reply.integer(status.linkUp ? status.replOffset : -1);
      return undefined;
    }
    const online = node.master.replicas.filter((replica) => replica.state === 'online');
    reply.arrayHeader(3);
    reply.bulk('master');
    reply.integer(node.repl.masterReplOffset);
    reply.arrayHeader(online.length);
    for (const replica of online) {
      reply.arrayHeader(3);
      reply.bulk(replica.ip());
      reply.bulk(String(replica.listeningPort));
      reply.bulk(String(replica.ackOffset));
    }
    return undefined;
  },
});
