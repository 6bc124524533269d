/**
 * The replica side of a node (reference §4): the ReplicaHost the link (@replisim/replica) drives,
 * and the role changes REPLICAOF and the `replicaof` directive make.
 *
 * - becomeReplica (replicationSetMaster): stops a previous link (caching its master), and, if the
 *   node was a master, caches itself as the master (its replid and offset) so the first PSYNC can
 *   continue; sub-replicas stay connected; keys stop expiring locally; the link connects at once.
 * - becomeMaster (REPLICAOF NO ONE, replicationUnsetMaster): the link stops, the master client
 *   and cached master are dropped, the history shifts (shiftReplicationId) and sub-replicas are
 *   disconnected so they PSYNC again and get +CONTINUE <new id>.
 * - The master client is a Client in the node's table (CLIENT LIST / KILL TYPE master see it)
 *   whose connection is a stand-in: replies to the master are discarded, and killing it drops the
 *   link. Its commands run through the normal dispatcher, which lets it past READONLY, MISCONF and
 *   auth; while one runs, logically expired keys are visible (Redis's expireIfNeeded returns "not
 *   expired" for server.master), and keys are never expired locally on a replica.
 * - Applied bytes go to node.master.feedFromMasterStream (the master side's entry point, which
 *   feeds this node's backlog, master_repl_offset and sub-replicas with exactly those bytes).
 * - A full sync's payload goes to a temp file installed by installSnapshot, or with
 *   repl-diskless-load on-empty-db / swapdb straight into the keyspace (diskless-load.ts).
 */
import type { Connection, NetError } from '@replisim/base';
import { RequestParser } from '@replisim/protocol';
import {
  type InstallResult,
  type PayloadSink,
  type PsyncPosition,
  type ReplicaHost,
  ReplicaLink,
  type ReplicaLogLevel,
  type ReplicaSettings,
} from '@replisim/replica';
import { Client } from '../client.js';
import { flushClient } from '../client-io.js';
import { dispatch, lookupCommandName } from '../commands/dispatch.js';
import type { ServerNode } from '../node.js';
import { dumpPath, loadSnapshotFile } from '../persistence/loader.js';
import { scriptingOf } from '../scripting/engine.js';
import { DisklessLoad } from './diskless-load.js';
import { BACKLOG_SIZE_MIN } from './master.js';

/** The node's replica-side state that outlives one link: the cached master and the master client. */
class NodeReplicaHost implements ReplicaHost {
  private readonly node: ServerNode;
  /** Redis's cached_master: node.repl holds its replid and offset; false = PSYNC ? -1. */
  cachedMaster = false;
  /** The stream db the master client starts in (repl-stream-db of the loaded payload). */
  streamDb = 0;
  masterClient: Client | undefined;
  private fullSync: { replid: string | undefined; offset: number } | undefined;
  /** The link this host currently serves (the master client's connection drops it). */
  link: ReplicaLink | undefined;
  /** The last command applied was MULTI (for the `replica-loses-multi-head` test bug only). */
  private afterMulti = false;

  constructor(node: ServerNode) {
    this.node = node;
  }

  get env(): ServerNode['env'] {
    return this.node.env;
  }

  log(level: ReplicaLogLevel, message: string): void {
    this.node.log(level, message);
  }

  settings(): ReplicaSettings {
    const config = this.node.config;
    return {
      masterauth: config.masterauth,
      masteruser: config.masteruser,
      listeningPort: config.replicaAnnouncePort !== 0 ? config.replicaAnnouncePort : this.node.port,
      announceIp: config.replicaAnnounceIp,
      replTimeoutMs: config.replTimeout * 1000,
      dir: config.dir,
      pid: this.node.pid,
    };
  }

  psyncPosition(): PsyncPosition | undefined {
    if (!this.cachedMaster) return undefined;
    return { replid: this.node.repl.replid, offset: this.node.repl.masterReplOffset };
  }

  fullSyncStarting(replid: string | undefined, offset: number): void {
    // slaveTryPartialResynchronization: +FULLRESYNC discards the cached master.
    this.cachedMaster = false;
    this.fullSync = { replid, offset };
  }

