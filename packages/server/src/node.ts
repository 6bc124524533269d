/**
 * A replisim node: one Redis-compatible server built on an Env. It owns the databases, the clients,
 * the configuration and the counters, and nothing here is global, so a simulation can run many nodes
 * in one process. Everything it does happens inside Env callbacks that run to completion (accepts,
 * data, timers), so a simulated run replays exactly from its seed.
 *
 * Lifecycle: `new ServerNode(options)` -> `start(done)` (listens on every bind address) -> serving ->
 * `stop()` (closes listeners and clients, cancels timers). Snapshot persistence hangs off
 * `persistence` (persistence/persistence.ts); replication attaches here in later work.
 */

import type { Connection, Env, Listener, OpenFilesLimit, TimerId } from '@replisim/base';
import { type RdbReplicationInfo, RequestParser } from '@replisim/protocol';
import type { ReplicaLink } from '@replisim/replica';
import { AclState } from './acl/acl.js';
import { loadUsersAtStartup } from './acl/acl-startup.js';
import { Client } from './client.js';
import { flushClient, processClientInput, serveClient } from './client-io.js';
import { ClientPause } from './client-pause.js';
import { QUICKLIST_PACKED_THRESHOLD_DEFAULT } from './commands/keys/object-info.js';
import type { LogLevel, ServerConfig } from './config/server-config.js';
import { ActiveExpiry } from './keyspace/active-expiry.js';
import { BlockingRegistry } from './keyspace/blocking.js';
import { Database } from './keyspace/database.js';
import { WatchRegistry } from './keyspace/watch-registry.js';
import { formatLogLine, type LogSink, logLevelEnabled } from './log.js';
import type { AccessPolicy } from './memory/access.js';
import { Evictor } from './memory/eviction.js';
import { type ClientsMemory, measureClientsMemory, usedMemoryBytes } from './memory/used-memory.js';
import { CommandStats } from './monitoring/command-stats.js';
import { LatencyMonitor } from './monitoring/latency.js';
import { SlowLog } from './monitoring/slowlog.js';
import { adjustOpenFilesLimit } from './open-files.js';
import { type LoadCounts, loadDataFromDisk } from './persistence/loader.js';
import type { LoadingProgress } from './persistence/loading-progress.js';
import { Persistence } from './persistence/persistence.js';
import { PROTECTED_MODE_DENIED, protectedModeRefuses } from './protected-mode.js';
import { PubSub } from './pubsub/pubsub.js';
import { Failover } from './replication/failover.js';
import { ReplicationMaster } from './replication/master.js';
import { noteErrorToPeer } from './replication/peer-errors.js';
import { PropagationLog } from './replication/propagation.js';
import { startReplicaFromConfig, stopReplica } from './replication/replica-host.js';
import { ReplicationIds } from './replication/replication-ids.js';
import { continueShutdown, runSignalShutdown, type ShutdownWait } from './shutdown.js';
import { countErrorKind, emptyStats, type NodeStats } from './stats.js';
import type { TestBug } from './testing/test-bugs.js';
import { Tracking } from './tracking/tracking.js';

/** The Redis version replisim reports (INFO, HELLO): the version whose behaviour it reproduces. */
export const REDIS_VERSION = '7.0.15';

