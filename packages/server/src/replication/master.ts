/**
 * The master side of replication (Redis's replication.c, master half; reference §3): the replicas,
 * the stream they and the backlog receive, full and partial syncs, the BGSAVE that feeds full
 * syncs, keepalives and timeouts. `node.master` is this object on every node.
 *
 * For the REPLICA side (packages/replica and its server glue), the agreed seams are:
 * - `feedFromMasterStream(bytes)`: a replica proxies the stream bytes it applied to its own backlog
 *   and sub-replicas (replicationFeedStreamFromMasterStream). On a replica the node's own
 *   propagation is ignored here (replicationFeedSlaves returns early when masterhost is set).
 * - `disconnectReplicas()`: drops every replica (a full sync from a new master, a replid change).
 * - `isReplicaClient(client)`: the connection is a replica of this node.
 * - `streamSourceChanged()`: call after the node became or stopped being a replica, so the
 *   propagation subscription follows (it is also re-checked every second by the cron).
 * - `snapshotReplicationInfo()`: the repl-* AUX fields a snapshot of this node writes now.
 * - A payload's repl-stream-db is the database the stream after it is in: a joined or reused
 *   snapshot's stream does not start with SELECT, so a replica selects that db for its master client.
 * - repl-diskless-sync defaults to yes (Redis 7.0): a replica announcing capa eof gets `$EOF:`
 *   framing after repl-diskless-sync-delay (5 s), and must ACK before its stream starts.
 *
 * The stream: while a backlog exists this object subscribes to node.propagation and hands every
 * chunk to node.repl (the backlog; master_repl_offset) and to each replica (replica-client.ts holds
 * it back until the replica's payload is sent). Without a backlog nothing subscribes, so a node
 * that never had a replica encodes no stream at all and keeps master_repl_offset 0, as Redis.
 *
 * Which snapshot a full sync uses is sync-plan.ts's decision; sending a finished dump is
 * bulk-transfer.ts's job, streaming a diskless one socket-sink.ts's; WAIT's bookkeeping is
 * wait-registry.ts's; INFO's view is master-info.ts's.
 *
 * Deviations from Redis 7.0, all deliberate: each replica has its own held-stream queue instead of
 * references into one shared buffer, so the backlog is exactly repl-backlog-size and a lagging
 * replica does not grow it; rdb-only / filtered replicas (redis-cli --rdb) get the full stream.
 */
import { encodeCommand, type RdbReplicationInfo } from '@replisim/protocol';
import type { Client } from '../client.js';
import { describeClient } from '../client-io.js';
import type { ServerNode } from '../node.js';
import type { SaveOutcome } from '../persistence/persistence.js';
import { pathIn } from '../persistence/rdb-file.js';
import { BulkTransfer } from './bulk-transfer.js';
import { ReplicaClient } from './replica-client.js';
import { SocketSink } from './socket-sink.js';
import { planFullSync } from './sync-plan.js';
import { WaitRegistry } from './wait-registry.js';

/** CONFIG_REPL_BACKLOG_MIN_SIZE: resizeReplicationBacklog never goes below 16 KB. */
export const BACKLOG_SIZE_MIN: number = 16 * 1024;

/** What a connection announced with REPLCONF before (and after) it asked to sync. */
export interface ReplicaAnnouncement {
  listeningPort: number;
  ip: string;
  capaEof: boolean;
  capaPsync2: boolean;
}

/** Counters of INFO stats (sync_*) and of replisim's sync paths (INFO replication). */
export interface SyncCounters {
  full: number;
  partialOk: number;
  partialErr: number;
  /** Full syncs served by a snapshot not started for them (repl-snapshot-reuse). */
  reusedSnapshots: number;
}

export type SyncRequest =
  | { readonly kind: 'sync' }
  | { readonly kind: 'psync'; readonly replid: string; readonly offset: number };

const PING_COMMAND: Buffer = encodeCommand(['ping']);
const GETACK_COMMAND: Buffer = encodeCommand(['REPLCONF', 'GETACK', '*']);

