/**
 * DEBUG <subcommand> [<arg> ...]: Redis 7.0's DEBUG, for the subcommands whose effect replisim can
 * have. DEBUG is one command in Redis (not a container), so a wrong subcommand or argument count is
 * "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try DEBUG HELP." with the
 * subcommand as typed. HELP is Redis's text in full (debug-help.ts).
 *
 * - DIGEST: a status of 40 hex digits, Redis 7.0's dataset digest (keyspace/digest.ts): equal
 *   datasets give equal digests on replisim and redis-server; all zeros for an empty dataset.
 * - DIGEST-VALUE: an array of statuses, one digest per key (zeros for a missing key). Like Redis,
 *   both read the stored data without expiring it.
 * - OBJECT: a status `Value at:<addr> refcount:<n> encoding:<enc> serializedlength:<n> lru:<n>
 *   lru_seconds_idle:<n>`, plus `ql_nodes ql_avg_node ql_listpack_max ql_compressed
 *   ql_uncompressed_size` for lists; "ERR no such key" if missing. refcount, encoding and the ql_
 *   fields are exact. Estimates: the address is a stable fake derived from the key;
 *   serializedlength leaves out LZF compression (keys/object-info.ts), so it is exact only for
 *   values Redis does not compress; lru is the LRU clock now (seconds, 24 bits) and
 *   lru_seconds_idle is 0, because replisim does not track access times.
 * - POPULATE: adds string keys `<prefix>:<n>` holding `value:<n>`, as Redis 7.0 does, without
 *   counting them as changes (debug-populate.ts has the details).
 * - RELOAD: save, flush and load the dump back, then +OK (debug-reload.ts has the details).
 * - SLEEP: pauses the whole node for <seconds> (a float, parsed as strtod: junk is 0). This is
 *   not a busy wait: the node stops processing, requests arriving meanwhile stay queued in each
 *   client's input buffer, the +OK and every other reply wait, and an Env timer ends the pause.
 *   The cron skips active expiry meanwhile. Pauses are capped at SLEEP_MS_MAX.
 * - SET-ACTIVE-EXPIRE: switches the active expiry cycle off (0) or on (anything else, as atoi).
 * - The subcommands Redis's test suite uses (debug-tools.ts):
 * - PROTOCOL <type>: a test value of each RESP3 type (debug-protocol.ts).
 * - QUICKLIST-PACKED-THRESHOLD, LISTPACK, QUICKLIST: encodings (debug-encoding.ts).
 * - ERROR <string>: replies `-<string>` with CR and LF made spaces, sent as a plain reply the way
 *   Redis's addReplySds does, so it counts in no error statistics.
 * - LOG <message>: writes `DEBUG LOG: <message>` to the log at warning level.
 * - REPLICATE <arg> ...: sends the arguments to the replicas as a command, in the database the
 *   stream last selected (data divergence on purpose).
 * - SET-SKIP-CHECKSUM-VALIDATION <0|1>: RESTORE and dump loading stop checking CRC64s (atoi).
 * - PAUSE-CRON <0|1>: the whole cron stops (atoi), as server.pause_cron makes serverCron return.
 * - STRINGMATCH-TEST: a bounded fuzz of the glob matcher over random patterns and strings drawn
 *   from the Env's random source; replies Redis's "Apparently Redis did not crash" status.
 * - STRUCTSIZE: Redis's sizes of its C structures on 64-bit builds, the constant text it sends.
 * - AOF-FLUSH-SLEEP, LEAK, DROP-CLUSTER-PACKET-FILTER, REPLYBUFFER: +OK with no effect, after
 *   Redis's argument checks: replisim has no AOF, no C heap, no cluster bus, no reply buffer
 *   resizing. CLUSTERLINK KILL gets Redis's error for a node not in cluster mode.
 * - CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every parameter (config-rewrite.ts).
 * - Not implemented (the unknown-subcommand error): ASSERT, PANIC, SEGFAULT, OOM,
 *   CRASH-AND-RECOVER, RESTART, HTSTATS, HTSTATS-KEY, LOADAOF, MALLCTL,
 *   MALLCTL-STR, SDSLEN, CLIENT-EVICTION (docs/server-and-config.md says why).
 *
 * Access follows enable-debug-command: 'no' refuses every client with Redis's error, 'local'
 * allows loopback clients (127.0.0.1, ::1), 'yes' allows all; the default is Redis's 'no'.
 * Deliberate difference: the refusal is checked when DEBUG runs, so an unauthenticated client gets
 * NOAUTH first, where Redis checks protected commands before authentication.
 */
