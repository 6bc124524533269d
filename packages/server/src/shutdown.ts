/**
 * The shutdown sequence, shared by SHUTDOWN (commands/server/shutdown.ts) and the SIGTERM/SIGINT
 * handlers of the binary, as Redis 7.0's prepareForShutdown + finishShutdown (reference §1.5):
 *
 *   "User requested shutdown..."
 *   -> wait for lagging replicas, unless NOW or shutdown-timeout 0 (below)
 *   -> "Lagging replica ..." per replica still behind, "<n> of <m> replicas are in sync ..."
 *   -> a running BGSAVE is aborted ("There is a child saving an .rdb. Killing it!")
 *   -> if (save rules && !NOSAVE) || SAVE: "Saving the final RDB snapshot before exiting." and a
 *      blocking save; on failure without FORCE the shutdown is cancelled and the node keeps running
 *   -> "Redis is now ready to exit, bye bye...", the node stops and the process exits 0.
 *
 * While a dump is loading, a shutdown never saves (Redis forces NOSAVE), so a half-loaded dataset
 * cannot overwrite the dump.
 *
 * Replicas (prepareForShutdown's isReadyToShutdown): when some replica has not acknowledged
 * master_repl_offset, a REPLCONF GETACK goes out, "Waiting for replicas before shutting down." is
 * logged, and the cron (`continueShutdown`) finishes the shutdown once every replica acknowledged
 * or shutdown-timeout passed. SHUTDOWN ABORT during that wait cancels it ("Shutdown manually
 * aborted.", the SHUTDOWN caller gets the error). Client writes are paused during the wait
 * (client-pause.ts, purpose 'shutdown'), so the replicas can catch up; a cancelled or aborted
 * shutdown ends the pause.
 */
import { SHUTDOWN_FLAGS_DEFAULT, type ShutdownFlags } from './config/server-config.js';
import type { ServerNode } from './node.js';
import { REPLICA_STATE_INFO } from './replication/replica-client.js';

/**
 * Runs the shutdown with `flags`. On success the node exits (node.exit(0)) and `failed` is never
 * called; on failure the node keeps running, `failed` runs, and the caller tells its client.
 */
export function shutdownNode(node: ServerNode, flags: ShutdownFlags, failed: () => void): void {
  node.shutdownInProgress = true;
  node.shutdownAborted = false;
  node.log('warning', 'User requested shutdown...');
  if (!flags.now && node.config.shutdownTimeout > 0 && !replicasInSync(node)) {
    const deadlineMs = node.env.clock.monotonicMs() + node.config.shutdownTimeout * 1000;
    node.shutdownWait = { deadlineMs, flags, failed };
    // sendGetackToReplicas unless clients are already paused (a GETACK would move the offset).
    if (!node.clientPause.active) node.master.requestAcks();
    node.clientPause.pause('shutdown', Number.MAX_SAFE_INTEGER, 'write');
    node.log('notice', 'Waiting for replicas before shutting down.');
    return;
  }
  finishShutdown(node, flags, failed);
}

/** A shutdown waiting for its replicas to acknowledge (node.shutdownWait). */
export interface ShutdownWait {
  readonly deadlineMs: number;
  readonly flags: ShutdownFlags;
  readonly failed: () => void;
}

/** isReadyToShutdown: every replica acknowledged master_repl_offset. */
function replicasInSync(node: ServerNode): boolean {
  const offset = node.repl.masterReplOffset;
  return node.master.replicas.every((replica) => replica.ackOffset === offset);
}

/** The cron's part of a waiting shutdown: go on once replicas caught up, the timeout passed or ABORT. */
export function continueShutdown(node: ServerNode): void {
  const wait = node.shutdownWait;
  if (wait === undefined) return;
  if (node.shutdownAborted) {
    node.shutdownWait = undefined;
    readyToExit(node, wait.failed);
    return;
  }
  if (node.env.clock.monotonicMs() < wait.deadlineMs && !replicasInSync(node)) return;
  node.shutdownWait = undefined;
  finishShutdown(node, wait.flags, wait.failed);
}