/** The C library's wording for bind errors, as Redis logs them. */
const STRERROR: Readonly<Record<string, string>> = {
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

/** What a connection past maxclients gets before it is closed (networking.c). */
const MAX_CLIENTS_REACHED = Buffer.from('-ERR max number of clients reached\r\n');

/** Cron samples kept for instantaneous_ops_per_sec (Redis: STATS_METRIC_SAMPLES). */
const OPS_SAMPLES_MAX = 16;

export interface NodeOptions {
  readonly env: Env;
  readonly config: ServerConfig;
  /** Where formatted log lines go; the node filters by `loglevel` first. */
  readonly logSink: LogSink;
  /** Shown in log lines and INFO; the simulator passes a stable fake pid. */
  readonly pid: number;
  readonly executable?: string;
  /** Called once the node listens, before it loads its dump (the binary logs the port then). */
  readonly onListening?: (port: number) => void;
  /**
   * Ends the process after SHUTDOWN or a signal-initiated shutdown succeeded (the binary passes
   * process.exit); the node has already stopped. Without it (the simulator) the node just stops.
   */
  readonly exit?: (code: number) => void;
  /** Deliberate bugs for testing the chaos runner (testing/test-bugs.ts); never set in production. */
  readonly testBugs?: ReadonlySet<TestBug>;
  /**
   * The descriptor limit maxclients must fit under (open-files.ts): the binary passes the real
   * one, a simulation may pass a SimOpenFilesLimit. Without it maxclients is taken as given.
   */
  readonly openFiles?: OpenFilesLimit;
}

export type StartResult =
  | { readonly ok: true; readonly port: number }
  | {
      readonly ok: false;
      readonly message: string;
      /** True when the node already logged the failure (a dump that could not be loaded). */
      readonly logged?: boolean;
    };

export class ServerNode {
  readonly env: Env;
  readonly config: ServerConfig;
  readonly pid: number;
  /** Deliberate bugs switched on by a test (testing/test-bugs.ts); empty everywhere else. */
  readonly testBugs: ReadonlySet<TestBug>;
  readonly executable: string;
  readonly runId: string;
  /** Replication history: replid, replid2, master_repl_offset and the backlog (replication-ids.ts). */
  readonly repl: ReplicationIds;
  readonly databases: Database[];
  readonly clients: Map<number, Client> = new Map();
  stats: NodeStats = emptyStats();
  /** The slow log (monitoring/slowlog.ts), filled by call(). */
  readonly slowlog: SlowLog = new SlowLog();
  /** Clients in MONITOR mode (monitoring/monitor.ts), fed by call(). */
  readonly monitors: Set<Client> = new Set();
  /** The latency monitor (monitoring/latency.ts), fed by call(). */
  readonly latency: LatencyMonitor = new LatencyMonitor();
  /** Per-command calls, time, errors and latency histograms (monitoring/command-stats.ts). */
  readonly commandStats: CommandStats = new CommandStats();
  /**
   * Milliseconds the running command stalled the node on purpose (DEBUG SLEEP pauses input on a
   * timer instead of blocking): call() adds them to the command's measured duration.
   */
  chargedPauseMs = 0;
  /** Changes since the last successful save (Redis's server.dirty; save rules read it). */
  dirty = 0;
  readonly watches: WatchRegistry = new WatchRegistry();
  /** Lists engineer: clients blocked on keys (BLPOP...), served after each command. */
  readonly blocking: BlockingRegistry;
  /** Pub/Sub subscriptions and message delivery (pubsub/pubsub.ts). */
  readonly pubsub: PubSub = new PubSub((client) => flushClient(this, client));
  /** Client-side caching: the tracking table, BCAST prefixes, invalidations (tracking/). */
  readonly tracking: Tracking;
  /** Users, the default user and the ACL LOG (acl/acl.ts). */
  readonly acl: AclState = new AclState();
  /**
   * The link to this node's master while it is a replica (REPLICAOF, `replicaof`); undefined on a
   * master. replication/replica-host.ts creates and stops it; INFO and ROLE read `status()`.
   */
  replicaLink: ReplicaLink | undefined = undefined;
  /** Every change, in the deterministic form replicas and the AOF receive. */
  readonly propagation: PropagationLog = new PropagationLog();
  readonly startedMonotonicMs: number;
  /** The port actually bound (differs from config.port when it was 0). */
  port = 0;
  private readonly logSink: LogSink;
  private readonly listeners: Listener[] = [];
  private nextClientId = 1;
  private cronTimer: TimerId | undefined;
  /** Set while a dump is being loaded (Redis's server.loading); clients get -LOADING meanwhile. */
  loading: LoadingProgress | undefined = undefined;
  /** INFO persistence's rdb_last_load_keys_loaded / rdb_last_load_keys_expired (persistence/loader.ts). */
  lastLoad: LoadCounts = { keysLoaded: 0, keysExpired: 0 };
  /**
   * The repl-id / repl-offset / repl-stream-db AUX fields of the dump loaded at start, if it had
   * them. Issue 5 (replication) restores them: a master into replid2, a replica as its cached master.
   */
  loadedReplication: RdbReplicationInfo | undefined = undefined;
  /** A signal asked for a shutdown (Redis's shutdown_asap); the next cron runs it (shutdown.ts). */
  shutdownSignal: 'SIGTERM' | 'SIGINT' | undefined = undefined;
  /** True while a shutdown sequence runs (SHUTDOWN ABORT can cancel one waiting for replicas). */
  shutdownInProgress = false;
  /** SHUTDOWN ABORT arrived while a shutdown ran: it stops before exiting. */
  shutdownAborted = false;
  /** A shutdown waiting for lagging replicas (shutdown.ts); the cron finishes it. */
  shutdownWait: ShutdownWait | undefined = undefined;
  private readonly onListening: ((port: number) => void) | undefined;
  private readonly exitHook: ((code: number) => void) | undefined;
  private readonly openFiles: OpenFilesLimit | undefined;
  /** Active expiry (keyspace/active-expiry.ts), run from the cron; DEBUG SET-ACTIVE-EXPIRE switches it. */
  readonly activeExpiry: ActiveExpiry = new ActiveExpiry();
  activeExpireEnabled = true;
  /**
   * List elements of this many bytes or more are PLAIN quicklist nodes (quicklist.c's
   * packed_threshold, a process global in Redis, per node here); DEBUG QUICKLIST-PACKED-THRESHOLD
   * sets it. Read by DEBUG OBJECT, DUMP and snapshots.
   */
  quicklistPackedThreshold: number = QUICKLIST_PACKED_THRESHOLD_DEFAULT;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE and dump loads skip their CRC64 checks. */
  skipChecksumValidation = false;
  /** DEBUG PAUSE-CRON: the cron does nothing at all while set (server.pause_cron). */
  cronPaused = false;
  /** The timer that ends a DEBUG SLEEP pause; while set, no client input is processed. */
  private pauseTimer: TimerId | undefined;
  /** Holds taken by holdInput (a blocking SAVE, a fork pause); while any, no input is processed. */
  private inputHolds = 0;
  /**
   * A script that ran past busy-reply-threshold and yields to the event loop
   * (scripting/engine.ts): meanwhile other clients get -BUSY (dispatch.ts), the master's stream
   * waits (client-io.ts), and the cron does no active expiry, save rules or replication cron.
   */
  busyScript: { readonly isEval: boolean } | undefined = undefined;
  /** CLIENT PAUSE and a failover's pause: postponed clients, paused expiry (client-pause.ts). */
  readonly clientPause: ClientPause;
  /** FAILOVER's state machine (replication/failover.ts). */
  readonly failover: Failover;
  /** SAVE, BGSAVE, save rules, MISCONF (persistence/persistence.ts). */
  readonly persistence: Persistence;
  /** The master side of replication: replicas, SYNC/PSYNC, the stream feed (replication/master.ts). */
  readonly master: ReplicationMaster;
  /** maxmemory eviction (memory/eviction.ts). */
  readonly evictor: Evictor;
  /** The clients' share of used_memory, refreshed by the cron (memory/used-memory.ts). */
  clientsMemory: ClientsMemory = { normal: 0, replicas: 0 };
  /** used_memory_peak: the highest used_memory the cron or INFO saw. */
  usedMemoryPeak = 0;
  /** What Database lookups read for access tracking; follows CONFIG SET (memory/access.ts). */
  private readonly accessPolicy: AccessPolicy;
  private readonly opsSamples: number[] = [];
  private opsAtLastSample = 0;
  private lastSampleMs: number;
  private stopped = false;

  constructor(options: NodeOptions) {
    this.env = options.env;
    this.config = options.config;
    this.acl.syncRequirepass(this.config.requirepass);
    this.pid = options.pid;
    this.executable = options.executable ?? '';
    this.logSink = options.logSink;
    this.onListening = options.onListening;
    this.exitHook = options.exit;
    this.testBugs = options.testBugs ?? new Set();
    this.openFiles = options.openFiles;
    this.runId = options.env.random.hex(40);
    this.repl = new ReplicationIds(options.env.random);
    this.startedMonotonicMs = options.env.clock.monotonicMs();
    this.lastSampleMs = this.startedMonotonicMs;
    this.blocking = new BlockingRegistry({
      timers: options.env.timers,
      // An unblocked client that is still connected flushes its reply and runs what it pipelined.
      resume: (client) => {
        if (this.clients.get(client.id) === client) processClientInput(this, client);
      },
    });
    const config = options.config;
    const random = options.env.random;
    this.accessPolicy = {
      get lfu() {
        return config.maxmemoryPolicy.endsWith('-lfu');
      },
      get lfuLogFactor() {
        return config.lfuLogFactor;
      },
      get lfuDecayTime() {
        return config.lfuDecayTime;
      },
      random,
    };
    const access = {
      policy: () => this.accessPolicy,
      nowMs: () => this.env.clock.wallMs(),
    };
    this.databases = [];
    for (let i = 0; i < options.config.databases; i++) {
      this.databases.push(
        new Database(i, {
          onExpired: (db, key) => this.keyExpired(db, key),
          pauseInForce: () => this.clientPause.checkTimeout(),
          access,
        }),
      );
    }
    this.clientPause = new ClientPause({
      nowMs: () => this.env.clock.wallMs(),
      afterEvent: (release) => {
        this.env.timers.after(0, () => {
          if (!this.stopped) release();
        });
      },
      expiryPaused: (paused) => {
        for (const db of this.databases) db.expiryPaused = paused;
      },
      resume: (client) => {
        // The master client's commands wait in the link's stream; the others in the client.
        if (client.isMaster) this.replicaLink?.resumeStream();
        else if (this.clients.get(client.id) === client) processClientInput(this, client);
      },
    });
    this.tracking = new Tracking({
      clients: this.clients,
      random,
      maxKeys: () => Number(config.stored['tracking-table-max-keys'] ?? '0'),
      flush: (client) => flushClient(this, client),
      later: (callback) => this.env.timers.after(0, callback),
    });
    this.evictor = new Evictor(this);
    this.persistence = new Persistence(this);
    this.master = new ReplicationMaster(this);
    this.failover = new Failover(this);
  }

  log(level: Exclude<LogLevel, 'nothing'>, message: string): void {
    if (!logLevelEnabled(level, this.config.loglevel)) return;
    // Redis's role letter: M for a master, S for a replica.
    const role = this.replicaLink === undefined ? 'M' : 'S';
    this.logSink(formatLogLine(this.pid, role, this.env.clock.wallMs(), level, message));
  }

  /** Binds every address of `bind` on `port`, then starts serving. Port 0 picks a free port. */
  start(done: (result: StartResult) => void): void {
    // Redis's initServer: maxclients is fitted to the descriptor limit before anything listens.
    if (this.openFiles !== undefined) {
      const adjusted = adjustOpenFilesLimit(this.config.maxclients, this.openFiles, (level, text) =>
        this.log(level, text),
      );
      if (!adjusted.ok) {
        done({ ok: false, message: adjusted.message, logged: true });
        return;
      }
      this.config.maxclients = adjusted.maxclients;
    }
    const addresses = [...this.config.bind];
    const bindNext = (port: number): void => {
      const entry = addresses.shift();
      if (entry === undefined) {
        if (this.listeners.length === 0) {
          done({ ok: false, message: 'Failed listening on any bind address, aborting.' });
          return;
        }
        this.port = port;
        // CONFIG GET port shows the port in use: after `--port 0`, the one the network picked.
        this.config.port = port;
        this.scheduleCron();
        this.onListening?.(port);
        // ACLLoadUsersAtStartup: config `user` lines and the aclfile, before the dataset.
        loadUsersAtStartup(this, (aclError) => {
          if (aclError !== undefined) {
            this.log('warning', aclError);
            this.stop();
            done({ ok: false, message: aclError, logged: true });
            return;
          }
          this.loadDataset(port, done);
        });
        return;
      }
      const optional = entry.startsWith('-');
      const host = optional ? entry.slice(1) : entry;
      // Redis's wildcards: `*` is every IPv4 interface, `::*` every IPv6 one.
      const listenHost = host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host;
      this.env.network.listen(
        {
          host: listenHost,
          port,
          backlog: this.config.tcpBacklog,
          // acceptTcpHandler: a failed accept (EMFILE) is logged and the listener goes on.
          onAcceptError: (error) =>
            this.log('warning', `Accepting client connection: accept: ${error.message}`),
        },
        (connection) => this.accept(connection),
        (result) => {
          if (result.ok) {
            this.listeners.push(result.value);
            bindNext(result.value.port);
            return;
          }
          const reason = STRERROR[result.error.code] ?? result.error.message;
          if (optional) {
            this.log('verbose', `Could not bind optional address ${host}:${port}: ${reason}`);
            bindNext(port);
            return;
          }
          this.log(
            'warning',
            `Warning: Could not create server TCP listening socket ${host}:${port}: bind: ${reason}`,
          );
          this.closeListeners();
          done({ ok: false, message: `Failed listening on port ${port} (TCP), aborting.` });
        },
      );
    };
    bindNext(this.config.port);
  }

  /**
   * The end of a successful shutdown (shutdown.ts): the node stops and the process exits with
   * `code` if the embedder gave an exit hook.
   */
  exit(code: number): void {
    this.stop();
    this.exitHook?.(code);
  }

  /** Closes listeners and every client connection and cancels timers. The node cannot restart. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closeListeners();
    if (this.cronTimer !== undefined) this.env.timers.cancel(this.cronTimer);
    if (this.pauseTimer !== undefined) this.env.timers.cancel(this.pauseTimer);
    this.persistence.stop();
    this.evictor.stop();
    stopReplica(this);
    for (const client of [...this.clients.values()]) this.closeClient(client);
  }

  /**
   * A command changed `key` (Redis's signalModifiedKey plus server.dirty += changes): WATCH is
   * invalidated and the change counts toward save rules and propagation.
   */
  keyModified(db: Database, key: string, changes = 1): void {
    // A collection changed in place: its share of used_memory follows (keyspace/database.ts).
    db.collectionChanged(key, changes);
    // Whether the key is still stored decides if an already-expired watched key really changed.
    this.watches.touch(db.index, key, (name) => db.peek(name) !== undefined);
    this.dirty += changes;
    // Client-side caching: readers of `key` and BCAST prefixes hear of it (signalModifiedKey).
    this.tracking.invalidateKey(key, true, this.tracking.executingClient);
    // Any path that leaves a list, sorted set or stream at `key` (a push, ZADD, XADD, RENAME, MOVE,
    // COPY...) wakes clients blocked on it, as Redis's dbAdd and XADD do; the registry ignores keys
    // nobody waits on, and a woken stream reader that finds nothing new stays blocked.
    const type = this.blocking.blockedCount > 0 ? db.peek(key)?.type : undefined;
    if (type === 'list' || type === 'zset' || type === 'stream') {
      this.blocking.signalKeyAsReady(db.index, key);
    }
  }

  /**
   * A key was found expired and deleted: counted, WATCH invalidated, and a DEL propagated so replicas
   * and the AOF delete it too (deleteExpiredKeyAndPropagate).
   */
  private keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.watches.touch(db.index, key, (name) => db.peek(name) !== undefined);
    this.tracking.invalidateKey(key, true, null);
    this.propagation.add(db.index, ['DEL', Buffer.from(key, 'latin1')]);
  }

  /**
   * A key was evicted for maxmemory (memory/eviction.ts): counted, WATCH invalidated, and a DEL
   * propagated on its own, as Redis's performEvictions does.
   */
  keyEvicted(db: Database, key: string): void {
    this.stats.evictedKeys++;
    this.watches.touch(db.index, key, (name) => db.peek(name) !== undefined);
    this.tracking.invalidateKey(key, true, null);
    this.propagation.addAlone(db.index, ['DEL', Buffer.from(key, 'latin1')]);
  }

  /**
   * Sends an error reply and counts it (INFO total_error_replies); one sent to a master or a
   * replica is logged as Redis's afterErrorReply does (replication/peer-errors.ts).
   */
  replyError(client: Client, message: string): void {
    this.stats.errorReplies++;
    countErrorKind(this.stats, message);
    client.reply.error(message);
    noteErrorToPeer(this, client, message);
  }

  /** Drops a client at once, discarding unsent replies. */
  closeClient(client: Client): void {
    client.closing = true;
    this.clients.delete(client.id);
    // Lists engineer: a killed client stops waiting at once (freeClient -> unblockClient).
    this.blocking.removeClient(client);
    this.pubsub.removeClient(client);
    this.tracking.disable(client);
    this.monitors.delete(client);
    this.clientPause.removeClient(client);
    client.connection.destroy();
  }

  /** Redis listens first and then loads (loadDataFromDisk), answering -LOADING meanwhile. */
  private loadDataset(port: number, done: (result: StartResult) => void): void {
    loadDataFromDisk(this, (loaded) => {
      if (loaded.ok && this.stopped) {
        done({ ok: false, message: 'Shut down while loading the dataset.' });
        return;
      }
      if (loaded.ok) {
        // A master continues the history its dump recorded (replid2, master_repl_offset).
        this.master.adoptLoadedHistory();
        // The `replicaof` directive: replicate once the dump (and its repl-* fields) is loaded.
        const replicaof = this.config.replicaof;
        if (replicaof !== undefined) {
          startReplicaFromConfig(this, replicaof.host, replicaof.port);
        }
        done({ ok: true, port });
        return;
      }
      // A dump that cannot be loaded ends the node, as it ends redis-server.
      this.stop();
      done({ ...loaded, logged: true });
    });
  }

  private closeListeners(): void {
    for (const listener of this.listeners.splice(0)) listener.close();
  }

  /** A fresh client id (CLIENT ID), for connections and the master client of a replica. */
  allocateClientId(): number {
    return this.nextClientId++;
  }

  /**
   * Redis's acceptCommonHandler then clientAcceptHandler: past maxclients the connection gets
   * MAX_CLIENTS_REACHED, and in protected mode a non-loopback one gets PROTECTED_MODE_DENIED; both
   * are closed and counted in rejected_connections, not in total_connections_received.
   */
  private accept(connection: Connection): void {
    if (this.stopped || this.clients.size >= this.config.maxclients) {
      this.refuse(connection, MAX_CLIENTS_REACHED);
      return;
    }
    if (protectedModeRefuses(this.config, this.acl.defaultUser.nopass, connection.remoteAddress)) {
      this.refuse(connection, PROTECTED_MODE_DENIED);
      return;
    }
    this.stats.connectionsReceived++;
    const parser = new RequestParser({
      bulkBytesMax: this.config.protoMaxBulkLen,
      queryBufferBytesMax: this.config.clientQueryBufferLimit,
    });
    const id = this.nextClientId++;
    const nowMs = this.env.clock.monotonicMs();
    const client = new Client(id, connection, parser, nowMs, !this.acl.defaultNeedsAuth());
    this.clients.set(id, client);
    serveClient(this, client);
  }

  /**
   * Sends `reply` (best effort, as Redis ignores the write's result) and closes the connection;
   * whatever the client sent meanwhile is read and dropped, so the close completes.
   */
  private refuse(connection: Connection, reply: Buffer): void {
    this.stats.rejectedConnections++;
    connection.onData(() => {});
    connection.write(reply);
    connection.end();
  }

  private scheduleCron(): void {
    const periodMs = Math.max(1, Math.floor(1000 / Math.max(1, this.config.hz)));
    this.cronTimer = this.env.timers.after(periodMs, () => {
      this.cron();
      if (!this.stopped) this.scheduleCron();
    });
  }

  /** Whether stop() ran: the node serves nothing more (after a shutdown, or in tests). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a DEBUG SLEEP pause or an input hold (a blocking SAVE) is in progress. */
  get paused(): boolean {
    return this.pauseTimer !== undefined || this.inputHolds > 0;
  }

  /**
   * Stops processing client input until the returned release runs (once; later calls do nothing),
   * as Redis's event loop stands still during a blocking SAVE. Input queues in each parser and
   * replies stay in each reply buffer; on the last release every client's queued requests run.
   */
  holdInput(): () => void {
    this.inputHolds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inputHolds--;
      this.resumeInput();
    };
  }

  /** Runs every client's queued requests after a pause or hold ends (if nothing else holds). */
  private resumeInput(): void {
    for (const client of [...this.clients.values()]) {
      if (this.paused) break;
      processClientInput(this, client);
    }
  }

  /**
   * DEBUG SLEEP: stops processing for `ms` without blocking the process. Client input keeps arriving
   * and queues in each parser; pending replies stay unsent; when the timer fires every client's
   * queued requests run, as if Redis's event loop had just woken up.
   */
  pauseFor(ms: number): void {
    if (ms <= 0 || this.stopped) return;
    this.chargedPauseMs += ms;
    if (this.pauseTimer !== undefined) this.env.timers.cancel(this.pauseTimer);
    this.pauseTimer = this.env.timers.after(ms, () => {
      this.pauseTimer = undefined;
      this.resumeInput();
    });
  }

  /** Redis's serverCron, for what exists so far: ops/sec samples and idle-client timeouts. */
  private cron(): void {
    if (this.cronPaused) return;
    // Redis's serverCron: a signal's shutdown runs first; during a load only that (whileBlockedCron).
    if (this.shutdownSignal !== undefined && !this.shutdownInProgress) {
      runSignalShutdown(this);
      if (this.stopped) return;
    }
    if (this.shutdownWait !== undefined) {
      continueShutdown(this);
      if (this.stopped) return;
    }
    if (this.loading !== undefined) return;
    // A client pause whose time is up ends here at the latest (its postponed clients run next).
    const pausedClients = this.clientPause.checkTimeout();
    const nowMs = this.env.clock.monotonicMs();
    const elapsedMs = nowMs - this.lastSampleMs;
    if (elapsedMs >= 100) {
      const ops = this.stats.commandsProcessed - this.opsAtLastSample;
      this.opsSamples.push((ops * 1000) / elapsedMs);
      if (this.opsSamples.length > OPS_SAMPLES_MAX) this.opsSamples.shift();
      const sum = this.opsSamples.reduce((total, sample) => total + sample, 0);
      this.stats.opsPerSecInstant = Math.round(sum / this.opsSamples.length);
      this.opsAtLastSample = this.stats.commandsProcessed;
      this.lastSampleMs = nowMs;
    }
    // clientsCron's memory figures and databasesCron's tryResizeHashTables (memory/).
    this.clientsMemory = measureClientsMemory(this);
    this.usedMemoryPeak = Math.max(this.usedMemoryPeak, usedMemoryBytes(this));
    for (const db of this.databases) db.resizeTables();
    // The tracking table's size limit, also when idle after a CONFIG SET (serverCron).
    if (this.tracking.clientCount > 0) this.tracking.limitTableKeys();
    // Replicas never expire keys themselves: the master's DELs arrive in the stream (§4.4).
    const busy = this.busyScript !== undefined;
    // activeExpireCycle does nothing while clients are paused: the dataset must stand still.
    const expireNow = this.activeExpireEnabled && !this.paused && !busy && !pausedClients;
    if (expireNow && this.replicaLink === undefined) {
      this.activeExpiry.cycle(
        this.databases,
        this.env.clock.wallMs(),
        () => this.env.clock.monotonicMs(),
        { effort: this.config.activeExpireEffort, hz: this.config.hz },
      );
    }
    // Save rules and scheduled BGSAVEs; a blocking save or a pause stops the cron, as in Redis.
    if (!this.paused && !busy) this.persistence.cron();
    // replicationCron, once a second: keepalives, PINGs, timeouts, pending BGSAVEs, backlog TTL.
    if (!this.paused && !busy) this.master.cron();
    // beforeSleep's updateFailoverStatus: a FAILOVER's timeout is noticed here at the latest.
    this.failover.update();
    if (this.config.timeout > 0) {
      const idleMsMax = this.config.timeout * 1000;
      for (const client of [...this.clients.values()]) {
        // Lists engineer: blocked clients are never idle (clientsCronHandleTimeout skips them).
        // Replicas are never idle-closed either (their link has repl-timeout instead).
        if (this.master.isReplicaClient(client) || client.isMaster) continue;
        if (!client.blocked && nowMs - client.lastInteractionMs > idleMsMax) {
          this.log('verbose', 'Closing idle client');
          this.closeClient(client);
        }
      }
    }
  }
}
