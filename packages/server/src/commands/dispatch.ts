/**
 * The one place a command is looked up, checked and run, in the order of Redis 7.0's
 * processCommand (reference §5): unknown command or arity first, then authentication, then OOM
 * (after running maxmemory eviction), MISCONF, NOREPLICAS, READONLY, MASTERDOWN and LOADING. The master client of a
 * replica (client.isMaster) is authenticated from birth and passes MISCONF and READONLY. Command
 * files never repeat these checks. The error strings are Redis's, byte for byte, including the
 * trailing space of the unknown-command message.
 */
import { nopermMessage } from '../acl/check.js';
import { checkAcl } from '../acl/enforce.js';
import type { Client } from '../client.js';
import type { ServerNode } from '../node.js';
import { withScriptFlags } from '../scripting/command-flags.js';
import { busyMessage } from '../scripting/engine.js';
import { call } from './call.js';
import { COMMAND_TABLE } from './table.js';
import {
  queueCommand,
  queuesInMulti,
  rejectCommand as rejectAndAbort,
} from './transactions/transaction.js';
import { type Command, ErrorReply } from './types.js';

/** Redis truncates each name and argument shown in an error to 128 bytes. */
const ERROR_ARG_BYTES_MAX = 128;

/** Finds the command for argv (a subcommand for containers), or the error Redis would send. */
export function resolveCommand(argv: readonly Buffer[]): Command | ErrorReply {
  const first = argv[0];
  if (first === undefined) return new ErrorReply('ERR empty command');
  const command = findCommand(first);
  if (command === undefined) return unknownCommand(argv);
  if (!checkArity(command.arity, argv.length)) return arityError(command);
  if (command.subcommands.size === 0 || argv.length === 1) return command;
  const subName = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
  const sub = command.subcommands.get(subName.toLowerCase());
  if (sub === undefined) {
    return new ErrorReply(
      `ERR unknown subcommand '${truncate(subName, ERROR_ARG_BYTES_MAX)}'. Try ${command.name.toUpperCase()} HELP.`,
    );
  }
  if (!checkArity(sub.arity, argv.length)) return arityError(sub);
  return sub;
}

/**
 * The name Redis's lookupCommand gives argv (c->lastcmd, CLIENT LIST's cmd=): the command, or its
 * subcommand for a container given one; 'NULL' when there is no such command or subcommand. Unlike
 * resolveCommand, the argument count does not matter.
 */