  disklessLoad(): PayloadSink | undefined {
    const node = this.node;
    const mode = node.config.replDisklessLoad;
    const empty = node.databases.every((db) => db.size() === 0);
    if (mode === 'disabled' || (mode === 'on-empty-db' && !empty)) return undefined;
    const link = this.link;
    this.attachToNewMaster();
    return new DisklessLoad(node, mode === 'swapdb' ? 'swapdb' : 'on-empty-db', (result, done) => {
      if (!result.ok) {
        done(result);
        return;
      }
      this.adoptFullSync(link, result.streamDb, done);
    });
  }

  /**
   * replicationAttachToNewMaster: a running BGSAVE is stopped, sub-replicas must sync again and
   * the old backlog is gone (its history is not the new master's).
   */
  private attachToNewMaster(): void {
    const node = this.node;
    if (node.persistence.bgsaveInProgress) node.persistence.abortBgsave();
    node.master.disconnectReplicas();
    node.repl.freeBacklog();
  }

  /**
   * The payload is loaded: take the master's replid and offset, a clean replid2, a fresh backlog
   * and the master client. Not if REPLICAOF changed the link during the load: then the data
   * stays, but nothing is adopted for a link that no longer exists.
   */
  private adoptFullSync(
    link: ReplicaLink | undefined,
    streamDb: number,
    done: (result: InstallResult) => void,
  ): void {
    const node = this.node;
    if (this.link !== link) {
      done({ ok: false, message: 'The replication link changed during the load.' });
      return;
    }
    const sync = this.fullSync ?? { replid: undefined, offset: -1 };
    const repl = node.repl;
    if (sync.replid === undefined) repl.changeReplicationId();
    else repl.replid = sync.replid;
    repl.masterReplOffset = sync.offset;
    repl.clearReplicationId2();
    repl.createBacklog(Math.max(BACKLOG_SIZE_MIN, node.config.replBacklogSize));
    this.streamDb = streamDb;
    this.fullSync = undefined;
    this.createMasterClient();
    done({ ok: true });
  }

  installSnapshot(tempPath: string, done: (result: InstallResult) => void): void {
    const node = this.node;
    const link = this.link;
    this.attachToNewMaster();
    node.log('notice', 'MASTER <-> REPLICA sync: Flushing old data');
    emptyData(node);
    const target = dumpPath(node.config);
    node.env.disk.rename(tempPath, target, (renamed) => {
      if (!renamed.ok) {
        done({
          ok: false,
          message: `Failed trying to rename the temp DB into ${node.config.dbfilename} in MASTER <-> REPLICA synchronization: ${renamed.error.message}`,
        });
        return;
      }
      node.env.disk.fsyncDir(node.config.dir, () => {
        node.log('notice', 'MASTER <-> REPLICA sync: Loading DB in memory');
        loadSnapshotFile(node, { path: target, dropExpired: false }, (loaded) => {
          if (!loaded.ok) {
            // The replica is left empty, and retries from scratch (cancelReplicationHandshake).
            emptyData(node);
            done({ ok: false, message: loaded.message });
            return;
          }
          node.lastLoad = loaded.counts;
          this.adoptFullSync(link, loaded.replication?.streamDb ?? 0, done);
        });
      });
    });
  }

  continued(newReplid: string | undefined): void {
    const repl = this.node.repl;
    this.cachedMaster = false;
    // A node restarted from its dump may have no backlog yet: it needs one to serve sub-replicas.
    if (repl.backlog === undefined) {
      repl.createBacklog(Math.max(BACKLOG_SIZE_MIN, this.node.config.replBacklogSize));
    }
    if (newReplid !== undefined && newReplid !== repl.replid) {
      this.node.log('notice', `Master replication ID changed to ${newReplid}`);
      repl.replid2 = repl.replid;
      repl.secondReplidOffset = repl.masterReplOffset + 1;
      repl.replid = newReplid;
      // Sub-replicas must learn the new id: they reconnect and get +CONTINUE <newReplid>.
      this.node.master.disconnectReplicas();
    }
    this.createMasterClient();
  }

