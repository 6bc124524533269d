/**
 * The table of configuration parameters: for each Redis name, how to parse it from words (config
 * file, command line, CONFIG SET), how to show it (CONFIG GET), and whether it may change at run time.
 * Parse failures return Redis's exact reasons ("argument couldn't be parsed into an integer"), which
 * CONFIG SET and the config-file loader wrap in their own message formats.
 */
import {
  type ClientClass,
  type DebugCommandPolicy,
  type LogLevel,
  MAXMEMORY_POLICIES,
  type OutputBufferLimit,
  type SaveRule,
  type ServerConfig,
  type ShutdownFlags,
} from './server-config.js';
import { STORED_PARAMS } from './stored-params.js';
import { INT64_MAX, INT64_MIN, parseInteger64, parseMemory64 } from './word-parsers.js';

export interface ConfigParam {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Settable only at start (Redis's IMMUTABLE_CONFIG). */
  readonly immutable: boolean;
  /** Settable at run time only with enable-protected-configs (Redis's PROTECTED_CONFIG). */
  readonly protected: boolean;
  /** Takes several words (save, bind, client-output-buffer-limit); others take exactly one. */
  readonly multiArg: boolean;
  /** Parses `words` into `config`; returns Redis's error reason on failure and changes nothing. */
  apply(config: ServerConfig, words: readonly string[]): string | undefined;
  /** The value as CONFIG GET shows it. */
  show(config: ServerConfig): string;
}

type Flags = { immutable?: boolean; protected?: boolean; aliases?: string[] };

/** Keys of T whose type is exactly V (V assignable both ways), so `config[field] = v` type-checks. */
type KeysOfType<T, V> = {
  [K in keyof T]: [T[K]] extends [V] ? ([V] extends [T[K]] ? K : never) : never;
}[keyof T];

function param(
  name: string,
  flags: Flags,
  multiArg: boolean,
  apply: ConfigParam['apply'],
  show: ConfigParam['show'],
): ConfigParam {
  return {
    name,
    aliases: flags.aliases ?? [],
    immutable: flags.immutable ?? false,
    protected: flags.protected ?? false,
    multiArg,
    apply,
    show,
  };
}

/** Parses a decimal integer the way Redis's string2ll does: no spaces, no '+', no leading zeros. */
export function parseInteger(text: string): number | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function boolParam(name: string, field: KeysOfType<ServerConfig, boolean>, flags: Flags = {}) {
  return param(
    name,
    flags,
    false,
    (config, [word]) => {
      const lower = (word ?? '').toLowerCase();
      if (lower !== 'yes' && lower !== 'no') return "argument must be 'yes' or 'no'";
      config[field] = lower === 'yes';
      return undefined;
    },
    (config) => (config[field] ? 'yes' : 'no'),
  );
}

/**
 * maxmemory, Redis 7.0's one unsigned 64-bit memory parameter (ULONG_LONG_CONFIG, 0..ULLONG_MAX):
 * read as parseMemory64 reads, without the signed view, so `99999999999999999999` saturates to
 * 18446744073709551615 as in redis-server.
 */
const maxmemoryParam: ConfigParam = param(
  'maxmemory',
  {},
  false,
  (config, [word]) => {
    const value = parseMemory64(word ?? '');
    if (value === undefined) return 'argument must be a memory value';
    config.maxmemory = value < 0n ? value + 2n ** 64n : value;
    return undefined;
  },
  (config) => String(config.maxmemory),
);

/**
 * A numeric parameter. Bounds are bigints so a 64-bit bound (Redis's LONG_MAX) is checked and
 * reported exactly; the value is stored as a number, exact up to 2^53 (a limit that large means
 * "unlimited" anyway).
 */
function intParam(
  name: string,
  field: KeysOfType<ServerConfig, number>,
  min: bigint,
  max: bigint,
  flags: Flags = {},
  memory = false,
) {
  return param(
    name,
    flags,
    false,
    (config, [word]) => {
      const value = memory ? parseMemory64(word ?? '') : parseInteger64(word ?? '');
      if (value === undefined) {
        return memory
          ? 'argument must be a memory value'
          : "argument couldn't be parsed into an integer";
      }
      if (value < min || value > max) return `argument must be between ${min} and ${max} inclusive`;
      config[field] = Number(value);
      return undefined;
    },
    (config) => String(config[field]),
  );
}

function stringParam(name: string, field: KeysOfType<ServerConfig, string>, flags: Flags = {}) {
  return param(
    name,
    flags,
    false,
    (config, [word]) => {
      config[field] = word ?? '';
      return undefined;
    },
    (config) => config[field],
  );
}

function enumParam<V extends string>(
  name: string,
  values: readonly V[],
  read: (config: ServerConfig) => V,
  write: (config: ServerConfig, value: V) => void,
  flags: Flags = {},
) {
  return param(
    name,
    flags,
    false,
    (config, [word]) => {
      const found = values.find((value) => value === (word ?? '').toLowerCase());
      if (found === undefined) {
        return `argument(s) must be one of the following: ${values.join(', ')}`;
      }
      write(config, found);
      return undefined;
    },
    read,
  );
}

/**
 * A number as C's strtoll reads a whole word: leading blanks, an optional sign, digits, nothing
 * after; saturating at the int64 bounds. The empty word reads as 0 (strtoll stops at once and the
 * end pointer is at the NUL). Redis parses `save` rules this way, so `010` and `+5` are accepted.
 */
function parseStrtoll(word: string): number | undefined {
  if (word === '') return 0;
  const match = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(word);
  if (match === null) return undefined;
  const value = BigInt(match[1] ?? '0');
  return Number(value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value);
}

/**
 * `save` rules as Redis 7.0's setConfigSaveOption reads them: one empty word (`save ""`) or none
 * means no rules; a single word holding spaces is split first (`--save "900 1"`, CONFIG SET);
 * otherwise words pair up as `<seconds> <changes>`, seconds >= 1 and changes >= 0.
 */
export function parseSaveRules(words: readonly string[]): SaveRule[] | undefined {
  if (words.length === 0 || (words.length === 1 && words[0] === '')) return [];
  const first = words[0] ?? '';
  const flat = words.length === 1 ? first.split(' ').filter((part) => part !== '') : words;
  if (flat.length % 2 !== 0) return undefined;
  const rules: SaveRule[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const seconds = parseStrtoll(flat[i] ?? '');
    const changes = parseStrtoll(flat[i + 1] ?? '');
    if (seconds === undefined || changes === undefined || seconds < 1 || changes < 0) {
      return undefined;
    }
    rules.push({ seconds, changes });
  }
  return rules;
}

const CLIENT_CLASS_NAMES: Record<string, ClientClass> = {
  normal: 'normal',
  replica: 'replica',
  slave: 'replica',
  pubsub: 'pubsub',
};

const BUFFER_LIMIT_WORDS_ERROR = 'Wrong number of arguments in buffer limit configuration.';
const BUFFER_LIMIT_CLASS_ERROR = 'Invalid client class specified in buffer limit configuration.';
const BUFFER_LIMIT_VALUE_ERROR =
  'Error in hard, soft or soft_seconds setting in buffer limit configuration.';

/**
 * `<class> <hard> <soft> <soft-seconds>` groups, checked as Redis 7.0's
 * setConfigClientOutputBufferLimitOption: the word count first, then every word in order (a class
 * name other than normal/replica/slave/pubsub, a bad memory value or a negative or non-numeric
 * seconds value); all or nothing. No words at all is accepted and changes nothing.
 */
function parseOutputBufferLimits(
  words: readonly string[],
  current: Record<ClientClass, OutputBufferLimit>,
): Record<ClientClass, OutputBufferLimit> | string {
  const flat = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
  if (flat.length % 4 !== 0) return BUFFER_LIMIT_WORDS_ERROR;
  const next = { ...current };
  for (let i = 0; i < flat.length; i += 4) {
    const clientClass = CLIENT_CLASS_NAMES[(flat[i] ?? '').toLowerCase()];
    if (clientClass === undefined) return BUFFER_LIMIT_CLASS_ERROR;
    const hardBytes = parseMemory64(flat[i + 1] ?? '');
    if (hardBytes === undefined || hardBytes < 0n) return BUFFER_LIMIT_VALUE_ERROR;
    const softBytes = parseMemory64(flat[i + 2] ?? '');
    if (softBytes === undefined || softBytes < 0n) return BUFFER_LIMIT_VALUE_ERROR;
    const secondsText = flat[i + 3] ?? '';
    if (!/^[0-9]+$/.test(secondsText)) return BUFFER_LIMIT_VALUE_ERROR;
    next[clientClass] = {
      hardBytes: Number(hardBytes),
      softBytes: Number(softBytes),
      softSeconds: Number(secondsText),
    };
  }
  return next;
}

function showOutputBufferLimits(config: ServerConfig): string {
  const limits = config.clientOutputBufferLimit;
  const order: [string, ClientClass][] = [
    ['normal', 'normal'],
    ['slave', 'replica'],
    ['pubsub', 'pubsub'],
  ];
  return order
    .map(([label, key]) => {
      const limit = limits[key];
      return `${label} ${limit.hardBytes} ${limit.softBytes} ${limit.softSeconds}`;
    })
    .join(' ');
}

/** Redis 7.0.15's loglevel values; `nothing` arrived in 7.2 (the LogLevel type keeps it for sinks). */
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'verbose', 'notice', 'warning'];
const POLICIES: readonly DebugCommandPolicy[] = ['no', 'yes', 'local'];
const INT_MAX = 2147483647n;

