/**
 * Moves bytes between a client's connection and the dispatcher: feed the parser, run the complete
 * requests, then flush all replies with one write (this batching is what makes pipelines fast).
 *
 * Turns. A client runs its requests in turns: a turn is one data event (or one continuation); it
 * runs at most CLIENT_COMMANDS_PER_TURN_MAX commands and ends once its replies reach the turn's
 * reply budget (client-output.ts). A client with requests left after its turn gets the next one
 * through a 0 ms Env timer, after the events already queued (other clients' data, timers): one
 * client cannot hold the event loop, and the simulator stays deterministic. Reading stops while a
 * continuation is pending, so the requests not run yet wait in the network, not in the parser; and
 * while the node is paused (DEBUG SLEEP, a blocking SAVE), as Redis reads nothing then.
 *
 * Limits, as Redis applies them: client-query-buffer-limit on every read and on a pending request;
 * client-output-buffer-limit normal after every command (client-output.ts), so a pipeline cannot
 * pile up gigabytes of replies before the check. A client whose unsent replies are over its pause
 * threshold is not read until they drain (client-output.ts). A protocol error is answered, then
 * the connection is closed as soon as the reply is out, as Redis does (Connection.end releases it
 * without waiting for the peer).
 */
import { QUERY_BUFFER_LIMIT_MESSAGE } from '@replisim/protocol';
import type { Client } from './client.js';
import {
  closeForOutputLimit,
  isNormalClient,
  OUTPUT_DRAIN_POLL_MS,
  outputLimitReached,
  outputPauseBytes,
  turnReplyBytesMax,
} from './client-output.js';
import { dispatch } from './commands/dispatch.js';
import type { ServerNode } from './node.js';

/**
 * Commands one client may run in one turn before the others get theirs. Redis bounds a turn by
 * its read size instead (PROTO_IOBUF_LEN, 16 KB: some 700 short commands); a count keeps a turn
 * the same however the network cut the bytes, which the simulator's replays need.
 */
export const CLIENT_COMMANDS_PER_TURN_MAX: number = 1000;

export function serveClient(node: ServerNode, client: Client): void {
  const connection = client.connection;
  connection.onData((chunk) => onClientData(node, client, chunk));
  connection.onClose(() => {
    cancelTimers(node, client);
    node.clients.delete(client.id);
    node.watches.unwatchAll(client);
    // Lists engineer: a client that disconnects while blocked stops waiting (keyspace/blocking.ts).
    node.blocking.removeClient(client);
    node.pubsub.removeClient(client);
    node.clientPause.removeClient(client);
    node.tracking.disable(client);
    // Replication: a replica leaves the master's list, a WAIT caller stops waiting.
    node.master.clientGone(client);
  });
}

function onClientData(node: ServerNode, client: Client, chunk: Buffer): void {
  if (client.closing) return;
  node.stats.netInputBytes += chunk.length;
  client.lastInteractionMs = node.env.clock.monotonicMs();
  // Redis applies its tighter unauthenticated limits only while a password is actually required.
  client.parser.authRequired = !client.authenticated && node.acl.defaultNeedsAuth();
  client.parser.feed(chunk);
  // readQueryFromClient checks on every read, so a client that is not parsed (blocked, or the node
  // paused) cannot queue more than the limit either.
  if (client.parser.bufferedBytes() > node.config.clientQueryBufferLimit) {
    closeForQueryBuffer(node, client);
    return;
  }
  if (node.paused) {
    // Redis reads nothing while it sleeps or saves: the next bytes wait in the network, and the
    // node's resume (resumeInput -> processClientInput) reads the client again.
    updateReading(node, client);
    return;
  }
  processClientInput(node, client);
}

/**
 * Runs one turn of `client`'s buffered requests, then flushes the replies. While the node is
 * paused (DEBUG SLEEP, a blocking SAVE) it does nothing and returns without flushing: requests wait
 * in the parser, replies in the reply buffer, and the node calls this again for every client when
 * the pause ends.
 */
export function processClientInput(node: ServerNode, client: Client): void {
  if (client.closing) return;
  const normal = isNormalClient(node, client);
  const replyBytesMax = turnReplyBytesMax(node);
  let commands = 0;
  let turnUsedUp = false;
  for (;;) {
    if (node.paused) return;
    // Lists engineer: a blocked client's requests wait in the parser until it is unblocked.
    if (client.blocked) break;
    // A command that replies later (SHUTDOWN, DEBUG RELOAD) holds the client's next requests.
    if (client.suspended) break;
    // A CLIENT PAUSE holds its command (client-pause.ts); the release runs it and the rest.
    if (client.postponed) break;
    // During a busy script the master's stream waits in the parser instead of getting -BUSY
    // (processInputBuffer); scripting/engine.ts runs it when the script ends.
    if (client.isMaster && node.busyScript !== undefined) break;
    // Unsent replies over the pause threshold: nothing more runs until they drain.
    if (client.outputPauseTimer !== undefined) break;
    if (commands >= CLIENT_COMMANDS_PER_TURN_MAX || client.reply.bytesPending() >= replyBytesMax) {
      turnUsedUp = true;
      break;
    }
    const argv = client.pendingCommand ?? nextRequest(node, client);
    // A query buffer over its limit closed the client: nothing more to flush or schedule.
    if (argv === 'closed') return;
    if (argv === 'none') break;
    client.pendingCommand = undefined;
    const pendingBefore = client.reply.bytesPending();
    dispatch(node, client, argv);
    afterCommand(client, pendingBefore);
    commands++;
    // Lists engineer: serve clients blocked on keys this command pushed to (keyspace/blocking.ts).
    node.blocking.handleReadyKeys();
    if (client.closing) break;
    // closeClientOnOutputBufferLimitReached: checked as replies are produced, not once per read.
    if (normal && outputLimitReached(node, client)) {
      closeForOutputLimit(node, client, describeClient(client));
      node.blocking.processUnblocked();
      return;
    }
  }
  // Redis's beforeSleep: the BCAST invalidations of this turn's changes follow its replies.
  node.tracking.broadcast();
  flushClient(node, client);
  if (!isGone(node, client)) scheduleNextTurn(node, client, normal, turnUsedUp);
  // Lists engineer: then flush the clients just unblocked and run their pipelined requests.
  node.blocking.processUnblocked();
}

