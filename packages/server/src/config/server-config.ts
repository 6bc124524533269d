/**
 * The typed configuration of one node. Every field here has a Redis name in params.ts, so it can be
 * set in a config file, as `--name value`, and by CONFIG SET, and read by CONFIG GET, as redis-server
 * allows. Defaults are Redis 7.0.15's compiled-in defaults unless a comment says otherwise.
 */
import { storedDefaults } from './stored-params.js';

/** One `save <seconds> <changes>` rule. */
export interface SaveRule {
  readonly seconds: number;
  readonly changes: number;
}

/** One class of `client-output-buffer-limit`: hard bytes, soft bytes, soft seconds (0 = no limit). */
export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

export type ClientClass = 'normal' | 'replica' | 'pubsub';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

/** Redis 7.0's maxmemory-policy values, in the order its error message lists them. */
export const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;

export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

export type DebugCommandPolicy = 'yes' | 'no' | 'local';

/**
 * The modifiers of a shutdown: SHUTDOWN's NOSAVE/SAVE/NOW/FORCE, and what shutdown-on-sigterm and
 * shutdown-on-sigint apply to a signal's shutdown (all false = Redis's `default`).
 */
export interface ShutdownFlags {
  readonly save: boolean;
  readonly nosave: boolean;
  readonly now: boolean;
  readonly force: boolean;
}

export const SHUTDOWN_FLAGS_DEFAULT: ShutdownFlags = {
  save: false,
  nosave: false,
  now: false,
  force: false,
};

export interface ServerConfig {
  port: number;
  /** Addresses to listen on; a leading '-' marks one that may be unavailable (as in Redis). */
  bind: string[];
  dir: string;
  dbfilename: string;
  save: SaveRule[];
  requirepass: string;
  databases: number;
  maxclients: number;
  /** Seconds of idleness after which a normal client is closed; 0 disables. */
  timeout: number;
  tcpKeepalive: number;
  hz: number;
  /** Encoding thresholds: what OBJECT ENCODING reports (Redis converts past these, never back). */
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  listMaxListpackSize: number;
  listCompressDepth: number;
  /** Stream nodes (listpacks) close at this many bytes or entries (0 = no limit). */
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
  /** Effort of the active expiry cycle, 1 to 10 (Redis's active-expire-effort). */
  activeExpireEffort: number;
  loglevel: LogLevel;
  logfile: string;
  /** Accepted for redis.conf compatibility; only 'no' is supported (run it under a supervisor). */
  daemonize: boolean;
  protectedMode: boolean;
  protoMaxBulkLen: number;
  clientQueryBufferLimit: number;
  clientOutputBufferLimit: Record<ClientClass, OutputBufferLimit>;
  enableDebugCommand: DebugCommandPolicy;
  enableProtectedConfigs: DebugCommandPolicy;
  stopWritesOnBgsaveError: boolean;
  rdbcompression: boolean;
  rdbchecksum: boolean;
  /** rdb-save-incremental-fsync: fsync the temp RDB every 4 MB while it is written. */
  rdbSaveIncrementalFsync: boolean;
  /**
   * fork-pause-ms-per-gb (replisim only, for teaching): a BGSAVE start holds client input for
   * used_memory / 1 GB x this many ms, as a fork's page-table copy would; 0 (default) = none.
   */
  forkPauseMsPerGb: number;
  /** Flags of the shutdown a SIGTERM / SIGINT schedules (shutdown-on-sigterm, shutdown-on-sigint). */
  shutdownOnSigterm: ShutdownFlags;
  shutdownOnSigint: ShutdownFlags;
  /** Seconds a shutdown waits for lagging replicas (issue 5 adds replicas); 0 = no wait. */
  shutdownTimeout: number;
  /**
   * busy-reply-threshold (alias lua-time-limit): ms a script runs before the node serves other
   * clients again, with -BUSY for all but SCRIPT KILL / FUNCTION KILL / SHUTDOWN NOSAVE; 0 = never.
   */
  busyReplyThresholdMs: number;
  /** Master side of replication (replication/master.ts; reference §3, defaults §7). */
  replBacklogSize: number;
  /** Seconds a master with no replicas keeps its backlog; 0 = forever. */
  replBacklogTtl: number;
  replPingReplicaPeriod: number;
  replTimeout: number;
  replDisklessSync: boolean;
  replDisklessSyncDelay: number;
  replDisklessSyncMaxReplicas: number;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
  /**
   * repl-snapshot-reuse (replisim only): which snapshots a full sync may use besides one started
   * for it. `no` is Redis's rule (join only a disk BGSAVE another replica waits on); `join-any`
   * joins any running BGSAVE; `join-any-or-recent` also reuses the last dump while the backlog
   * still covers its offset (replication/sync-plan.ts).
   */
  replSnapshotReuse: 'no' | 'join-any' | 'join-any-or-recent';
  /** Replica side (replication/replica-host.ts; reference §4). `replicaof` at start only. */
  replicaof: { readonly host: string; readonly port: number } | undefined;
  masterauth: string;
  masteruser: string;
  replicaReadOnly: boolean;
  replicaServeStaleData: boolean;
  /**
   * repl-diskless-load: `disabled` receives a full sync into a temp file renamed over dbfilename;
   * `on-empty-db` (when the replica has no key) and `swapdb` parse it from the socket
   * (replication/diskless-load.ts).
   */
  replDisklessLoad: 'disabled' | 'on-empty-db' | 'swapdb';
  replicaAnnounceIp: string;
  /** replica-announce-port: the port sent as REPLCONF listening-port instead of `port` (0 = port). */
  replicaAnnouncePort: number;
  /**
   * maxmemory in bytes, 0 = no limit (memory/eviction.ts). A bigint because Redis takes the whole
   * unsigned 64-bit range and CONFIG GET shows it exactly.
   */
  maxmemory: bigint;
  maxmemoryPolicy: MaxmemoryPolicy;
  /** Keys sampled per eviction pool refill (maxmemory-samples). */
  maxmemorySamples: number;
  /** 0..100: how long one eviction run may last before it continues from a timer. */
  maxmemoryEvictionTenacity: number;
  lfuLogFactor: number;
  /** Minutes per one-step decay of an LFU counter; 0 = never decay. */
  lfuDecayTime: number;
  /** A replica leaves eviction to its master (its DELs arrive in the stream). */
  replicaIgnoreMaxmemory: boolean;
  /** Path of the config file the node started from, '' if none (CONFIG GET does not show it). */
  configFile: string;
  /** pidfile: the binary writes its pid there at start and removes it at exit ('' = none). */
  pidfile: string;
  /** tcp-backlog: the listen(2) backlog of the client listeners (real network only). */
  tcpBacklog: number;
  /** slowlog-log-slower-than in microseconds: -1 logs nothing, 0 logs every command. */
  slowlogLogSlowerThan: number;
  slowlogMaxLen: number;
  /** latency-monitor-threshold in ms: events lasting at least this long are sampled (0 = off). */
  latencyMonitorThreshold: number;
  /**
   * The parameters accepted for redis.conf compatibility that have no effect here, by name, as
   * CONFIG GET shows them (config/stored-params.ts).
   */
  stored: Record<string, string>;
  /**
   * `user <name> <rules...>` directives of the config file, in order (acl/acl-startup.ts applies
   * them at start, as Redis's UsersToLoad); each entry is the name then the rules.
   */
  users: string[][];
}