const SHUTDOWN_FLAG_NAMES = ['save', 'nosave', 'now', 'force'] as const;

/**
 * shutdown-on-sigterm / shutdown-on-sigint, a multi-word enum as Redis 7.0's: any of default, save,
 * nosave, now, force (given as several words or one word holding spaces); `default` adds nothing;
 * SAVE with NOSAVE is refused. CONFIG GET lists the flags in that order, or `default` for none.
 */
function shutdownFlagsParam(
  name: string,
  field: 'shutdownOnSigterm' | 'shutdownOnSigint',
): ConfigParam {
  return param(
    name,
    {},
    true,
    (config, words) => {
      const parts = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
      const flags = { save: false, nosave: false, now: false, force: false };
      if (parts.length === 0) {
        return 'argument(s) must be one of the following: default, save, nosave, now, force';
      }
      for (const part of parts) {
        const lower = part.toLowerCase();
        const flag = SHUTDOWN_FLAG_NAMES.find((known) => known === lower);
        if (flag !== undefined) flags[flag] = true;
        else if (lower !== 'default') {
          return 'argument(s) must be one of the following: default, save, nosave, now, force';
        }
      }
      if (flags.save && flags.nosave) {
        return "shutdown options SAVE and NOSAVE can't be used simultaneously";
      }
      config[field] = flags;
      return undefined;
    },
    (config) => showShutdownFlags(config[field]),
  );
}