/**
 * CLIENT REPLY: a command run with replies off or skipped leaves nothing to send; then the skip
 * flags move on (resetClient), except for a command still waiting (blocked, held by a pause).
 */
function afterCommand(client: Client, pendingBefore: number): void {
  if (client.repliesOff || client.replySkip) client.reply.discardFrom(pendingBefore);
  if (client.blocked || client.postponed) return;
  client.replySkip = client.replySkipNext;
  client.replySkipNext = false;
}

/**
 * The client's next complete request from its parser; 'none' when there is none yet or the input
 * was bad (a protocol error is answered and the client marked closing); 'closed' when a query
 * buffer over its limit closed the client.
 */
function nextRequest(node: ServerNode, client: Client): readonly Buffer[] | 'none' | 'closed' {
  const request = client.parser.next();
  if (request.kind === 'incomplete') return 'none';
  if (request.kind === 'error') {
    if (request.message === QUERY_BUFFER_LIMIT_MESSAGE) {
      closeForQueryBuffer(node, client);
      return 'closed';
    }
    node.log(
      'verbose',
      `Protocol error (${request.message}) from client: ${describeClient(client)}`,
    );
    node.replyError(client, `ERR ${request.message}`);
    client.closing = true;
    return 'none';
  }
  return request.argv;
}

/**
 * After a turn: a client whose unsent output is over its pause threshold waits for it to drain;
 * one that used up its turn gets another after the events already queued; the others are read.
 */
function scheduleNextTurn(
  node: ServerNode,
  client: Client,
  normal: boolean,
  turnUsedUp: boolean,
): void {
  if (normal && client.connection.bufferedBytes() > outputPauseBytes(node)) {
    startOutputPause(node, client);
  } else if (turnUsedUp && client.turnTimer === undefined) {
    client.turnTimer = node.env.timers.after(0, () => {
      client.turnTimer = undefined;
      if (isGone(node, client)) return;
      processClientInput(node, client);
    });
  }
  updateReading(node, client);
}

/**
 * Pauses `client` until its unsent output falls to half its pause threshold, looking every
 * OUTPUT_DRAIN_POLL_MS; the soft limit's clock keeps running meanwhile (client-output.ts).
 */
function startOutputPause(node: ServerNode, client: Client): void {
  if (client.outputPauseTimer !== undefined) return;
  const poll = (): void => {
    client.outputPauseTimer = undefined;
    if (isGone(node, client)) return;
    if (outputLimitReached(node, client)) {
      closeForOutputLimit(node, client, describeClient(client));
      return;
    }
    if (client.connection.bufferedBytes() > outputPauseBytes(node) / 2) {
      client.outputPauseTimer = node.env.timers.after(OUTPUT_DRAIN_POLL_MS, poll);
      return;
    }
    updateReading(node, client);
    processClientInput(node, client);
  };
  client.outputPauseTimer = node.env.timers.after(OUTPUT_DRAIN_POLL_MS, poll);
}

/** Reads from the connection unless the node is paused, a turn is pending or the output is paused. */
function updateReading(node: ServerNode, client: Client): void {
  const wanted =
    !node.paused && client.turnTimer === undefined && client.outputPauseTimer === undefined;
  if (wanted && client.readingPaused) {
    client.readingPaused = false;
    client.connection.resumeReading();
  } else if (!wanted && !client.readingPaused) {
    client.readingPaused = true;
    client.connection.pauseReading();
  }
}

function cancelTimers(node: ServerNode, client: Client): void {
  if (client.turnTimer !== undefined) node.env.timers.cancel(client.turnTimer);
  if (client.outputPauseTimer !== undefined) node.env.timers.cancel(client.outputPauseTimer);
  client.turnTimer = undefined;
  client.outputPauseTimer = undefined;
}

function isGone(node: ServerNode, client: Client): boolean {
  return client.closing || node.clients.get(client.id) !== client;
}

/** Redis closes such a client without a reply (networking.c, readQueryFromClient). */
function closeForQueryBuffer(node: ServerNode, client: Client): void {
  node.log(
    'warning',
    `Closing client that reached max query buffer length: ${describeClient(client)}`,
  );
  node.closeClient(client);
}

/** Sends the pending replies; closes the client if it asked to (QUIT) or overran its output limit. */
export function flushClient(node: ServerNode, client: Client): void {
  const out = client.reply.take();
  if (out !== null) {
    node.stats.netOutputBytes += out.length;
    client.connection.write(out);
    // Replicas have their own class limit, checked as the stream is fed (replication/master.ts).
    if (isNormalClient(node, client) && outputLimitReached(node, client)) {
      closeForOutputLimit(node, client, describeClient(client));
      return;
    }
  }
  if (client.closing) {
    node.clients.delete(client.id);
    client.connection.end();
  }
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