  apply(argv: readonly Buffer[]): boolean {
    const client = this.masterClient;
    if (client === undefined) return true;
    // Still held by a CLIENT PAUSE: the command waits where it is (the link retries it later).
    if (client.postponed) return false;
    const node = this.node;
    if (node.testBugs.size > 0 && this.skippedByTestBug(argv)) return true;
    for (const db of node.databases) db.expiredVisible = true;
    // Redis sets c->lastcmd at lookup, so an error the command causes names it (peer-errors.ts).
    client.lastCommand = lookupCommandName(argv);
    try {
      dispatch(node, client, argv);
    } finally {
      for (const db of node.databases) db.expiredVisible = false;
    }
    // A CLIENT PAUSE postponed it: the link keeps the command and the stream behind it.
    if (client.postponed) {
      client.pendingCommand = undefined;
      return false;
    }
    // Replies to the master are never sent (only REPLCONF ACK is, by the link).
    client.reply.take();
    node.blocking.handleReadyKeys();
    node.blocking.processUnblocked();
    return true;
  }

  failingOver(): boolean {
    return this.node.failover.state === 'failover-in-progress';
  }

  failoverAnswered(accepted: boolean): void {
    this.node.failover.psyncAnswered(accepted);
  }

  /** Whether a deliberate bug (testing/test-bugs.ts) makes this replica skip the command. */
  private skippedByTestBug(argv: readonly Buffer[]): boolean {
    const bugs = this.node.testBugs;
    const name = argv[0]?.toString('latin1').toLowerCase();
    if (bugs.has('replica-drops-del') && name === 'del') return true;
    if (bugs.has('replica-loses-multi-head')) {
      // The command right after the master's MULTI is skipped.
      const head = this.afterMulti;
      this.afterMulti = name === 'multi';
      return head;
    }
    return false;
  }

  applied(bytes: Buffer): void {
    this.node.master.feedFromMasterStream(bytes);
  }

  masterLost(cacheable: boolean): void {
    this.dropMasterClient();
    this.cachedMaster = cacheable;
  }

  /** The master client (Redis's server.master), in the node's client table. */
  private createMasterClient(): void {
    this.dropMasterClient();
    const node = this.node;
    const link = this.link;
    const connection = new MasterLinkConnection(link?.masterHost ?? '', link?.masterPort ?? 0, () =>
      this.link?.dropMasterLink(),
    );
    const client = new Client(
      node.allocateClientId(),
      connection,
      new RequestParser(),
      node.env.clock.monotonicMs(),
      true,
    );
    client.isMaster = true;
    client.dbIndex = this.streamDb < node.databases.length ? this.streamDb : 0;
    node.clients.set(client.id, client);
    this.masterClient = client;
  }

  dropMasterClient(): void {
    const client = this.masterClient;
    if (client === undefined) return;
    this.masterClient = undefined;
    // A MULTI the master left half sent is discarded (replicationCacheMaster resets the client).
    client.transaction = undefined;
    if (client.dbIndex >= 0) this.streamDb = client.dbIndex;
    this.node.clients.delete(client.id);
    this.node.watches.unwatchAll(client);
    this.node.clientPause.removeClient(client);
  }
}

/**
 * Flushes every database as emptyData does (WATCHers of existing keys are invalidated), and the
 * function libraries with them (emptyData without EMPTYDB_NOFUNCTIONS).
 */
export function emptyData(node: ServerNode): void {
  for (const db of node.databases) {
    node.watches.touchDatabase(db.index, (key) => db.peek(key) !== undefined);
    db.clear();
  }
  scriptingOf(node).functions.flush();
  // signalFlushedDb: tracking clients of the replica drop everything they cached.
  node.tracking.invalidateAllOnFlush();
}

const hosts = new WeakMap<ServerNode, NodeReplicaHost>();

function hostOf(node: ServerNode): NodeReplicaHost {
  let host = hosts.get(node);
  if (host === undefined) {
    host = new NodeReplicaHost(node);
    hosts.set(node, host);
  }
  return host;
}

/** Keys never expire locally on a replica (the master's DEL arrives in the stream). */
function setReplicaExpiry(node: ServerNode, replica: boolean): void {
  for (const db of node.databases) db.deleteExpired = !replica;
}

