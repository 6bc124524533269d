/**
 * REPLICAOF host port | NO ONE (and its old name SLAVEOF)
 *
 * Makes this node a replica of host:port, or (NO ONE) a master again (reference §4.1, Redis's
 * replicaofCommand):
 * - NO ONE on a replica promotes it: the link stops, the history shifts (replid2 = the master's
 *   id, up to offset + 1) and sub-replicas are disconnected so they continue with +CONTINUE.
 *   On a master it only replies +OK.
 * - host port: the port must be an integer in 0..65535 (`-ERR Invalid master port`); the same
 *   master as now replies `+OK Already connected to specified master`; a replica connected to us
 *   may not send it. Otherwise the node starts replicating (replica-host.ts becomeReplica) and
 *   replies +OK at once; the sync happens in the background.
 * CONFIG GET replicaof shows the current master ("host port"), as in Redis.
 */
import { describeClient } from '../../client-io.js';
import { parseInteger } from '../../config/params.js';
import { becomeMaster, becomeReplica } from '../../replication/replica-host.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

type Args =
  | { readonly kind: 'no-one' }
  | { readonly kind: 'master'; readonly host: string; readonly portText: string };

function parse(argv: readonly Buffer[]): Args {
  const host = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
  const portText = (argv[2] ?? Buffer.alloc(0)).toString('latin1');
  if (host.toLowerCase() === 'no' && portText.toLowerCase() === 'one') return { kind: 'no-one' };
  return { kind: 'master', host, portText };
}

function execute(ctx: CommandContext, args: Args): ErrorReply | undefined {
  const node = ctx.node;
  if (node.failover.state !== 'no-failover') {
    return new ErrorReply('ERR REPLICAOF not allowed while failing over.');
  }
  if (args.kind === 'no-one') {
    if (node.replicaLink !== undefined) {
      becomeMaster(node);
      node.config.replicaof = undefined;
      node.log('notice', `MASTER MODE enabled (user request from '${describeClient(ctx.client)}')`);
    }
    ctx.reply.simple('OK');
    return undefined;
  }
  // Redis's order: a replica connection first, then the port.
  if (node.master.isReplicaClient(ctx.client)) {
    return new ErrorReply('ERR Command is not valid when client is a replica.');
  }
  const port = parseInteger(args.portText);
  if (port === undefined || port < 0 || port > 65535) {
    return new ErrorReply('ERR Invalid master port');
  }
  const link = node.replicaLink;
  if (
    link !== undefined &&
    link.masterHost.toLowerCase() === args.host.toLowerCase() &&
    link.masterPort === port
  ) {
    node.log(
      'notice',
      'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    );
    ctx.reply.simple('OK Already connected to specified master');
    return undefined;
  }
  becomeReplica(node, args.host, port);
  node.config.replicaof = { host: args.host, port };
  node.log(
    'notice',
    `REPLICAOF ${args.host}:${port} enabled (user request from '${describeClient(ctx.client)}')`,
  );
  ctx.reply.simple('OK');
  return undefined;
}

const SHARED = {
  arity: 3,
  syntax: 'host port',
  flags: ['admin', 'noscript', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  parse,
  execute,
} as const;

export const replicaof: Command = defineCommand<Args>({
  ...SHARED,
  name: 'replicaof',
  flags: [...SHARED.flags],
  aclCategories: [...SHARED.aclCategories],
  doc: {
    summary: 'Make the server a replica of another instance, or promote it as master.',
    since: '5.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
});

export const slaveof: Command = defineCommand<Args>({
  ...SHARED,
  name: 'slaveof',
  flags: [...SHARED.flags],
  aclCategories: [...SHARED.aclCategories],
  doc: {
    summary: 'Make the server a replica of another instance, or promote it as master.',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
});