function showShutdownFlags(flags: ShutdownFlags): string {
  const set = SHUTDOWN_FLAG_NAMES.filter((flag) => flags[flag]);
  return set.length === 0 ? 'default' : set.join(' ');
}
const UINT_MAX = 4294967295n;
const LONG_MAX = INT64_MAX;
const MB = 1024n * 1024n;

/** Every parameter the server implements, sorted by name (stored-params.ts adds the no-ops). */
export const CONFIG_PARAMS: readonly ConfigParam[] = [
  stringParam('pidfile', 'pidfile', { immutable: true }),
  intParam('tcp-backlog', 'tcpBacklog', 0n, INT_MAX, { immutable: true }),
  // The slow log (commands/server/slowlog.ts) and the latency monitor (latency/).
  intParam('slowlog-log-slower-than', 'slowlogLogSlowerThan', -1n, INT64_MAX),
  intParam('slowlog-max-len', 'slowlogMaxLen', 0n, LONG_MAX),
  intParam('latency-monitor-threshold', 'latencyMonitorThreshold', 0n, INT64_MAX),
  param(
    'appendonly',
    {},
    false,
    (_config, [word]) => {
      const lower = (word ?? '').toLowerCase();
      if (lower === 'no') return undefined;
      if (lower === 'yes') return 'append-only file persistence is not implemented yet';
      return "argument must be 'yes' or 'no'";
    },
    () => 'no',
  ),
  param(
    'bind',
    { protected: false },
    true,
    (config, words) => {
      const addresses = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
      // No addresses means Redis's default: every IPv4 and (if available) IPv6 interface.
      config.bind = addresses.length === 0 ? ['*', '-::*'] : addresses;
      return undefined;
    },
    (config) => config.bind.join(' '),
  ),
  // Scripting: how long a script runs before other clients get -BUSY (scripting/busy.ts).
  intParam('busy-reply-threshold', 'busyReplyThresholdMs', 0n, LONG_MAX, {
    aliases: ['lua-time-limit'],
  }),
  param(
    'client-output-buffer-limit',
    {},
    true,
    (config, words) => {
      const limits = parseOutputBufferLimits(words, config.clientOutputBufferLimit);
      if (typeof limits === 'string') return limits;
      config.clientOutputBufferLimit = limits;
      return undefined;
    },
    showOutputBufferLimits,
  ),
  intParam('client-query-buffer-limit', 'clientQueryBufferLimit', MB, LONG_MAX, {}, true),
  boolParam('daemonize', 'daemonize', { immutable: true }),
  intParam('databases', 'databases', 1n, INT_MAX, { immutable: true }),
  stringParam('dbfilename', 'dbfilename', { protected: true }),
  stringParam('dir', 'dir', { protected: true }),
  enumParam(
    'enable-debug-command',
    POLICIES,
    (config) => config.enableDebugCommand,
    (config, value) => {
      config.enableDebugCommand = value;
    },
    { immutable: true },
  ),
  enumParam(
    'enable-protected-configs',
    POLICIES,
    (config) => config.enableProtectedConfigs,
    (config, value) => {
      config.enableProtectedConfigs = value;
    },
    { immutable: true },
  ),
  // replisim only, for teaching: the ms a fork would pause the node per GB of used_memory at a
  // BGSAVE start (reference §7: 10-20 on normal hardware, 200-400 on Xen); 0 charges nothing.
  intParam('fork-pause-ms-per-gb', 'forkPauseMsPerGb', 0n, INT_MAX),
  intParam('hz', 'hz', 0n, INT_MAX),
  intParam('active-expire-effort', 'activeExpireEffort', 1n, 10n),
  intParam(
    'hash-max-listpack-entries',
    'hashMaxListpackEntries',
    0n,
    LONG_MAX,
    { aliases: ['hash-max-ziplist-entries'] },
    true,
  ),
  intParam(
    'hash-max-listpack-value',
    'hashMaxListpackValue',
    0n,
    LONG_MAX,
    { aliases: ['hash-max-ziplist-value'] },
    true,
  ),
  intParam('list-compress-depth', 'listCompressDepth', 0n, INT_MAX),
  intParam('list-max-listpack-size', 'listMaxListpackSize', -5n, INT_MAX, {
    aliases: ['list-max-ziplist-size'],
  }),
  intParam('set-max-intset-entries', 'setMaxIntsetEntries', 0n, LONG_MAX, {}, true),
  intParam('stream-node-max-bytes', 'streamNodeMaxBytes', 0n, LONG_MAX, {}, true),
  intParam('stream-node-max-entries', 'streamNodeMaxEntries', 0n, LONG_MAX),
  intParam(
    'zset-max-listpack-entries',
    'zsetMaxListpackEntries',
    0n,
    LONG_MAX,
    { aliases: ['zset-max-ziplist-entries'] },
    true,
  ),
  intParam(
    'zset-max-listpack-value',
    'zsetMaxListpackValue',
    0n,
    LONG_MAX,
    { aliases: ['zset-max-ziplist-value'] },
    true,
  ),
  stringParam('logfile', 'logfile', { immutable: true }),
  enumParam(
    'loglevel',
    LOG_LEVELS,
    (config) => config.loglevel,
    (config, value) => {
      config.loglevel = value;
    },
  ),
  intParam('maxclients', 'maxclients', 1n, UINT_MAX),
  // maxmemory and eviction (memory/eviction.ts, memory/access.ts).
  maxmemoryParam,
  intParam('maxmemory-eviction-tenacity', 'maxmemoryEvictionTenacity', 0n, 100n),
  enumParam(
    'maxmemory-policy',
    MAXMEMORY_POLICIES,
    (config) => config.maxmemoryPolicy,
    (config, value) => {
      config.maxmemoryPolicy = value;
    },
  ),
  intParam('maxmemory-samples', 'maxmemorySamples', 1n, INT_MAX),
  intParam('lfu-decay-time', 'lfuDecayTime', 0n, INT_MAX),
  intParam('lfu-log-factor', 'lfuLogFactor', 0n, INT_MAX),
  boolParam('replica-ignore-maxmemory', 'replicaIgnoreMaxmemory', {
    aliases: ['slave-ignore-maxmemory'],
  }),
  intParam('port', 'port', 0n, 65535n),
  boolParam('protected-mode', 'protectedMode'),
  intParam('proto-max-bulk-len', 'protoMaxBulkLen', MB, LONG_MAX, {}, true),
  boolParam('rdbchecksum', 'rdbchecksum', { immutable: true }),
  boolParam('rdbcompression', 'rdbcompression'),
  boolParam('rdb-save-incremental-fsync', 'rdbSaveIncrementalFsync'),
  // Replication, master side (replication/master.ts). repl-backlog-size is clamped to 16 KB when
  // the backlog is built, as resizeReplicationBacklog does (CONFIG GET shows the value given).
  intParam('repl-backlog-size', 'replBacklogSize', 1n, LONG_MAX, {}, true),
  intParam('repl-backlog-ttl', 'replBacklogTtl', 0n, LONG_MAX),
  boolParam('repl-diskless-sync', 'replDisklessSync'),
  intParam('repl-diskless-sync-delay', 'replDisklessSyncDelay', 0n, INT_MAX),
  intParam('repl-diskless-sync-max-replicas', 'replDisklessSyncMaxReplicas', 0n, INT_MAX),
  intParam('repl-ping-replica-period', 'replPingReplicaPeriod', 1n, INT_MAX, {
    aliases: ['repl-ping-slave-period'],
  }),
  enumParam(
    'repl-snapshot-reuse',
    ['no', 'join-any', 'join-any-or-recent'] as const,
    (config) => config.replSnapshotReuse,
    (config, value) => {
      config.replSnapshotReuse = value;
    },
  ),
  intParam('repl-timeout', 'replTimeout', 1n, INT_MAX),
  intParam('min-replicas-max-lag', 'minReplicasMaxLag', 0n, INT_MAX, {
    aliases: ['min-slaves-max-lag'],
  }),
  intParam('min-replicas-to-write', 'minReplicasToWrite', 0n, INT_MAX, {
    aliases: ['min-slaves-to-write'],
  }),
  // Replication, replica side (replication/replica-host.ts).
  stringParam('masterauth', 'masterauth'),
  stringParam('masteruser', 'masteruser'),
  boolParam('replica-read-only', 'replicaReadOnly', { aliases: ['slave-read-only'] }),
  boolParam('replica-serve-stale-data', 'replicaServeStaleData', {
    aliases: ['slave-serve-stale-data'],
  }),
  stringParam('replica-announce-ip', 'replicaAnnounceIp', { aliases: ['slave-announce-ip'] }),
  intParam('replica-announce-port', 'replicaAnnouncePort', 0n, 65535n, {
    aliases: ['slave-announce-port'],
  }),
  enumParam(
    'repl-diskless-load',
    ['disabled', 'on-empty-db', 'swapdb'] as const,
    (config) => config.replDisklessLoad,
    (config, value) => {
      config.replDisklessLoad = value;
    },
  ),
  param(
    'replicaof',
    { immutable: true, aliases: ['slaveof'] },
    true,
    (config, words) => {
      const parts = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
      const [host, portText] = parts;
      if (parts.length !== 2 || host === undefined || portText === undefined) {
        return 'wrong number of arguments';
      }
      const port = parseInteger(portText);
      if (port === undefined || port < 0 || port > 65535) return 'Invalid master port';
      config.replicaof = { host, port };
      return undefined;
    },
    (config) =>
      config.replicaof === undefined ? '' : `${config.replicaof.host} ${config.replicaof.port}`,
  ),
  stringParam('requirepass', 'requirepass'),
  param(
    'save',
    {},
    true,
    (config, words) => {
      const rules = parseSaveRules(words);
      if (rules === undefined) return 'Invalid save parameters';
      config.save = rules;
      return undefined;
    },
    (config) => config.save.map((rule) => `${rule.seconds} ${rule.changes}`).join(' '),
  ),
  shutdownFlagsParam('shutdown-on-sigint', 'shutdownOnSigint'),
  shutdownFlagsParam('shutdown-on-sigterm', 'shutdownOnSigterm'),
  intParam('shutdown-timeout', 'shutdownTimeout', 0n, INT_MAX),
  boolParam('stop-writes-on-bgsave-error', 'stopWritesOnBgsaveError'),
  intParam('tcp-keepalive', 'tcpKeepalive', 0n, INT_MAX),
  intParam('timeout', 'timeout', 0n, INT_MAX),
  ...STORED_PARAMS,
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const PARAMS_BY_NAME: ReadonlyMap<string, ConfigParam> = new Map(
  CONFIG_PARAMS.flatMap((p) => [p.name, ...p.aliases].map((name) => [name, p] as const)),
);

export function findConfigParam(name: string): ConfigParam | undefined {
  return PARAMS_BY_NAME.get(name.toLowerCase());
}