export class ReplicationMaster {
  readonly replicas: ReplicaClient[] = [];
  readonly counters: SyncCounters = { full: 0, partialOk: 0, partialErr: 0, reusedSnapshots: 0 };
  readonly waits: WaitRegistry;
  private readonly node: ServerNode;
  private readonly byClient = new Map<Client, ReplicaClient>();
  private readonly announcements = new WeakMap<Client, ReplicaAnnouncement>();
  private readonly transfers = new Map<ReplicaClient, BulkTransfer>();
  private unsubscribe: (() => void) | undefined;
  /** repl_no_slaves_since, monotonic ms. */
  private noReplicasSinceMs: number;
  private lastCronMs: number;
  private cronLoops = 0;
  /** The last finished save whose file may serve a sync (repl-snapshot-reuse join-any-or-recent). */
  private lastSnapshot: RdbReplicationInfo | undefined;
  /** A REPLCONF GETACK is due at the end of this event (beforeSleep's get_ack_from_slaves). */
  private getackScheduled = false;

  constructor(node: ServerNode) {
    this.node = node;
    const nowMs = node.env.clock.monotonicMs();
    this.noReplicasSinceMs = nowMs;
    this.lastCronMs = nowMs;
    this.waits = new WaitRegistry(node, this);
    node.persistence.onSaveDone((outcome) => this.saveDone(outcome));
  }

  // --- Seams ----------------------------------------------------------------------------------

  isReplicaClient(client: Client): boolean {
    return this.byClient.has(client);
  }

  /** What `client` announced with REPLCONF (created on first use). */
  announcement(client: Client): ReplicaAnnouncement {
    let found = this.announcements.get(client);
    if (found === undefined) {
      found = { listeningPort: 0, ip: '', capaEof: false, capaPsync2: false };
      this.announcements.set(client, found);
    }
    return found;
  }

  /** The repl-* AUX fields of a snapshot taken now: only a node with a backlog has them. */
  snapshotReplicationInfo(): RdbReplicationInfo | undefined {
    const repl = this.node.repl;
    if (repl.backlog === undefined) return undefined;
    const streamDb = this.nodeIsReplica() ? this.masterClientDb() : this.node.propagation.streamDb;
    return {
      streamDb: Math.max(streamDb, 0),
      replid: repl.replid,
      offset: repl.masterReplOffset,
    };
  }

  /**
   * loadDataFromDisk on a master whose dump has repl-* AUX fields ("PSYNC2: partial resync after
   * restart"): the dump's history becomes replid2, continuable up to its offset + 1, the offset
   * goes on from there and an (empty) backlog starts, so a replica of the old run can PSYNC and
   * get +CONTINUE with the new id. (Redis also feeds the DELs of keys that expired in the dump into
   * that backlog; replisim's loader drops them without propagating.)
   */
  adoptLoadedHistory(): void {
    const node = this.node;
    const loaded = node.loadedReplication;
    if (loaded === undefined || node.config.replicaof !== undefined) return;
    const repl = node.repl;
    repl.replid2 = loaded.replid;
    repl.secondReplidOffset = loaded.offset + 1;
    repl.masterReplOffset = loaded.offset;
    this.noReplicasSinceMs = node.env.clock.monotonicMs();
    this.createBacklog();
  }

  /** A replica proxies the bytes it applied from its master (replicationFeedStreamFromMasterStream). */
  feedFromMasterStream(bytes: Buffer): void {
    this.feedStream(bytes);
  }

  /** Drops every replica (replicationSetMaster / a replid change make their history invalid). */
  disconnectReplicas(): void {
    for (const replica of [...this.replicas]) this.node.closeClient(replica.client);
  }

