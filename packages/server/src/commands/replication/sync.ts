/**
 * SYNC
 * PSYNC replicationid offset
 *
 * A replica asks for the dataset and the stream (reference §3.1-3.2). PSYNC continues from
 * `offset` when this node's history allows (+CONTINUE and the backlog from there), otherwise it
 * starts a full sync: `+FULLRESYNC <replid> <offset>`, the snapshot as `$<len>\r\n<rdb>`, then the
 * stream. `PSYNC ? -1` asks for a full sync outright. Plain SYNC is the pre-2.8 form: a full sync
 * with no +FULLRESYNC line. The work is replication/master.ts's; this file holds syncCommand's
 * refusals, in Redis's order:
 *
 * - a connection that is already a replica: ignored, no reply
 * - `PSYNC <replid> <offset> FAILOVER` (a master handing over, replication/failover.ts): refused
 *   on a master, and unless <replid> is this replica's own; otherwise this node becomes a master
 *   (REPLICAOF NO ONE) and the PSYNC goes on, so the old master continues with +CONTINUE
 * - a FAILOVER of this node's own in progress: -NOMASTERLINK
 * - this node is a replica whose link is not up: -NOMASTERLINK
 * - replies still pending on the connection: -ERR ... invalid with pending output
 * - a PSYNC offset that is not an integer: the standard integer error
 */
import { describeClient } from '../../client-io.js';
import { becomeMaster } from '../../replication/replica-host.js';
import { isKeyword, NOT_INTEGER, parseSafeInteger } from '../errors.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const NOT_CONNECTED = new ErrorReply("NOMASTERLINK Can't SYNC while not connected with my master");
const PENDING_OUTPUT = new ErrorReply('ERR SYNC and PSYNC are invalid with pending output');
const FAILING_OVER = new ErrorReply("NOMASTERLINK Can't SYNC while failing over");

type SyncArgs =
  | { readonly kind: 'sync' }
  | {
      readonly kind: 'psync';
      readonly replid: string;
      readonly offset: Buffer | undefined;
      readonly failover: boolean;
    };

/** The refusals both commands share; undefined when the sync may start. */
function refuse(ctx: CommandContext): ErrorReply | 'ignore' | undefined {
  const node = ctx.node;
  if (node.master.isReplicaClient(ctx.client)) return 'ignore';
  if (node.failover.state !== 'no-failover') return FAILING_OVER;
  const link = node.replicaLink;
  if (link !== undefined && link.status().state !== 'connected') return NOT_CONNECTED;
  if (ctx.client.reply.bytesPending() > 0) return PENDING_OUTPUT;
  return undefined;
}

/** PSYNC ... FAILOVER: promote this replica if the request continues its own history. */
function takeOver(ctx: CommandContext, replid: string): ErrorReply | undefined {
  const node = ctx.node;
  node.log('warning', `Failover request received for replid ${replid}.`);
  if (node.replicaLink === undefined) {
    return new ErrorReply("ERR PSYNC FAILOVER can't be sent to a master.");
  }
  if (replid.toLowerCase() !== node.repl.replid.toLowerCase()) {
    return new ErrorReply('ERR PSYNC FAILOVER replid must match my replid.');
  }
  becomeMaster(node);
  node.config.replicaof = undefined;
  node.log('notice', `MASTER MODE enabled (failover request from '${describeClient(ctx.client)}')`);
  return undefined;
}

function run(ctx: CommandContext, args: SyncArgs): ErrorReply | undefined {
  if (args.kind === 'psync' && args.failover && !ctx.node.master.isReplicaClient(ctx.client)) {
    const refused = takeOver(ctx, args.replid);
    if (refused !== undefined) return refused;
  }
  const refusal = refuse(ctx);
  if (refusal === 'ignore') return undefined;
  if (refusal !== undefined) return refusal;
  if (args.kind === 'sync') {
    ctx.node.master.startSync(ctx.client, args);
    return undefined;
  }
  // The offset is read only after the refusals, as syncCommand does.
  const offset = parseSafeInteger(args.offset);
  if (offset === undefined) return NOT_INTEGER;
  ctx.node.master.startSync(ctx.client, {
    kind: 'psync',
    replid: args.replid,
    offset,
  });
  return undefined;
}

const FLAGS = ['admin', 'noscript', 'no_multi'] as const;
const ACL = ['@admin', '@slow', '@dangerous'] as const;

export const sync: Command = defineCommand<SyncArgs>({
  name: 'sync',
  arity: 1,
  syntax: '',
  flags: FLAGS,
  aclCategories: ACL,
  keys: NO_KEYS,
  doc: {
    summary: 'An internal command used in replication',
    since: '1.0.0',
    group: 'server',
    complexity: '',
  },
  parse: () => ({ kind: 'sync' }),
  execute: run,
});

export const psync: Command = defineCommand<SyncArgs>({
  name: 'psync',
  arity: -3,
  syntax: 'replicationid offset:integer',
  flags: FLAGS,
  aclCategories: ACL,
  keys: NO_KEYS,
  doc: {
    summary: 'An internal command used in replication',
    since: '2.8.0',
    group: 'server',
    complexity: '',
  },
  parse: (argv) => ({
    kind: 'psync',
    replid: (argv[1] ?? Buffer.alloc(0)).toString('latin1'),
    offset: argv[2],
    failover: argv.length > 3 && isKeyword(argv[3], 'failover'),
  }),
  execute: run,
});