export function lookupCommandName(argv: readonly Buffer[]): string {
  const first = argv[0];
  const command = first === undefined ? undefined : findCommand(first);
  if (command === undefined) return 'NULL';
  if (command.subcommands.size === 0 || argv.length === 1) return command.fullName;
  const subName = (argv[1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
  return command.subcommands.get(subName)?.fullName ?? 'NULL';
}

/** Names longer than this are not remembered by findCommand (no command name is this long). */
const NAME_MEMO_BYTES_MAX = 32;

/**
 * The name findCommand resolved last, as the client spelled it, and its command. Clients mostly
 * send runs of one command (a pipeline, a load generator), and comparing a few bytes costs less
 * than making a string of the name and looking it up. The table never changes, so this cannot go
 * stale, and it holds no state a run could observe.
 */
let memoName: Uint8Array = new Uint8Array(0);
let memoCommand: Command | undefined;

/** The command named by `name` in any case, or undefined. */
function findCommand(name: Buffer): Command | undefined {
  const length = name.length;
  if (length === memoName.length && memoCommand !== undefined) {
    let i = 0;
    while (i < length && name[i] === memoName[i]) i++;
    if (i === length) return memoCommand;
  }
  const text = name.toString('latin1');
  const command = COMMAND_TABLE.get(text) ?? COMMAND_TABLE.get(text.toLowerCase());
  if (command !== undefined && length <= NAME_MEMO_BYTES_MAX) {
    memoName = Uint8Array.from(name);
    memoCommand = command;
  }
  return command;
}

function checkArity(arity: number, argc: number): boolean {
  return arity >= 0 ? argc === arity : argc >= -arity;
}

function arityError(command: Command): ErrorReply {
  return new ErrorReply(`ERR wrong number of arguments for '${command.fullName}' command`);
}

function unknownCommand(argv: readonly Buffer[]): ErrorReply {
  // Redis (processCommand): each argument as '%.*s' with a shrinking budget of 128 bytes in all.
  let args = '';
  for (let i = 1; i < argv.length && args.length < ERROR_ARG_BYTES_MAX; i++) {
    const budget = ERROR_ARG_BYTES_MAX - args.length;
    args += `'${truncate((argv[i] ?? Buffer.alloc(0)).toString('latin1'), budget)}' `;
  }
  const name = truncate((argv[0] ?? Buffer.alloc(0)).toString('latin1'), ERROR_ARG_BYTES_MAX);
  return new ErrorReply(`ERR unknown command '${name}', with args beginning with: ${args}`);
}

/**
 * An argument as Redis's `%.*s` prints it into an error: at most `bytes` bytes, and (being a C
 * string) only up to its first NUL byte.
 */
function truncate(text: string, bytes: number): string {
  const nul = text.indexOf('\u0000');
  const end = nul >= 0 && nul < bytes ? nul : bytes;
  return text.length > end ? text.slice(0, end) : text;
}

const LOADING_MESSAGE = 'LOADING Redis is loading the dataset in memory';

export const MISCONF_MESSAGE =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/**
 * Whether `test` holds for `command` or, for EXEC, for any command its transaction queued: the
 * shape of Redis's is_write_command and is_denystale_command (cmd flags, or mstate's flags).
 */
function commandOrQueued(command: Command, client: Client, test: (c: Command) => boolean): boolean {
  if (test(command)) return true;
  if (command.fullName !== 'exec' || client.transaction === undefined) return false;
  return client.transaction.commands.some((queued) => test(queued.command));
}

/** Redis's is_write_command: a write, or EXEC of a transaction that queued one. */
function isWriteCommand(command: Command, client: Client): boolean {
  return commandOrQueued(command, client, (c) => c.flags.includes('write'));
}

const OOM_MESSAGE = "OOM command not allowed when used memory > 'maxmemory'.";

/** Redis's is_denyoom_command: flagged denyoom, or EXEC of a transaction that queued one. */
function isDenyOomCommand(command: Command, client: Client): boolean {
  return commandOrQueued(command, client, (c) => c.flags.includes('denyoom'));
}

/** In MULTI, these still run when out of memory; anything else would grow the queue. */
const RUNS_IN_MULTI_WHEN_OOM: ReadonlySet<string> = new Set(['exec', 'discard', 'quit', 'reset']);

export const READONLY_MESSAGE = "READONLY You can't write against a read only replica.";

export const MASTERDOWN_MESSAGE =
  "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/** Redis's is_denystale_command: not flagged 'stale', or EXEC of a queued command that is not. */
function deniedWhileStale(command: Command, client: Client): boolean {
  return commandOrQueued(command, client, (c) => !c.flags.includes('stale'));
}

/**
 * The commands Redis 7.0 flags MAY_REPLICATE: they may propagate without being writes. COMMAND
 * INFO hides that flag (addReplyCommandFlags), so the table does not carry it; a script with a
 * shebang replaces it with what it declares (scripting/command-flags.ts drops it there).
 */
const MAY_REPLICATE_COMMANDS: ReadonlySet<string> = new Set([
  'eval',
  'evalsha',
  'fcall',
  'publish',
  'spublish',
  'pfcount',
]);

/**
 * Redis's is_may_replicate_command: a write or may-replicate command, or EXEC queuing one.
 * `scriptDeclared`: the flags are a script's own (withScriptFlags), which never include it.
 */
function mayReplicate(command: Command, client: Client, scriptDeclared: boolean): boolean {
  if (!scriptDeclared && MAY_REPLICATE_COMMANDS.has(command.fullName)) return true;
  return commandOrQueued(
    command,
    client,
    (c) =>
      c.flags.includes('write') ||
      c.flags.includes('may_replicate') ||
      (c !== command && MAY_REPLICATE_COMMANDS.has(c.fullName)),
  );
}

/** is_may_replicate_command || is_write_command || is_read_command. */
function touchesKeyspace(command: Command, client: Client): boolean {
  return (
    isWriteCommand(command, client) ||
    command.flags.includes('may_replicate') ||
    command.flags.includes('readonly')
  );
}

/** CMD_ALLOW_BUSY, and SHUTDOWN only with NOSAVE. */
function allowedWhileBusy(command: Command, argv: readonly Buffer[]): boolean {
  if (!command.flags.includes('allow_busy')) return false;
  if (command.fullName !== 'shutdown') return true;
  return argv.some((arg) => arg.toString('latin1').toLowerCase() === 'nosave');
}

/** Whether `command` must wait for the end of a load (Redis's is_denyloading_command). */
function deniedWhileLoading(command: Command, client: Client): boolean {
  if (!command.flags.includes('loading')) return true;
  if (command.fullName !== 'exec' || client.transaction === undefined) return false;
  return client.transaction.commands.some((queued) => !queued.command.flags.includes('loading'));
}

/** What a subscribed RESP2 client may still run (processCommand's pubsub check). */
const PUBSUB_CONTEXT_COMMANDS: ReadonlySet<string> = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);

/**
 * Refuses a request (transactions/transaction.ts's rejectCommand) and counts it in the command's
 * rejected_calls, as Redis does when lookupCommand found it (an arity error too, not an unknown
 * subcommand).
 */
function rejectCommand(
  node: ServerNode,
  client: Client,
  argv: readonly Buffer[],
  message: string,
): void {
  const name = lookupCommandName(argv);
  if (name !== 'NULL') node.commandStats.rejected(name);
  rejectAndAbort(node, client, argv, message);
}

/**
 * Runs one request from `client`, writing its reply into the client's reply buffer. While it runs,
 * `client` is the tracking state's current client (Redis's server.current_client); afterwards the
 * invalidations of keys it changed itself follow its reply (tracking/tracking.ts).
 */
export function dispatch(node: ServerNode, client: Client, argv: readonly Buffer[]): void {
  const tracking = node.tracking;
  const outer = tracking.currentClient;
  tracking.currentClient = client;
  try {
    dispatchRequest(node, client, argv);
    tracking.afterRequest(client, () => lookupCommandName(argv));
  } finally {
    tracking.currentClient = outer;
  }
}

function dispatchRequest(node: ServerNode, client: Client, argv: readonly Buffer[]): void {
  const resolved = resolveCommand(argv);
  if (resolved instanceof ErrorReply) {
    // rejectCommand also aborts a transaction in MULTI and turns a rejected EXEC into EXECABORT.
    rejectCommand(node, client, argv, resolved.message);
    return;
  }
  // Redis's authRequired(): the default user has a password and this client has not used it. A
  // client that connected while no password was set stays authenticated, as in Redis.
  if (!client.authenticated && node.acl.defaultNeedsAuth() && !resolved.flags.includes('no_auth')) {
    rejectCommand(node, client, argv, 'NOAUTH Authentication required.');
    return;
  }
  // processCommand sets c->lastcmd at lookup: a command refused from here on still shows as
  // CLIENT LIST's cmd= (and in the ACL LOG's client-info).
  client.lastCommand = resolved.fullName;
  // ACL (§5, check 3; acl/): the user's command, key and channel permissions; in MULTI the
  // refused command is not queued and EXEC will answer EXECABORT.
  const denied = checkAcl(
    node,
    client,
    resolved,
    argv,
    client.transaction === undefined ? 'toplevel' : 'multi',
  );
  if (denied !== undefined) {
    rejectCommand(node, client, argv, nopermMessage(denied, resolved));
    return;
  }
  // A script's declared flags stand in for EVAL's and FCALL's own in the checks below
  // (getCommandFlags: scripting/command-flags.ts).
  const effective = withScriptFlags(node, resolved, argv);
  // OOM (§5, check 5): with maxmemory set, evict first (memory/eviction.ts); if memory is still
  // over the limit, refuse commands that may grow the dataset, and in MULTI anything that would
  // be queued.
  if (node.config.maxmemory !== 0n) {
    const outOfMemory = node.evictor.perform() === 'fail';
    const reject =
      isDenyOomCommand(effective, client) ||
      (client.transaction !== undefined && !RUNS_IN_MULTI_WHEN_OOM.has(resolved.fullName));
    if (outOfMemory && reject) {
      rejectCommand(node, client, argv, OOM_MESSAGE);
      return;
    }
  }
  // Client-side caching keeps its table within tracking-table-max-keys (processCommand).
  if (node.tracking.clientCount > 0) node.tracking.limitTableKeys();
  // MISCONF (§5, check 6): after a failed BGSAVE with save rules and stop-writes-on-bgsave-error,
  // writes (EXEC with a queued write included) and PING are refused; reads go on.
  // The master client is exempt: a replica applies its master's stream whatever its disk says.
  if (
    node.persistence.writesRefused() &&
    !client.isMaster &&
    (isWriteCommand(effective, client) || resolved.fullName === 'ping')
  ) {
    rejectCommand(node, client, argv, MISCONF_MESSAGE);
    return;
  }
  // NOREPLICAS (§5, check 7): min-replicas-to-write on a master short of good replicas.
  if (node.master.writesRefused() && isWriteCommand(effective, client)) {
    rejectCommand(node, client, argv, 'NOREPLICAS Not enough good replicas to write.');
    return;
  }
  // READONLY (§5, check 8): a read-only replica refuses writes from everyone but its master.
  const replicaLink = node.replicaLink;
  if (
    replicaLink !== undefined &&
    node.config.replicaReadOnly &&
    !client.isMaster &&
    isWriteCommand(effective, client)
  ) {
    rejectCommand(node, client, argv, READONLY_MESSAGE);
    return;
  }
  // A replica connected to us may only talk replication (REPLCONF, PING...), not keyspace.
  if (
    (node.master.isReplicaClient(client) || node.monitors.has(client)) &&
    touchesKeyspace(effective, client)
  ) {
    rejectCommand(node, client, argv, "ERR Replica can't interact with the keyspace");
    return;
  }
  // Pub/Sub context (§5, check 9): a subscribed RESP2 client may only manage its subscriptions,
  // PING, QUIT and RESET; in RESP3 replies and pushes can be told apart, so anything runs.
  if (
    client.subscriptions.total > 0 &&
    client.protocol === 2 &&
    !PUBSUB_CONTEXT_COMMANDS.has(resolved.fullName)
  ) {
    rejectCommand(
      node,
      client,
      argv,
      `ERR Can't execute '${resolved.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
    );
    return;
  }
  // MASTERDOWN (§5, check 10): with replica-serve-stale-data no and the link not up, only
  // commands flagged 'stale' run (EXEC only if every queued command is).
  if (
    replicaLink !== undefined &&
    !node.config.replicaServeStaleData &&
    !replicaLink.connected &&
    deniedWhileStale(effective, client)
  ) {
    rejectCommand(node, client, argv, MASTERDOWN_MESSAGE);
    return;
  }
  // LOADING (§5, check 11): while a dump loads only commands flagged 'loading' run; EXEC counts
  // as one of them only if every queued command is (Redis's cmd_inv_flags check).
  if (node.loading !== undefined && deniedWhileLoading(resolved, client)) {
    rejectCommand(node, client, argv, LOADING_MESSAGE);
    return;
  }
  // BUSY (§5): while a script runs past busy-reply-threshold only commands flagged allow_busy
  // run; SHUTDOWN only with NOSAVE (shutdownCommand's own check).
  const busy = node.busyScript;
  if (busy !== undefined && !allowedWhileBusy(resolved, argv)) {
    rejectCommand(node, client, argv, busyMessage(busy.isEval));
    return;
  }
  // Client pause (§5, the last check; client-pause.ts): under CLIENT PAUSE ALL every command
  // waits, under WRITE those that may replicate; a replica's own connection is never paused. The
  // command runs again when the pause ends (client-io.ts; for the master client, the link).
  const pause = node.clientPause;
  if (
    pause.active &&
    (pause.type === 'all' || mayReplicate(effective, client, effective !== resolved)) &&
    !node.master.isReplicaClient(client)
  ) {
    client.pendingCommand = argv;
    pause.postpone(client);
    return;
  }
  // Transactions (transactions/transaction.ts): in MULTI, a command that passed the checks above
  // is queued (+QUEUED) unless it is one of EXEC DISCARD MULTI WATCH QUIT RESET.
  if (client.transaction !== undefined && queuesInMulti(resolved)) {
    queueCommand(node, client, resolved, argv);
    return;
  }
  const error = call(node, client, resolved, argv, node.env.clock.wallMs());
  if (error !== undefined) node.replyError(client, error);
}