  /** Follows the node's role: a top-level master with a backlog subscribes to its propagation. */
  streamSourceChanged(): void {
    const wanted = this.node.repl.backlog !== undefined && !this.nodeIsReplica();
    if (wanted && this.unsubscribe === undefined) {
      this.unsubscribe = this.node.propagation.subscribe((chunk) => {
        // On a replica the applied stream arrives through feedFromMasterStream instead.
        if (!this.nodeIsReplica()) this.feedStream(chunk.bytes);
      });
    } else if (!wanted && this.unsubscribe !== undefined) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /** A connection closed (client-io's close handler): a replica leaves the list. */
  clientGone(client: Client): void {
    this.waits.clientGone(client);
    const replica = this.byClient.get(client);
    if (replica === undefined) return;
    this.byClient.delete(client);
    replica.gone = true;
    this.replicas.splice(this.replicas.indexOf(replica), 1);
    this.transfers.get(replica)?.abort();
    this.transfers.delete(replica);
    this.node.log('warning', `Connection with replica ${replica.name()} lost.`);
    if (this.replicas.length === 0) this.noReplicasSinceMs = this.node.env.clock.monotonicMs();
  }

  // --- The stream -----------------------------------------------------------------------------

  /** replicationFeedSlaves' tail: the backlog, then every replica, then the output limits. */
  private feedStream(bytes: Buffer): void {
    this.node.repl.feed(bytes);
    if (this.replicas.length === 0) return;
    for (const replica of this.replicas) replica.feed(bytes);
    this.enforceOutputLimits();
  }

  /** A command fed to replicas only, in the stream's current database (PING, GETACK). */
  private feedReplicasOnly(bytes: Buffer): void {
    if (this.replicas.length === 0 || this.nodeIsReplica()) return;
    this.feedStream(bytes);
  }

  /** client-output-buffer-limit replica: a replica over it is dropped and must sync again. */
  private enforceOutputLimits(): void {
    const limit = this.node.config.clientOutputBufferLimit.replica;
    const nowMs = this.node.env.clock.monotonicMs();
    for (const replica of [...this.replicas]) {
      const client = replica.client;
      const bytes = replica.outputBytes;
      let over = limit.hardBytes > 0 && bytes >= limit.hardBytes;
      if (!over && limit.softBytes > 0 && bytes >= limit.softBytes) {
        if (client.softLimitSinceMs < 0) client.softLimitSinceMs = nowMs;
        over = nowMs - client.softLimitSinceMs >= limit.softSeconds * 1000;
      } else if (!over) {
        client.softLimitSinceMs = -1;
      }
      if (!over) continue;
      this.node.log(
        'warning',
        `Client ${describeClient(client)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      this.node.closeClient(client);
    }
  }

  // --- SYNC and PSYNC -------------------------------------------------------------------------

  /**
   * syncCommand after its refusals: a partial resync if PSYNC allows one, else a full one. Every
   * reply goes straight to the connection (+FULLRESYNC / +CONTINUE are not ordinary replies).
   */
  startSync(client: Client, request: SyncRequest): void {
    const node = this.node;
    const nowMs = node.env.clock.monotonicMs();
    const replica = new ReplicaClient(client, request.kind === 'sync', nowMs);
    const announced = this.announcement(client);
    replica.listeningPort = announced.listeningPort;
    replica.announcedIp = announced.ip;
    replica.capaEof = announced.capaEof;
    replica.capaPsync2 = announced.capaPsync2;
    node.log('notice', `Replica ${replica.name()} asks for synchronization`);
    if (request.kind === 'psync') {
      if (this.tryPartialResync(replica, request.replid, request.offset)) {
        this.counters.partialOk++;
        return;
      }
      if (request.replid !== '?') this.counters.partialErr++;
    }
    this.counters.full++;
    this.addReplica(replica);
    const repl = node.repl;
    if (this.replicas.length === 1 && repl.backlog === undefined) {
      repl.changeReplicationId();
      repl.clearReplicationId2();
      this.createBacklog();
      node.log(
        'notice',
        `Replication backlog created, my new replication IDs are '${repl.replid}' and '${repl.replid2}'`,
      );
    }
    this.planSync(replica);
  }

  /** masterTryPartialResynchronization (§3.2), with Redis's log lines. */
  private tryPartialResync(replica: ReplicaClient, replid: string, offset: number): boolean {
    const node = this.node;
    const repl = node.repl;
    const sameHistory =
      replid.toLowerCase() === repl.replid ||
      (replid.toLowerCase() === repl.replid2 && offset <= repl.secondReplidOffset);
    if (!sameHistory) {
      if (replid === '?') {
        node.log('notice', `Full resync requested by replica ${replica.name()}`);
      } else if (replid.toLowerCase() !== repl.replid && replid.toLowerCase() !== repl.replid2) {
        node.log(
          'notice',
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${repl.replid}' and '${repl.replid2}')`,
        );
      } else {
        node.log(
          'notice',
          `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${repl.secondReplidOffset}`,
        );
      }
      return false;
    }
    const backlog = repl.backlog;
    if (backlog === undefined || !backlog.covers(offset)) {
      node.log(
        'notice',
        `Unable to partial resync with replica ${replica.name()} for lack of backlog (Replica request was: ${offset}).`,
      );
      if (offset > repl.masterReplOffset) {
        node.log(
          'warning',
          `Warning: replica ${replica.name()} tried to PSYNC with an offset that is greater than the master replication offset.`,
        );
      }
      return false;
    }
    this.addReplica(replica);
    replica.state = 'online';
    const connection = replica.client.connection;
    connection.write(
      Buffer.from(replica.capaPsync2 ? `+CONTINUE ${repl.replid}\r\n` : '+CONTINUE\r\n', 'latin1'),
    );
    const backlogBytes = backlog.readFrom(offset);
    // The test-only bug drops the first byte the replica asked for (testing/test-bugs.ts).
    const bytes = node.testBugs.has('psync-resumes-one-byte-late')
      ? backlogBytes.subarray(Math.min(1, backlogBytes.length))
      : backlogBytes;
    if (bytes.length > 0) connection.write(bytes);
    node.log(
      'notice',
      `Partial resynchronization request from ${replica.name()} accepted. Sending ${bytes.length} bytes of backlog starting from offset ${offset}.`,
    );
    return true;
  }

