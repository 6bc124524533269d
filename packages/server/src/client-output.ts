/**
 * A normal client's output, as client-io.ts produces it: the `client-output-buffer-limit normal`
 * checks, the per-turn reply budget, and the pause of a client whose unsent replies pile up.
 *
 * - Limits are checked after every command (Redis checks as each reply is added, in
 *   closeClientOnOutputBufferLimitReached): the hard limit closes the client at once, the soft
 *   limit once exceeded continuously for soft-seconds. What counts is what Redis counts: replies
 *   not yet handed to the kernel, here the connection's unsent bytes plus the reply buffer.
 * - A client whose unsent output is over the pause threshold (its soft limit, or
 *   CLIENT_OUTPUT_PAUSE_BYTES_DEFAULT when it has none) runs no more commands and is not read
 *   until the output drains below half of it: the peer is slowed down by TCP instead of the
 *   server holding gigabytes of replies. Redis has no such pause (it keeps reading and producing);
 *   docs/security-and-limits.md says what differs.
 * - Connections have no drain event, so a paused client's output is looked at every
 *   OUTPUT_DRAIN_POLL_MS through the Env's timers (the same approach as replication/socket-sink.ts);
 *   the soft limit is checked there too, so a client that stopped reading is closed after
 *   soft-seconds even though it runs no more commands.
 * Replicas (their own class, replication/master.ts) and the master link client are not normal
 * clients: nothing here applies to them.
 */

import type { Client } from './client.js';
import type { ServerConfig } from './config/server-config.js';
import type { ServerNode } from './node.js';

/**
 * Unsent output above which a client with no soft limit stops being read. Redis has no such
 * threshold: with the default `normal 0 0 0` it keeps every reply (2.2 GB for 2,200 GETs of a
 * 1 MB value pipelined in one write); replisim holds at most about this much per client.
 */
export const CLIENT_OUTPUT_PAUSE_BYTES_DEFAULT: number = 32 * 1024 * 1024;

/**
 * Replies one client may produce in one turn before the turn ends and the replies are flushed,
 * unless its hard limit is higher: then the hard limit bounds the turn (the check after each
 * command closes the client there), so a pipelined flood reaches the hard limit in one turn, as it
 * does in Redis, whose replies pile up for a whole read before anything is written.
 */
export const CLIENT_REPLY_BYTES_PER_TURN_MAX: number = 4 * 1024 * 1024;

/** How often a paused client's unsent output is looked at, in ms. */
export const OUTPUT_DRAIN_POLL_MS: number = 5;

/**
 * The limit class of a client: Redis's getClientType puts a client with any Pub/Sub subscription
 * in the pubsub class (`client-output-buffer-limit pubsub 32mb 8mb 60`), any other in normal.
 */
function limitClassOf(
  node: ServerNode,
  client: Client,
): ServerConfig['clientOutputBufferLimit']['normal'] {
  const limits = node.config.clientOutputBufferLimit;
  return client.subscriptions.total > 0 ? limits.pubsub : limits.normal;
}

/** Whether the normal-class limits and the output pause apply to `client`. */
export function isNormalClient(node: ServerNode, client: Client): boolean {
  return !client.isMaster && !node.master.isReplicaClient(client);
}

/** The reply bytes after which a turn of `client` ends (see CLIENT_REPLY_BYTES_PER_TURN_MAX). */
export function turnReplyBytesMax(node: ServerNode): number {
  return Math.max(
    CLIENT_REPLY_BYTES_PER_TURN_MAX,
    node.config.clientOutputBufferLimit.normal.hardBytes,
  );
}

/** Unsent output above which a client is paused: its soft limit, or the default. */
export function outputPauseBytes(node: ServerNode): number {
  const softBytes = node.config.clientOutputBufferLimit.normal.softBytes;
  return softBytes > 0 ? softBytes : CLIENT_OUTPUT_PAUSE_BYTES_DEFAULT;
}

/** Replies not yet handed to the kernel: the connection's unsent bytes plus the reply buffer. */
export function outputPendingBytes(client: Client): number {
  return client.connection.bufferedBytes() + client.reply.bytesPending();
}

/**
 * Checks the normal class's limits against the pending output (Redis's
 * checkClientOutputBufferLimits): true when the client must be closed. The hard limit closes at
 * once; the soft limit after being exceeded for softSeconds without a break.
 */
export function outputLimitReached(node: ServerNode, client: Client): boolean {
  const limit = limitClassOf(node, client);
  // The default `normal 0 0 0`: nothing to measure (this runs after every command).
  if (limit.hardBytes === 0 && limit.softBytes === 0) {
    client.softLimitSinceMs = -1;
    return false;
  }
  const pending = outputPendingBytes(client);
  if (limit.hardBytes > 0 && pending >= limit.hardBytes) return true;
  if (limit.softBytes === 0 || pending < limit.softBytes) {
    client.softLimitSinceMs = -1;
    return false;
  }
  const nowMs = node.env.clock.monotonicMs();
  if (client.softLimitSinceMs < 0) client.softLimitSinceMs = nowMs;
  return nowMs - client.softLimitSinceMs >= limit.softSeconds * 1000;
}

/** Closes a client over its output limit, with Redis's log line. */
export function closeForOutputLimit(node: ServerNode, client: Client, describe: string): void {
  node.log(
    'warning',
    `Client ${describe} scheduled to be closed ASAP for overcoming of output buffer limits.`,
  );
  node.closeClient(client);
}
