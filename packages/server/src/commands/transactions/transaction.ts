/**
 * A client's transaction (Redis's multi.c client state) and the dispatcher's side of it.
 *
 * Between MULTI and EXEC/DISCARD a client has a `Transaction`: the commands it queued and whether
 * queueing failed. The dispatcher (dispatch.ts) checks unknown command, arity and authentication
 * first, exactly as outside a transaction; a command that fails those checks is answered with its
 * error and aborts the transaction (`rejectCommand`, Redis's flagTransaction), so EXEC then replies
 * EXECABORT. Every other command except the ones in RUN_IN_MULTI is queued and answered +QUEUED
 * (`queueCommand`). EXEC (exec.ts) runs the queue with one clock reading.
 *
 * WATCH state is not here: the node's WatchRegistry holds the watched keys and `client.watchDirty`
 * is Redis's CLIENT_DIRTY_CAS flag.
 */
import type { Client } from '../../client.js';
import type { ServerNode } from '../../node.js';
import type { Command } from '../types.js';

/** One queued command: its table entry and a private copy of its arguments. */
export interface QueuedCommand {
  readonly command: Command;
  readonly argv: readonly Buffer[];
}

/** Bytes Redis charges per queued argument pointer (sizeof(robj*)) in CLIENT LIST's multi-mem. */
const ARGUMENT_POINTER_BYTES = 8;

export class Transaction {
  readonly commands: QueuedCommand[] = [];
  /** A command failed the queue-time checks (Redis's CLIENT_DIRTY_EXEC): EXEC replies EXECABORT. */
  aborted = false;
  /** What CLIENT LIST shows as multi-mem: argument bytes plus a pointer per argument. */
  memoryBytes = 0;
}

/** Commands that run at once inside MULTI instead of being queued (processCommand). */
const RUN_IN_MULTI: ReadonlySet<string> = new Set([
  'exec',
  'discard',
  'multi',
  'watch',
  'quit',
  'reset',
]);

const NO_MULTI_MESSAGE = 'ERR Command not allowed inside a transaction';

export const EXECABORT_MESSAGE = 'EXECABORT Transaction discarded because of previous errors.';

/** Whether `command` must be queued rather than run, for a client that is in MULTI. */
export function queuesInMulti(command: Command): boolean {
  return !RUN_IN_MULTI.has(command.fullName);
}

/**
 * Queues `argv` and replies +QUEUED (a `no_multi` command is refused instead). A transaction that
 * will fail anyway (queueing error, or a watched key already changed) stores nothing, as Redis
 * saves the memory (queueMultiCommand). Like Redis, the queue has no length limit of its own: its
 * size is the client's (multi-mem in CLIENT LIST).
 */
export function queueCommand(
  node: ServerNode,
  client: Client,
  command: Command,
  argv: readonly Buffer[],
): void {
  const transaction = client.transaction;
  if (transaction === undefined) throw new Error('queueCommand outside MULTI');
  client.lastCommand = command.fullName;
  // SAVE, SHUTDOWN, SYNC, PSYNC (CMD_NO_MULTI): refused, and the transaction aborts.
  if (command.flags.includes('no_multi')) {
    rejectCommand(node, client, argv, NO_MULTI_MESSAGE);
    return;
  }
  if (!transaction.aborted && !client.watchDirty) {
    // The request's Buffers may be views into the connection's read buffer: copy them.
    const copy = argv.map((arg) => Buffer.from(arg));
    transaction.commands.push({ command, argv: copy });
    for (const arg of copy) transaction.memoryBytes += arg.length + ARGUMENT_POINTER_BYTES;
  }
  client.reply.simple('QUEUED');
}

/**
 * Answers a command that failed the dispatcher's checks (Redis's rejectCommand): inside MULTI the
 * transaction is aborted. A rejected EXEC discards the transaction, in MULTI or not, and replies
 * `EXECABORT Transaction discarded because of: <error without the ERR code>`.
 */
export function rejectCommand(
  node: ServerNode,
  client: Client,
  argv: readonly Buffer[],
  message: string,
): void {
  if (client.transaction !== undefined) client.transaction.aborted = true;
  const name = argv[0]?.toString('latin1').toLowerCase();
  if (name === 'exec') {
    discardTransaction(node, client);
    // Redis formats these errors without their ERR code (rejectCommandFormat); NOAUTH keeps its.
    const reason = message.startsWith('ERR ') ? message.slice(4) : message;
    node.replyError(client, `EXECABORT Transaction discarded because of: ${reason}`);
    return;
  }
  node.replyError(client, message);
}

/** Leaves MULTI and forgets the queue, the watched keys and the dirty flag (discardTransaction). */
export function discardTransaction(node: ServerNode, client: Client): void {
  client.transaction = undefined;
  client.watchDirty = false;
  node.watches.unwatchAll(client);
}