import { datasetDigest, valueDigest } from '../../keyspace/digest.js';
import { isLoopbackAddress } from '../../protected-mode.js';
import { encodingOf, quicklistLayout, refcountOf, serializedLength } from '../keys/object-info.js';
import { keyOf } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { DEBUG_HELP_LINES } from './debug-help.js';
import { debugPopulate, type PopulateArgs, parsePopulate } from './debug-populate.js';
import { debugReload, parseReloadOptions, type ReloadOptions } from './debug-reload.js';
import {
  atoi,
  executeDebugTool,
  NO_SUCH_KEY,
  parseDebugTool,
  type ToolDebugArgs,
} from './debug-tools.js';

const NOT_ALLOWED = new ErrorReply(
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
);
/** The longest DEBUG SLEEP honoured: one hour, so a typo cannot freeze a simulation forever. */
const SLEEP_MS_MAX = 3_600_000;
/** LRU_CLOCK_MAX: Redis's LRU clock is 24 bits of seconds. */
const LRU_CLOCK_MAX = (1 << 24) - 1;
/** Subcommand errors name at most 128 bytes of the subcommand, as %.128s does. */
const SUBCOMMAND_BYTES_MAX = 128;

type DebugArgs =
  | { readonly kind: 'help' }
  | ToolDebugArgs
  | { readonly kind: 'change-repl-id' }
  | { readonly kind: 'digest' }
  | { readonly kind: 'digest-value'; readonly keys: readonly string[] }
  | { readonly kind: 'object'; readonly key: string }
  | { readonly kind: 'populate'; readonly args: PopulateArgs }
  | { readonly kind: 'reload'; readonly options: ReloadOptions }
  | { readonly kind: 'sleep'; readonly ms: number }
  | { readonly kind: 'set-active-expire'; readonly enabled: boolean };

function debugAllowed(ctx: CommandContext): boolean {
  const policy = ctx.node.config.enableDebugCommand;
  if (policy === 'yes') return true;
  return policy === 'local' && isLoopbackAddress(ctx.client.connection.remoteAddress);
}

/** DEBUG SLEEP's duration: strtod, then truncated to microseconds as Redis does; <= 0 is no pause. */
function sleepMs(arg: Buffer | undefined): number {
  const seconds = Number.parseFloat(arg?.toString('latin1') ?? '');
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  const micros = Math.trunc(seconds * 1_000_000);
  return Math.min(SLEEP_MS_MAX, Math.ceil(micros / 1000));
}

function parseDebug(argv: readonly Buffer[], ctx: CommandContext): DebugArgs | ErrorReply {
  if (!debugAllowed(ctx)) return NOT_ALLOWED;
  const typed = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
  const sub = typed.toLowerCase();
  const argc = argv.length;
  if (sub === 'help' && argc === 2) return { kind: 'help' };
  if (sub === 'change-repl-id' && argc === 2) return { kind: 'change-repl-id' };
  if (sub === 'digest' && argc === 2) return { kind: 'digest' };
  if (sub === 'digest-value') return { kind: 'digest-value', keys: argv.slice(2).map(keyOf) };
  if (sub === 'object' && argc === 3) return { kind: 'object', key: keyOf(argv[2]) };
  if (sub === 'populate' && argc >= 3 && argc <= 5) {
    const args = parsePopulate(argv, ctx.db);
    return args instanceof ErrorReply ? args : { kind: 'populate', args };
  }
  if (sub === 'reload') {
    const options = parseReloadOptions(argv.slice(2));
    return options instanceof ErrorReply ? options : { kind: 'reload', options };
  }
  if (sub === 'sleep' && argc === 3) return { kind: 'sleep', ms: sleepMs(argv[2]) };
  if (sub === 'set-active-expire' && argc === 3) {
    return { kind: 'set-active-expire', enabled: atoi(argv[2]) !== 0 };
  }
  const more = parseDebugTool(sub, argv);
  if (more !== undefined) return more;
  return new ErrorReply(
    `ERR unknown subcommand or wrong number of arguments for '${typed.slice(0, SUBCOMMAND_BYTES_MAX)}'. Try DEBUG HELP.`,
  );
}

