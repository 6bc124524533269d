/**
 * Moves bytes between a client's connection and the dispatcher: feed the parser, run every complete
 * request in the chunk, then flush all replies with one write (this batching is what makes pipelines
 * fast). Enforces the per-client limits: the query buffer (client-query-buffer-limit) and the output
 * buffer (client-output-buffer-limit normal). A protocol error is answered, then the connection is
 * closed after the reply is flushed, as Redis does.
 */
import { QUERY_BUFFER_LIMIT_MESSAGE } from '@replisim/protocol';
import type { Client } from './client.js';
import { dispatch } from './commands/dispatch.js';
import type { ServerNode } from './node.js';

export function serveClient(node: ServerNode, client: Client): void {
  const connection = client.connection;
  connection.onData((chunk) => onClientData(node, client, chunk));
  connection.onClose(() => {
    node.clients.delete(client.id);
    node.watches.unwatchAll(client);
    // Lists engineer: a client that disconnects while blocked stops waiting (keyspace/blocking.ts).
    node.blocking.removeClient(client);
    // Replication: a replica leaves the master's list, a WAIT caller stops waiting.
    node.master.clientGone(client);
  });
}

function onClientData(node: ServerNode, client: Client, chunk: Buffer): void {
  if (client.closing) return;
  node.stats.netInputBytes += chunk.length;
  client.lastInteractionMs = node.env.clock.monotonicMs();
  // Redis applies its tighter unauthenticated limits only while a password is actually required.
  client.parser.authRequired = !client.authenticated && node.config.requirepass !== '';
  client.parser.feed(chunk);
  processClientInput(node, client);
}

/**
 * Runs every complete request buffered for `client`, then flushes the replies. While the node is
 * paused (DEBUG SLEEP) it does nothing and returns without flushing: requests wait in the parser,
 * replies in the reply buffer, and the node calls this again for every client when the pause ends.
 */
export function processClientInput(node: ServerNode, client: Client): void {
  if (client.closing) return;
  for (;;) {
    if (node.paused) return;
    // Lists engineer: a blocked client's requests wait in the parser until it is unblocked.
    if (client.blocked) break;
    // A command that replies later (SHUTDOWN, DEBUG RELOAD) holds the client's next requests.
    if (client.suspended) break;
    // During a busy script the master's stream waits in the parser instead of getting -BUSY
    // (processInputBuffer); scripting/engine.ts runs it when the script ends.
    if (client.isMaster && node.busyScript !== undefined) break;
    const request = client.parser.next();
    if (request.kind === 'incomplete') break;
    if (request.kind === 'error') {
      if (request.message === QUERY_BUFFER_LIMIT_MESSAGE) {
        // Redis closes such a client without a reply (networking.c, processInputBuffer).
        node.log(
          'warning',
          `Closing client that reached max query buffer length: ${describeClient(client)}`,
        );
        node.closeClient(client);
        return;
      }
      node.log(
        'verbose',
        `Protocol error (${request.message}) from client: ${describeClient(client)}`,
      );
      node.replyError(client, `ERR ${request.message}`);
      client.closing = true;
      break;
    }
    dispatch(node, client, request.argv);
    // Lists engineer: serve clients blocked on keys this command pushed to (keyspace/blocking.ts).
    node.blocking.handleReadyKeys();
    if (client.closing) break;
  }
  flushClient(node, client);
  // Lists engineer: then flush the clients just unblocked and run their pipelined requests.
  node.blocking.processUnblocked();
}

/** Sends the pending replies; closes the client if it asked to (QUIT) or overran its output limit. */
export function flushClient(node: ServerNode, client: Client): void {
  const out = client.reply.take();
  if (out !== null) {
    node.stats.netOutputBytes += out.length;
    client.connection.write(out);
    // Replicas have their own class limit, checked as the stream is fed (replication/master.ts).
    if (!node.master.isReplicaClient(client) && outputLimitReached(node, client)) {
      node.log(
        'warning',
        `Client ${describeClient(client)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      node.closeClient(client);
      return;
    }
  }
  if (client.closing) {
    node.clients.delete(client.id);
    client.connection.end();
  }
}

/** The hard limit closes at once; the soft limit only after being exceeded for softSeconds. */
function outputLimitReached(node: ServerNode, client: Client): boolean {
  const limit = node.config.clientOutputBufferLimit.normal;
  const pending = client.connection.bufferedBytes();
  if (limit.hardBytes > 0 && pending >= limit.hardBytes) return true;
  if (limit.softBytes === 0 || pending < limit.softBytes) {
    client.softLimitSinceMs = -1;
    return false;
  }
  const nowMs = node.env.clock.monotonicMs();
  if (client.softLimitSinceMs < 0) client.softLimitSinceMs = nowMs;
  return nowMs - client.softLimitSinceMs >= limit.softSeconds * 1000;
}

/** The short client description Redis uses in log lines. */
export function describeClient(client: Client): string {
  return `id=${client.id} addr=${client.address()} laddr=${client.localAddress()} name=${client.name}`;
}

/**
 * Ends the wait of a client suspended by a command that replied later: `reply` writes the late
 * reply, then the client's pipelined requests run and everything is flushed. A client that went
 * away meanwhile is left alone.
 */
export function resumeSuspendedClient(
  node: ServerNode,
  client: Client,
  reply: (client: Client) => void,
): void {
  client.suspended = false;
  if (client.closing || node.clients.get(client.id) !== client) return;
  reply(client);
  processClientInput(node, client);
}