  private addReplica(replica: ReplicaClient): void {
    this.replicas.push(replica);
    this.byClient.set(replica.client, replica);
  }

  /** createReplicationBacklog, at the configured size (16 KB at least), and the subscription. */
  private createBacklog(): void {
    this.node.repl.createBacklog(Math.max(BACKLOG_SIZE_MIN, this.node.config.replBacklogSize));
    this.streamSourceChanged();
  }

  /** Applies sync-plan.ts's decision for a replica waiting in wait_bgsave_start. */
  private planSync(replica: ReplicaClient): void {
    const node = this.node;
    const plan = planFullSync(node, this.replicas, replica, this.lastSnapshot);
    replica.syncPath = plan.path;
    switch (plan.kind) {
      case 'attach': {
        if (plan.path !== 'attached') this.counters.reusedSnapshots++;
        this.setupFullResync(replica, plan.offset, plan.held);
        node.log('notice', plan.log);
        if (plan.path === 'reused-recent') this.startTransfer(replica);
        return;
      }
      case 'wait':
        node.log('notice', plan.log);
        return;
      case 'start':
        this.startBgsaveForReplication();
        return;
    }
  }

  /**
   * replicationSetupSlaveForFullResync: +FULLRESYNC with the snapshot's offset (plain SYNC gets no
   * line), and the stream is held from that point.
   */
  private setupFullResync(replica: ReplicaClient, offset: number, held: readonly Buffer[]): void {
    replica.holdFrom(offset, held);
    if (!replica.prePsync) {
      replica.client.connection.write(
        Buffer.from(`+FULLRESYNC ${this.node.repl.replid} ${offset}\r\n`, 'latin1'),
      );
    }
  }

  /**
   * startBgsaveForReplication: every replica waiting to start gets this BGSAVE. Its target is the
   * replicas' sockets when repl-diskless-sync is on and all of them announced capa eof, else disk.
   */
  private startBgsaveForReplication(): void {
    const node = this.node;
    const waiting = this.replicas.filter((replica) => replica.state === 'wait_bgsave_start');
    const socket = node.config.replDisklessSync && waiting.every((replica) => replica.capaEof);
    node.log(
      'notice',
      `Starting BGSAVE for SYNC with target: ${socket ? 'replicas sockets' : 'disk'}`,
    );
    const offset = node.repl.masterReplOffset;
    if (socket) {
      // +FULLRESYNC goes out first, then the snapshot's `$EOF:` framing from the sink.
      for (const replica of waiting) {
        replica.socketTarget = true;
        this.setupFullResync(replica, offset, []);
      }
      const mark = node.env.random.hex(40);
      node.persistence.startSocketBgsave(
        (onDrain, done) => new SocketSink(node.env, waiting, mark, onDrain, done),
      );
    } else {
      node.persistence.startBgsave('replication');
      for (const replica of waiting) this.setupFullResync(replica, offset, []);
    }
    for (const replica of waiting) replica.syncPath = 'new-bgsave';
    // The new replicas' stream starts with a SELECT (slaveseldb = -1), after the snapshot point.
    node.propagation.forceSelect();
  }