/** A stable fake object address for DEBUG OBJECT: 0x7f plus ten hex digits from an FNV-1a hash. */
function fakeAddress(dbIndex: number, key: string): string {
  let hash = 0x811c9dc5 ^ dbIndex;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `0x7f${(hash * 16).toString(16).padStart(10, '0')}`;
}

function debugObject(ctx: CommandContext, key: string): ErrorReply | undefined {
  const value = ctx.db.peek(key);
  if (value === undefined) return NO_SUCH_KEY;
  const config = ctx.node.config;
  const lru = Math.floor(ctx.nowMs / 1000) & LRU_CLOCK_MAX;
  let line =
    `Value at:${fakeAddress(ctx.db.index, key)} refcount:${refcountOf(value)} ` +
    `encoding:${encodingOf(value)} serializedlength:${serializedLength(value, config, ctx.node.quicklistPackedThreshold)} ` +
    `lru:${lru} lru_seconds_idle:0`;
  if (value.type === 'list') {
    const threshold = ctx.node.quicklistPackedThreshold;
    const layout = quicklistLayout(value.value, config.listMaxListpackSize, threshold);
    const bytes = layout.nodeBytes.reduce((total, node) => total + node, 0);
    const average = layout.nodes === 0 ? 0 : value.value.length / layout.nodes;
    line +=
      ` ql_nodes:${layout.nodes} ql_avg_node:${average.toFixed(2)}` +
      ` ql_listpack_max:${config.listMaxListpackSize}` +
      ` ql_compressed:${config.listCompressDepth === 0 ? 0 : 1} ql_uncompressed_size:${bytes}`;
  }
  ctx.reply.simple(line);
  return undefined;
}

export const debug: Command = defineCommand<DebugArgs>({
  name: 'debug',
  arity: -2,
  syntax: 'subcommand [argument [argument ...]]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'A container for debugging commands',
    since: '1.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
  },
  parse: parseDebug,
  execute(ctx, args) {
    const { node, reply } = ctx;
    switch (args.kind) {
      case 'help':
        reply.arrayHeader(DEBUG_HELP_LINES.length);
        for (const line of DEBUG_HELP_LINES) reply.simple(line);
        return undefined;

      case 'change-repl-id':
        // A new replication history from here: replicas' next PSYNC needs a full sync.
        node.log('warning', 'Changing replication IDs after receiving DEBUG change-repl-id');
        node.repl.changeReplicationId();
        node.repl.clearReplicationId2();
        reply.simple('OK');
        return undefined;
      case 'digest':
        reply.simple(datasetDigest(node.databases));
        return undefined;
      case 'digest-value':
        reply.arrayHeader(args.keys.length);
        for (const key of args.keys) reply.simple(valueDigest(ctx.db, key));
        return undefined;
      case 'object':
        return debugObject(ctx, args.key);
      case 'populate':
        debugPopulate(ctx, args.args);
        return undefined;
      case 'reload':
        debugReload(node, ctx.client, args.options);
        return undefined;
      case 'sleep':
        node.pauseFor(args.ms);
        reply.simple('OK');
        return undefined;
      case 'set-active-expire':
        node.activeExpireEnabled = args.enabled;
        reply.simple('OK');
        return undefined;
      default:
        return executeDebugTool(ctx, args);
    }
  },
});