/** Redis's default save rules when no config file says otherwise (server.c). */
export const SAVE_RULES_DEFAULT: readonly SaveRule[] = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

export function defaultServerConfig(): ServerConfig {
  return {
    port: 6379,
    // Deliberate difference: redis-server binds every interface when no config file is given (and
    // then relies on protected-mode); replisim binds loopback, as Redis's shipped redis.conf does.
    bind: ['127.0.0.1', '-::1'],
    dir: '.',
    dbfilename: 'dump.rdb',
    save: [...SAVE_RULES_DEFAULT],
    requirepass: '',
    databases: 16,
    maxclients: 10000,
    timeout: 0,
    tcpKeepalive: 300,
    hz: 10,
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    streamNodeMaxBytes: 4096,
    streamNodeMaxEntries: 100,
    activeExpireEffort: 1,
    loglevel: 'notice',
    logfile: '',
    daemonize: false,
    protectedMode: true,
    protoMaxBulkLen: 512 * 1024 * 1024,
    clientQueryBufferLimit: 1024 * 1024 * 1024,
    clientOutputBufferLimit: {
      normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
      replica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 },
      pubsub: { hardBytes: 32 * 1024 * 1024, softBytes: 8 * 1024 * 1024, softSeconds: 60 },
    },
    // Redis's default: DEBUG is refused until enable-debug-command is set to local or yes at start.
    enableDebugCommand: 'no',
    enableProtectedConfigs: 'no',
    stopWritesOnBgsaveError: true,
    rdbcompression: true,
    rdbchecksum: true,
    rdbSaveIncrementalFsync: true,
    forkPauseMsPerGb: 0,
    shutdownOnSigterm: SHUTDOWN_FLAGS_DEFAULT,
    shutdownOnSigint: SHUTDOWN_FLAGS_DEFAULT,
    shutdownTimeout: 10,
    busyReplyThresholdMs: 5000,
    replBacklogSize: 1024 * 1024,
    replBacklogTtl: 3600,
    replPingReplicaPeriod: 10,
    replTimeout: 60,
    replDisklessSync: true,
    replDisklessSyncDelay: 5,
    replDisklessSyncMaxReplicas: 0,
    minReplicasToWrite: 0,
    minReplicasMaxLag: 10,
    replSnapshotReuse: 'no',
    replicaof: undefined,
    masterauth: '',
    masteruser: '',
    replicaReadOnly: true,
    replicaServeStaleData: true,
    replDisklessLoad: 'disabled',
    replicaAnnounceIp: '',
    replicaAnnouncePort: 0,
    maxmemory: 0n,
    maxmemoryPolicy: 'noeviction',
    maxmemorySamples: 5,
    maxmemoryEvictionTenacity: 10,
    lfuLogFactor: 10,
    lfuDecayTime: 1,
    replicaIgnoreMaxmemory: true,
    configFile: '',
    pidfile: '',
    tcpBacklog: 511,
    slowlogLogSlowerThan: 10000,
    slowlogMaxLen: 128,
    latencyMonitorThreshold: 0,
    stored: storedDefaults(),
    users: [],
  };
}