  /** A save ended: waiting replicas get the file (or are dropped), and the next BGSAVE may start. */
  private saveDone(outcome: SaveOutcome): void {
    const node = this.node;
    if (outcome.ok && outcome.target === 'disk') this.lastSnapshot = outcome.replication;
    if (outcome.kind !== 'bgsave') return;
    for (const replica of [...this.replicas]) {
      if (replica.state !== 'wait_bgsave_end') continue;
      if (!outcome.ok) {
        node.log('warning', 'SYNC failed. BGSAVE child returned an error');
        node.closeClient(replica.client);
        continue;
      }
      if (outcome.target === 'disk') {
        this.startTransfer(replica);
        continue;
      }
      node.log(
        'notice',
        `Streamed RDB transfer with replica ${replica.name()} succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming`,
      );
      replica.putOnline(node.env.clock.monotonicMs(), true);
      node.log('notice', `Synchronization with replica ${replica.name()} succeeded`);
    }
    this.startPendingBgsave();
  }

  /** sendBulkToSlave: `$<len>\r\n` + the dump, then online with the held stream. */
  private startTransfer(replica: ReplicaClient): void {
    const node = this.node;
    replica.state = 'send_bulk';
    const path = pathIn(node.config.dir, node.config.dbfilename);
    const transfer = new BulkTransfer(node.env, path, replica.client.connection, (result) => {
      this.transfers.delete(replica);
      if (!this.byClient.has(replica.client)) return;
      if (!result.ok) {
        node.log('warning', `SYNC failed. Can't open/stat DB after BGSAVE: ${result.message}`);
        node.closeClient(replica.client);
        return;
      }
      replica.putOnline(node.env.clock.monotonicMs(), false);
      node.log('notice', `Synchronization with replica ${replica.name()} succeeded`);
      this.waits.acksChanged();
    });
    this.transfers.set(replica, transfer);
    transfer.start();
  }

  /**
   * replicationStartPendingFork / shouldStartChildReplication: when no BGSAVE runs and replicas
   * wait to start, start one; with repl-diskless-sync, only once repl-diskless-sync-max-replicas
   * are waiting or the longest wait reached repl-diskless-sync-delay.
   */
  private startPendingBgsave(): void {
    const node = this.node;
    if (node.persistence.bgsaveInProgress) return;
    const waiting = this.replicas.filter((replica) => replica.state === 'wait_bgsave_start');
    if (waiting.length === 0) return;
    const config = node.config;
    const nowMs = node.env.clock.monotonicMs();
    const longestWaitMs = Math.max(...waiting.map((replica) => nowMs - replica.waitingSinceMs));
    const due =
      !config.replDisklessSync ||
      (config.replDisklessSyncMaxReplicas > 0 &&
        waiting.length >= config.replDisklessSyncMaxReplicas) ||
      longestWaitMs >= config.replDisklessSyncDelay * 1000;
    if (due) this.startBgsaveForReplication();
  }

  // --- REPLCONF ACK, GETACK, WAIT -------------------------------------------------------------

  /** REPLCONF ACK <offset> from a replica: repl_ack_off = max, repl_ack_time = now. */
  ack(client: Client, offset: number): void {
    const replica = this.byClient.get(client);
    if (replica === undefined) return;
    if (offset > replica.ackOffset) replica.ackOffset = offset;
    replica.ackTimeMs = this.node.env.clock.monotonicMs();
    // After a diskless payload the stream starts with the first ACK.
    if (replica.state === 'online' && replica.streamOnAck) replica.startStream();
    this.waits.acksChanged();
    this.node.failover.scheduleCheck();
  }

  /** One REPLCONF GETACK * for all WAIT callers, at the end of this event (beforeSleep). */
  requestAcks(): void {
    if (this.getackScheduled) return;
    this.getackScheduled = true;
    this.node.env.timers.after(0, () => {
      this.getackScheduled = false;
      this.feedReplicasOnly(GETACK_COMMAND);
    });
  }

  /** ONLINE replicas whose ACK reached `offset` (replicationCountAcksByOffset). */
  countAcks(offset: number): number {
    return this.replicas.filter((r) => r.state === 'online' && r.ackOffset >= offset).length;
  }

  /** repl_good_slaves_count: ONLINE replicas that acknowledged within min-replicas-max-lag. */
  goodReplicas(): number {
    const nowMs = this.node.env.clock.monotonicMs();
    const lagMs = this.node.config.minReplicasMaxLag * 1000;
    return this.replicas.filter(
      (replica) => replica.state === 'online' && nowMs - replica.ackTimeMs <= lagMs,
    ).length;
  }

  /** The NOREPLICAS condition: min-replicas-to-write on a master without enough good replicas. */
  writesRefused(): boolean {
    const config = this.node.config;
    if (config.minReplicasToWrite === 0 || config.minReplicasMaxLag === 0) return false;
    if (this.nodeIsReplica()) return false;
    return this.goodReplicas() < config.minReplicasToWrite;
  }

