/**
 * Which snapshot serves a replica that needs a full sync (syncCommand's three cases, §3.1.4), plus
 * replisim's `repl-snapshot-reuse` option, in one pure decision so the rules read in one place:
 *
 * - A BGSAVE runs and another replica already waits on it with capabilities the newcomer has too:
 *   attach (CASE 1). The newcomer gets the same +FULLRESYNC offset and a copy of what that replica
 *   holds of the stream since the snapshot point. Path `attached` (Redis does this too).
 * - `repl-snapshot-reuse join-any` (or `join-any-or-recent`): any running BGSAVE taken while a
 *   backlog existed can serve it, user- or cron-started, because its offset is known (its repl-*
 *   AUX fields) and the backlog still holds every byte since. Path `joined-any`. Redis would wait
 *   for the next BGSAVE instead, the teaching point of the option.
 * - Otherwise, with a BGSAVE running: wait for the next one, started as soon as it ends.
 * - No BGSAVE runs, `join-any-or-recent`, and the last finished save is of this history and still
 *   covered by the backlog: send that file at once. Path `reused-recent`.
 * - No BGSAVE runs: start one now (CASE 3). Path `new-bgsave`.
 *
 * Diskless (repl-diskless-sync): a BGSAVE streaming to replica sockets can take nobody more
 * (CASE 2: wait); with no BGSAVE running, a replica with capa eof waits for
 * repl-diskless-sync-delay so more replicas can share the next one (the cron starts it). The
 * recent-dump reuse comes first: a file already there beats a delay.
 *
 * Capabilities: Redis attaches only if `(new.capa & old.capa) == old.capa`.
 */
import type { RdbReplicationInfo } from '@replisim/protocol';
import type { ServerNode } from '../node.js';
import type { ReplicaClient } from './replica-client.js';

export type SyncPath = 'attached' | 'joined-any' | 'reused-recent' | 'new-bgsave';

export type SyncPlan =
  | {
      readonly kind: 'attach';
      readonly path: Exclude<SyncPath, 'new-bgsave'>;
      /** The +FULLRESYNC offset: the snapshot's point in the stream. */
      readonly offset: number;
      /** The stream since that point, held until the payload is sent. */
      readonly held: readonly Buffer[];
      readonly log: string;
    }
  | { readonly kind: 'wait'; readonly path: ''; readonly log: string }
  | { readonly kind: 'start'; readonly path: 'new-bgsave' };

export function planFullSync(
  node: ServerNode,
  replicas: readonly ReplicaClient[],
  newcomer: ReplicaClient,
  lastSnapshot: RdbReplicationInfo | undefined,
): SyncPlan {
  const reuse = node.config.replSnapshotReuse;
  const persistence = node.persistence;
  if (persistence.bgsaveTarget === 'socket') {
    return {
      kind: 'wait',
      path: '',
      log: 'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC',
    };
  }
  if (persistence.bgsaveInProgress) {
    const peer = replicas.find(
      (replica) =>
        replica !== newcomer &&
        replica.state === 'wait_bgsave_end' &&
        capabilitiesCover(newcomer, replica),
    );
    if (peer !== undefined) {
      return {
        kind: 'attach',
        path: 'attached',
        offset: peer.initialOffset,
        held: peer.heldStream(),
        log: 'Waiting for end of BGSAVE for SYNC',
      };
    }
    const running = persistence.bgsaveReplication;
    if (reuse !== 'no' && running !== undefined) {
      const held = streamSince(node, running);
      if (held !== undefined) {
        return {
          kind: 'attach',
          path: 'joined-any',
          offset: running.offset,
          held: [held],
          log: `Waiting for end of BGSAVE for SYNC (repl-snapshot-reuse: joined the BGSAVE started by ${persistence.bgsaveReason ?? 'unknown'} at offset ${running.offset})`,
        };
      }
    }
    return {
      kind: 'wait',
      path: '',
      log: "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
    };
  }
  if (reuse === 'join-any-or-recent' && lastSnapshot !== undefined) {
    const held = streamSince(node, lastSnapshot);
    if (held !== undefined) {
      return {
        kind: 'attach',
        path: 'reused-recent',
        offset: lastSnapshot.offset,
        held: [held],
        log: `Sending the last saved snapshot for SYNC (repl-snapshot-reuse: offset ${lastSnapshot.offset}, ${held.length} bytes of backlog follow)`,
      };
    }
  }
  const config = node.config;
  if (config.replDisklessSync && newcomer.capaEof && config.replDisklessSyncDelay > 0) {
    return { kind: 'wait', path: '', log: 'Delay next BGSAVE for diskless SYNC' };
  }
  return { kind: 'start', path: 'new-bgsave' };
}

/** Redis's attach test: the newcomer has every capability the waiting replica has. */
function capabilitiesCover(newcomer: ReplicaClient, waiting: ReplicaClient): boolean {
  return (newcomer.capaEof || !waiting.capaEof) && (newcomer.capaPsync2 || !waiting.capaPsync2);
}

/** The stream after a snapshot of this history, if the backlog still holds all of it. */
function streamSince(node: ServerNode, snapshot: RdbReplicationInfo): Buffer | undefined {
  const repl = node.repl;
  if (snapshot.replid !== repl.replid || repl.backlog === undefined) return undefined;
  if (!repl.backlog.covers(snapshot.offset + 1)) return undefined;
  return repl.backlog.readFrom(snapshot.offset + 1);
}
