/**
 * Errors a node sends to its replication peers, logged as Redis 7.0's afterErrorReply logs them
 * (networking.c). A replica never sends its master a reply, so an error the master's stream causes
 * (a command this node refuses, a key of another type here) would otherwise pass in silence while
 * the datasets drift apart. Redis logs, at warning level:
 *
 *   == CRITICAL == This replica is sending an error to its master: '<error>' after processing the command '<cmd>'
 *   Latest backlog is: '<the last 256 bytes of this node's backlog, as sdscatrepr quotes them>'
 *
 * and counts it in INFO's unexpected_error_replies; a master's error to a replica is logged the
 * same way ("This master is sending an error to its replica"), without the backlog line.
 *
 * <error> is the error as Redis passed it to afterErrorReply: its shared error objects keep their
 * leading '-' ('-WRONGTYPE Operation against...', '-ERR syntax error'), while errors built by
 * addReplyError are shown without their implied "ERR " ('value is not an integer or out of
 * range'). Other codes are always passed with their '-'. Checked against redis-server 7.0.15.
 * <cmd> is the command Redis's lookupCommand found (c->lastcmd): '<unknown>' for an unknown
 * command, and 'exec' for an error inside a transaction.
 *
 * Difference: Redis quotes each 16 KB replication buffer block the 256 bytes span on its own
 * ("..."" ..."); replisim's backlog is one ring, so the bytes are always one quoted string.
 */

import type { Client } from '../client.js';
import type { ServerNode } from '../node.js';
import { sdscatrepr } from '../util/sdscatrepr.js';

/** afterErrorReply shows at most this many bytes of the error. */
const ERROR_SHOWN_BYTES_MAX = 4096;
/** showLatestBacklog shows at most this many of the backlog's last bytes. */
const BACKLOG_SHOWN_BYTES_MAX = 256;

/** The -ERR errors Redis sends as shared objects (server.c createSharedObjects), code included. */
const SHARED_ERR_MESSAGES: ReadonlySet<string> = new Set([
  'ERR',
  'ERR no such key',
  'ERR syntax error',
  'ERR source and destination objects are the same',
  'ERR index out of range',
]);

/** Logs `message` (an error reply, without '-' and CRLF) if `client` is a replication peer. */
export function noteErrorToPeer(node: ServerNode, client: Client, message: string): void {
  const toMaster = client.isMaster;
  if (!toMaster && !node.master.isReplicaClient(client)) return;
  const from = toMaster ? 'replica' : 'master';
  const to = toMaster ? 'master' : 'replica';
  const command = client.lastCommand === 'NULL' ? '<unknown>' : client.lastCommand;
  node.log(
    'warning',
    `== CRITICAL == This ${from} is sending an error to its ${to}: '${errorAsShown(message)}' after processing the command '${command}'`,
  );
  const backlog = node.repl.backlog;
  if (toMaster && backlog !== undefined && backlog.histlen > 0) {
    const shown = Math.min(BACKLOG_SHOWN_BYTES_MAX, backlog.histlen);
    const bytes = backlog.readFrom(backlog.lastByteOffset + 1 - shown);
    node.log('warning', `Latest backlog is: '${sdscatrepr(bytes)}'`);
  }
  node.stats.unexpectedErrorReplies++;
}

/** The error as afterErrorReply received it (see the module doc), cut to 4096 bytes. */
export function errorAsShown(message: string): string {
  const shown =
    message.startsWith('ERR ') && !SHARED_ERR_MESSAGES.has(message)
      ? message.slice('ERR '.length)
      : `-${message}`;
  // Redis trims trailing newlines (serverLog adds its own).
  return shown.slice(0, ERROR_SHOWN_BYTES_MAX).replace(/[\r\n]+$/, '');
}

export { sdscatrepr };