  // --- The cron -------------------------------------------------------------------------------

  /** Called by the node's cron; runs replicationCron once a second. */
  cron(): void {
    const nowMs = this.node.env.clock.monotonicMs();
    if (nowMs - this.lastCronMs < 1000) return;
    this.lastCronMs = nowMs;
    this.replicationCron(nowMs);
    this.cronLoops++;
  }

  private replicationCron(nowMs: number): void {
    const node = this.node;
    const config = node.config;
    this.streamSourceChanged();
    this.resizeBacklogIfConfigured();
    // A FAILOVER with a timeout holds the PINGs while writes are paused: they move the offset.
    if (this.cronLoops % config.replPingReplicaPeriod === 0 && !node.failover.holdsPings) {
      this.feedReplicasOnly(PING_COMMAND);
    }
    for (const replica of [...this.replicas]) {
      // Replicas waiting for their snapshot get a newline a second, so they know we are alive.
      // Not into a diskless payload, which is being written to the socket.
      const presync =
        replica.state === 'wait_bgsave_start' ||
        (replica.state === 'wait_bgsave_end' && !replica.socketTarget);
      if (presync) {
        replica.client.connection.write(NEWLINE);
      }
      if (replica.state === 'wait_bgsave_end' && replica.socketTarget) {
        this.checkDisklessProgress(replica, nowMs);
        continue;
      }
      if (replica.state !== 'online' || replica.prePsync) continue;
      if (nowMs - replica.ackTimeMs > config.replTimeout * 1000) {
        node.log('warning', `Disconnecting timedout replica (streaming sync): ${replica.name()}`);
        node.closeClient(replica.client);
      }
    }
    const ttlSeconds = config.replBacklogTtl;
    if (
      this.replicas.length === 0 &&
      ttlSeconds > 0 &&
      node.repl.backlog !== undefined &&
      !this.nodeIsReplica() &&
      nowMs - this.noReplicasSinceMs > ttlSeconds * 1000
    ) {
      node.repl.changeReplicationId();
      node.repl.clearReplicationId2();
      node.repl.freeBacklog();
      this.streamSourceChanged();
      node.log(
        'notice',
        `Replication backlog freed after ${ttlSeconds} seconds without connected replicas.`,
      );
    }
    this.startPendingBgsave();
    this.enforceOutputLimits();
  }

  /**
   * A diskless payload a replica stopped reading (its socket holds unsent bytes for longer than
   * repl-timeout) ends its sync: "Disconnecting timedout replica (full sync)".
   */
  private checkDisklessProgress(replica: ReplicaClient, nowMs: number): void {
    if (replica.client.connection.bufferedBytes() === 0) {
      replica.stalledSinceMs = -1;
      return;
    }
    if (replica.stalledSinceMs < 0) replica.stalledSinceMs = nowMs;
    if (nowMs - replica.stalledSinceMs <= this.node.config.replTimeout * 1000) return;
    this.node.log('warning', `Disconnecting timedout replica (full sync): ${replica.name()}`);
    this.node.closeClient(replica.client);
  }

  /** CONFIG SET repl-backlog-size: the backlog keeps its newest bytes at the new size. */
  private resizeBacklogIfConfigured(): void {
    const repl = this.node.repl;
    const backlog = repl.backlog;
    if (backlog === undefined) return;
    const size = Math.max(BACKLOG_SIZE_MIN, this.node.config.replBacklogSize);
    if (size === backlog.size) return;
    const kept = backlog.readFrom(backlog.firstByteOffset);
    const next = repl.createBacklog(size);
    // createBacklog starts after masterReplOffset; rewind it to hold the kept history.
    next.lastByteOffset = backlog.firstByteOffset - 1;
    next.feed(kept);
  }

  /**
   * On a replica the stream it proxies is in its master client's database (Redis:
   * server.master->db->id), which is what a sub-replica's snapshot must record.
   */
  private masterClientDb(): number {
    for (const client of this.node.clients.values()) {
      if (client.isMaster) return client.dbIndex;
    }
    return 0;
  }

  /** Whether this node replicates from a master (the REPLICA side sets node.replicaLink). */
  private nodeIsReplica(): boolean {
    return this.node.replicaLink !== undefined;
  }
}

const NEWLINE: Buffer = Buffer.from('\n', 'latin1');