/**
 * replicationSetMaster: starts (or restarts) replicating from host:port. A previous link's master
 * is cached (a PSYNC to the new master may continue its history); a node that was a master caches
 * itself (replicationCacheMasterUsingMyself). Sub-replicas stay connected.
 */
export function becomeReplica(node: ServerNode, masterHost: string, masterPort: number): void {
  const host = hostOf(node);
  const wasMaster = node.replicaLink === undefined;
  if (node.replicaLink !== undefined) {
    node.replicaLink.stop();
    if (host.masterClient !== undefined) host.masterLost(true);
  }
  disconnectAllBlockedClients(node);
  if (wasMaster) {
    // replicationCacheMasterUsingMyself: our own history is what the new master may continue.
    host.cachedMaster = true;
    host.streamDb = 0;
  }
  startLink(node, host, masterHost, masterPort);
}

function startLink(
  node: ServerNode,
  host: NodeReplicaHost,
  masterHost: string,
  masterPort: number,
): void {
  setReplicaExpiry(node, true);
  const link = new ReplicaLink(host, masterHost, masterPort);
  host.link = link;
  node.replicaLink = link;
  // The master side stops feeding sub-replicas from our own propagation (replicationFeedSlaves).
  node.master.streamSourceChanged();
  link.start();
}

/**
 * disconnectAllBlockedClients: a client blocked on a key of the old role's dataset gets an error
 * and is closed after it (Redis's CLIENT_CLOSE_AFTER_REPLY).
 */
function disconnectAllBlockedClients(node: ServerNode): void {
  for (const client of [...node.clients.values()]) {
    if (!client.blocked) continue;
    node.blocking.removeClient(client);
    client.blocked = false;
    node.replyError(
      client,
      'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
    );
    client.closing = true;
    flushClient(node, client);
  }
}

/** At start with `replicaof`: the loaded dump's repl-* fields become the cached master. */
export function startReplicaFromConfig(
  node: ServerNode,
  masterHost: string,
  masterPort: number,
): void {
  const host = hostOf(node);
  const loaded = node.loadedReplication;
  if (loaded !== undefined) {
    node.repl.replid = loaded.replid;
    node.repl.masterReplOffset = loaded.offset;
    host.cachedMaster = true;
    host.streamDb = loaded.streamDb;
  } else {
    host.cachedMaster = false;
  }
  startLink(node, host, masterHost, masterPort);
}

/** replicationUnsetMaster (REPLICAOF NO ONE): this node becomes a master of its own history. */
export function becomeMaster(node: ServerNode): void {
  const link = node.replicaLink;
  if (link === undefined) return;
  const host = hostOf(node);
  link.stop();
  host.link = undefined;
  host.dropMasterClient();
  host.cachedMaster = false;
  node.replicaLink = undefined;
  setReplicaExpiry(node, false);
  // Sub-replicas and our old master can still continue the history up to here (§3.2).
  node.repl.shiftReplicationId();
  node.master.disconnectReplicas();
  node.propagation.forceSelect();
  // A top-level master with a backlog feeds its replicas from its own propagation again.
  node.master.streamSourceChanged();
}

/** Stops the link at node stop (no reconnects after). */
export function stopReplica(node: ServerNode): void {
  node.replicaLink?.stop();
}

/**
 * The master client's stand-in connection: nothing written to it goes anywhere (the master gets
 * no replies), and closing it (CLIENT KILL TYPE master) drops the replication link.
 */
class MasterLinkConnection implements Connection {
  readonly localAddress = '';
  readonly localPort = 0;
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly drop: () => void;
  private closed = false;

  constructor(remoteAddress: string, remotePort: number, drop: () => void) {
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.drop = drop;
  }

  write(_data: Uint8Array): void {}

  bufferedBytes(): number {
    return 0;
  }

  end(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
  }

  pauseReading(): void {}

  resumeReading(): void {}

  onData(_handler: (chunk: Buffer) => void): void {}

  onClose(_handler: (error: NetError | undefined) => void): void {}
}