/** finishShutdown's first step: a warning per replica still behind, then the count in sync. */
function logLaggingReplicas(node: ServerNode): void {
  const replicas = node.master.replicas;
  if (replicas.length === 0) return;
  const offset = node.repl.masterReplOffset;
  const nowMs = node.env.clock.monotonicMs();
  let lagging = 0;
  for (const replica of replicas) {
    if (replica.ackOffset === offset) continue;
    lagging++;
    const lagSeconds =
      replica.state === 'online' ? Math.floor((nowMs - replica.ackTimeMs) / 1000) : 0;
    const state = REPLICA_STATE_INFO[replica.state];
    node.log(
      'warning',
      `Lagging replica ${replica.name()} reported offset ${offset - replica.ackOffset} behind master, lag=${lagSeconds}, state=${state}.`,
    );
  }
  node.log(
    'notice',
    `${replicas.length - lagging} of ${replicas.length} replicas are in sync when shutting down.`,
  );
}

function finishShutdown(node: ServerNode, flags: ShutdownFlags, failed: () => void): void {
  logLaggingReplicas(node);
  const persistence = node.persistence;
  if (persistence.bgsaveInProgress) {
    node.log('warning', 'There is a child saving an .rdb. Killing it!');
    persistence.abortBgsave();
  }
  const loading = node.loading !== undefined;
  const nosave = flags.nosave || loading;
  const save = flags.save && !loading;
  if (!((persistence.hasSaveRules && !nosave) || save)) {
    readyToExit(node, failed);
    return;
  }
  node.log('notice', 'Saving the final RDB snapshot before exiting.');
  persistence.save((result) => {
    if (!result.ok) {
      if (!flags.force) {
        node.log('warning', "Error trying to save the DB, can't exit.");
        cancelShutdown(node, failed);
        return;
      }
      node.log('warning', 'Error trying to save the DB. Exit anyway.');
    }
    readyToExit(node, failed);
  });
}

function readyToExit(node: ServerNode, failed: () => void): void {
  if (node.shutdownAborted) {
    node.log('warning', 'Shutdown manually aborted.');
    node.shutdownInProgress = false;
    node.shutdownSignal = undefined;
    node.clientPause.unpause('shutdown');
    failed();
    return;
  }
  node.log('warning', 'Redis is now ready to exit, bye bye...');
  node.exit(0);
}

/** Redis's cancelShutdown: the pending signal is forgotten and the node goes on serving. */
function cancelShutdown(node: ServerNode, failed: () => void): void {
  node.log(
    'warning',
    'Errors trying to shut down the server. Check the logs for more information.',
  );
  node.shutdownInProgress = false;
  node.shutdownSignal = undefined;
  node.clientPause.unpause('shutdown');
  failed();
}

/**
 * SHUTDOWN ABORT: cancels a shutdown in progress (it stops before exiting); false if none runs.
 */
export function abortShutdown(node: ServerNode): boolean {
  if (!node.shutdownInProgress) return false;
  node.shutdownAborted = true;
  return true;
}

/**
 * The binary's signal handler (Redis's sigShutdownHandler): a first SIGTERM or SIGINT only
 * schedules a shutdown for the next cron tick; a second SIGINT while one is pending exits at once
 * with status 1 and no save ("You insist... exiting now.").
 */
export function signalShutdown(node: ServerNode, signal: 'SIGTERM' | 'SIGINT'): void {
  if (node.shutdownSignal !== undefined && signal === 'SIGINT') {
    node.log('warning', 'You insist... exiting now.');
    node.persistence.abortBgsave();
    node.exit(1);
    return;
  }
  node.log('warning', `Received ${signal} scheduling shutdown...`);
  node.shutdownSignal = signal;
}

/**
 * Called by the cron when a signal scheduled a shutdown: runs it with shutdown-on-sigterm /
 * shutdown-on-sigint's flags (NOSAVE while loading). A failed save keeps the node running and
 * forgets the signal, as Redis does.
 */
export function runSignalShutdown(node: ServerNode): void {
  const signal = node.shutdownSignal;
  if (signal === undefined) return;
  const configured =
    signal === 'SIGTERM' ? node.config.shutdownOnSigterm : node.config.shutdownOnSigint;
  const flags =
    node.loading === undefined ? configured : { ...SHUTDOWN_FLAGS_DEFAULT, nosave: true };
  shutdownNode(node, flags, () => {
    node.shutdownSignal = undefined;
  });
}
