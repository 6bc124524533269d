/**
 * The Redis 7.0 parameters that replisim accepts, validates and shows but that change nothing here:
 * AOF tuning (AOF itself is refused by `appendonly yes`), cluster, TLS, lazy freeing, defrag, the
 * allocator, the process title, syslog, supervision, OOM score and the like. They exist so that a
 * stock redis.conf loads and so that CONFIG GET/SET answer as redis-server does (same bounds, same
 * error reasons, same canonical value in CONFIG GET). Their values live in `config.stored`, keyed by
 * the parameter's name, as the string CONFIG GET shows. docs/server-and-config.md lists them.
 *
 * A few take only the value that means "off" (tls-port, unixsocket, cluster-enabled): a value that
 * would need a feature replisim does not have is refused at load, not silently ignored.
 */
import type { ConfigParam } from './params.js';
import type { ServerConfig } from './server-config.js';
import { INT64_MAX, parseInteger64, parseMemory64, UINT64_MAX } from './word-parsers.js';

type Parsed =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

interface StoredSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly immutable?: boolean;
  readonly multiArg?: boolean;
  readonly initial: string;
  readonly parse: (words: readonly string[]) => Parsed;
}

const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LONG_MAX = INT64_MAX;

const ok = (value: string): Parsed => ({ ok: true, value });
const fail = (reason: string): Parsed => ({ ok: false, reason });

function bool(
  name: string,
  initial: 'yes' | 'no',
  options: { immutable?: boolean; aliases?: string[]; onlyNo?: string } = {},
): StoredSpec {
  return {
    name,
    initial,
    ...options,
    parse([word = '']) {
      const lower = word.toLowerCase();
      if (lower !== 'yes' && lower !== 'no') return fail("argument must be 'yes' or 'no'");
      if (lower === 'yes' && options.onlyNo !== undefined) return fail(options.onlyNo);
      return ok(lower);
    },
  };
}

/** A numeric parameter: string2ll (or memtoull for a memory one), then the bounds check. */
function int(
  name: string,
  initial: bigint,
  min: bigint,
  max: bigint,
  options: { immutable?: boolean; aliases?: string[]; memory?: boolean; onlyZero?: string } = {},
): StoredSpec {
  return {
    name,
    initial: String(initial),
    ...options,
    parse([word = '']) {
      let value = options.memory === true ? parseMemory64(word) : parseInteger64(word);
      if (value === undefined) {
        return fail(
          options.memory === true
            ? 'argument must be a memory value'
            : "argument couldn't be parsed into an integer",
        );
      }
      // An unsigned 64-bit memory parameter reads the wrapped value back as unsigned.
      if (max === UINT64_MAX && value < 0n) value += 2n ** 64n;
      if (value < min || value > max)
        return fail(`argument must be between ${min} and ${max} inclusive`);
      if (value !== 0n && options.onlyZero !== undefined) return fail(options.onlyZero);
      return ok(String(value));
    },
  };
}

/** An enum: case-insensitive; CONFIG GET shows the first name of the value (`relative` shows `yes`). */
function oneOf(
  name: string,
  values: readonly string[],
  initial: string,
  options: { immutable?: boolean; sameAs?: Readonly<Record<string, string>> } = {},
): StoredSpec {
  return {
    name,
    initial,
    ...(options.immutable === undefined ? {} : { immutable: options.immutable }),
    parse([word = '']) {
      const found = values.find((value) => value === word.toLowerCase());
      if (found === undefined) {
        return fail(`argument(s) must be one of the following: ${values.join(', ')}`);
      }
      return ok(options.sameAs?.[found] ?? found);
    },
  };
}

function text(
  name: string,
  initial: string,
  options: {
    immutable?: boolean;
    aliases?: string[];
    check?: (value: string) => string | undefined;
  } = {},
): StoredSpec {
  return {
    name,
    initial,
    ...options,
    parse([word = '']) {
      const reason = options.check?.(word);
      return reason === undefined ? ok(word) : fail(reason);
    },
  };
}

const notAPath = (what: string, noun: string) => (value: string) =>
  value.includes('/') ? `${what} can't be a path, just a ${noun}` : undefined;

/**
 * maxmemory-clients: a memory value or a percentage of maxmemory (`10%`, at most 100), as Redis's
 * PERCENT_CONFIG; CONFIG GET shows the percentage with its sign.
 */
const maxmemoryClients: StoredSpec = {
  name: 'maxmemory-clients',
  initial: '0',
  parse([word = '']) {
    if (word.endsWith('%')) {
      const percent = parseInteger64(word.slice(0, -1));
      if (percent === undefined || percent < 0n)
        return fail('argument must be a memory or percent value');
      if (percent > 100n) return fail('percentage argument must be less or equal to 100');
      return ok(`${percent}%`);
    }
    const bytes = parseMemory64(word);
    if (bytes === undefined) return fail('argument must be a memory or percent value');
    if (bytes < 0n) return fail(`argument must be between 0 and ${INT64_MAX} inclusive`);
    return ok(String(bytes));
  },
};

/** oom-score-adj-values: three integers in -2000..2000 (replica, master, background child). */
const oomScoreAdjValues: StoredSpec = {
  name: 'oom-score-adj-values',
  initial: '0 200 800',
  multiArg: true,
  parse(words) {
    const parts = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
    if (parts.length !== 3) return fail('wrong number of arguments');
    const values: bigint[] = [];
    for (const part of parts) {
      const value = parseInteger64(part);
      if (value === undefined || value < -2000n || value > 2000n) {
        return fail('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
      }
      values.push(value);
    }
    return ok(values.join(' '));
  },
};

/** latency-tracking-info-percentiles: numbers in [0, 100], shown as %f with trailing zeros cut. */
const latencyPercentiles: StoredSpec = {
  name: 'latency-tracking-info-percentiles',
  initial: '50 99 99.9',
  multiArg: true,
  parse(words) {
    const parts = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
    const shown: string[] = [];
    for (const part of parts) {
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(part)) {
        return fail('Invalid latency-tracking-info-percentiles parameters');
      }
      const value = Number(part);
      if (value > 100 || value < 0) {
        return fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
      }
      shown.push(value.toFixed(6).replace(/\.?0+$/, ''));
    }
    return ok(shown.join(' '));
  },
};

/** The event classes of notify.c, in the order keyspaceEventsFlagsToString writes them. */
const EVENT_CLASSES = 'g$lshzxetdn';
const EVENT_ALL = 'g$lshzxetd';

/**
 * notify-keyspace-events, as notify.c's keyspaceEventsStringToFlags and back: `A` stands for
 * g$lshzxetd; CONFIG GET writes the classes in a fixed order (A when all are set, which hides n),
 * then K, E, m.
 * replisim stores the setting; keyspace notifications themselves belong to Pub/Sub.
 */
const notifyKeyspaceEvents: StoredSpec = {
  name: 'notify-keyspace-events',
  initial: '',
  parse([word = '']) {
    const flags = new Set<string>();
    for (const char of word) {
      if (char === 'A') for (const c of EVENT_ALL) flags.add(c);
      else if (`${EVENT_CLASSES}KEm`.includes(char)) flags.add(char);
      else return fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
    const all = [...EVENT_ALL].every((c) => flags.has(c));
    let shown = all ? 'A' : '';
    for (const c of EVENT_CLASSES) if (!all && flags.has(c)) shown += c;
    for (const c of 'KEm') if (flags.has(c)) shown += c;
    return ok(shown);
  },
};

/** unixsocketperm: an octal permission up to 0777 (CONFIG GET shows it in octal). */
const unixsocketperm: StoredSpec = {
  name: 'unixsocketperm',
  initial: '0',
  immutable: true,
  parse([word = '']) {
    if (!/^[0-7]+$/.test(word)) return fail("argument couldn't be parsed into an integer");
    const value = Number.parseInt(word, 8);
    if (value > 0o777) return fail('argument must be between 0 and 511 inclusive');
    return ok(value.toString(8));
  },
};

const TLS_UNSUPPORTED = 'TLS is not supported by replisim';

const STORED_SPECS: readonly StoredSpec[] = [
  // Access control and logging of it (ACL users are not modelled).
  oneOf('acl-pubsub-default', ['allchannels', 'resetchannels'], 'resetchannels'),
  text('aclfile', '', { immutable: true }),
  int('acllog-max-len', 128n, 0n, LONG_MAX),
  // Active defragmentation (jemalloc) and hash-table rehashing.
  int('active-defrag-cycle-max', 25n, 1n, 99n),
  int('active-defrag-cycle-min', 1n, 1n, 99n),
  int('active-defrag-ignore-bytes', 104857600n, 1n, INT64_MAX, { memory: true }),
  int('active-defrag-max-scan-fields', 1000n, 1n, LONG_MAX),
  int('active-defrag-threshold-lower', 10n, 0n, 1000n),
  int('active-defrag-threshold-upper', 100n, 0n, 1000n),
  bool('activedefrag', 'no'),
  bool('activerehashing', 'yes'),
  bool('always-show-logo', 'no', { immutable: true }),
  // AOF tuning (appendonly itself is in params.ts and refuses `yes`).
  bool('aof-disable-auto-gc', 'no'),
  bool('aof-load-truncated', 'yes'),
  bool('aof-rewrite-incremental-fsync', 'yes'),
  bool('aof-timestamp-enabled', 'no'),
  bool('aof-use-rdb-preamble', 'yes'),
  text('aof_rewrite_cpulist', '', { immutable: true }),
  text('appenddirname', 'appendonlydir', {
    immutable: true,
    check: notAPath('appenddirname', 'dirname'),
  }),
  text('appendfilename', 'appendonly.aof', {
    immutable: true,
    check: notAPath('appendfilename', 'filename'),
  }),
  oneOf('appendfsync', ['everysec', 'always', 'no'], 'everysec'),
  int('auto-aof-rewrite-min-size', 67108864n, 0n, INT64_MAX, { memory: true }),
  int('auto-aof-rewrite-percentage', 100n, 0n, INT_MAX),
  text('bgsave_cpulist', '', { immutable: true }),
  text('bind-source-addr', ''),
  text('bio_cpulist', '', { immutable: true }),
  // Cluster mode (not supported: cluster-enabled takes only `no`).
  bool('cluster-allow-pubsubshard-when-down', 'yes'),
  bool('cluster-allow-reads-when-down', 'no'),
  bool('cluster-allow-replica-migration', 'yes'),
  int('cluster-announce-bus-port', 0n, 0n, 65535n),
  text('cluster-announce-hostname', ''),
  text('cluster-announce-ip', ''),
  int('cluster-announce-port', 0n, 0n, 65535n),
  int('cluster-announce-tls-port', 0n, 0n, 65535n),
  text('cluster-config-file', 'nodes.conf', { immutable: true }),
  bool('cluster-enabled', 'no', {
    immutable: true,
    onlyNo: 'cluster mode is not supported by replisim',
  }),
  int('cluster-link-sendbuf-limit', 0n, 0n, UINT64_MAX, { memory: true }),
  int('cluster-migration-barrier', 1n, 0n, INT_MAX),
  int('cluster-node-timeout', 15000n, 0n, INT64_MAX),
  int('cluster-port', 0n, 0n, 65535n, { immutable: true }),
  oneOf('cluster-preferred-endpoint-type', ['ip', 'hostname', 'unknown-endpoint'], 'ip'),
  bool('cluster-replica-no-failover', 'no', { aliases: ['cluster-slave-no-failover'] }),
  int('cluster-replica-validity-factor', 10n, 0n, INT_MAX, {
    aliases: ['cluster-slave-validity-factor'],
  }),
  bool('cluster-require-full-coverage', 'yes'),
  bool('crash-log-enabled', 'yes'),
  bool('crash-memcheck-enabled', 'yes'),
  bool('disable-thp', 'yes', { immutable: true }),
  bool('dynamic-hz', 'yes'),
  // Read by MODULE LOAD/LOADEX/UNLOAD (commands/server/module.ts), which it allows or refuses.
  oneOf('enable-module-command', ['no', 'yes', 'local'], 'no', { immutable: true }),
  // Read by the HyperLogLog commands (commands/hyperloglog/hll-key.ts): the sparse size limit.
  int('hll-sparse-max-bytes', 3000n, 0n, LONG_MAX, { memory: true }),
  text('ignore-warnings', ''),
  int('io-threads', 1n, 1n, 128n, { immutable: true }),
  bool('io-threads-do-reads', 'no', { immutable: true }),
  bool('jemalloc-bg-thread', 'yes'),
  bool('latency-tracking', 'yes'),
  latencyPercentiles,
  bool('lazyfree-lazy-eviction', 'no'),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no'),
  bool('lazyfree-lazy-user-del', 'no'),
  bool('lazyfree-lazy-user-flush', 'no'),
  maxmemoryClients,
  bool('no-appendfsync-on-rewrite', 'no'),
  notifyKeyspaceEvents,
  oneOf('oom-score-adj', ['no', 'yes', 'relative', 'absolute'], 'no', {
    sameAs: { relative: 'yes' },
  }),
  oomScoreAdjValues,
  text('proc-title-template', '{title} {listen-addr} {server-mode}', { check: checkTitleTemplate }),
  oneOf('propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas'], 'ignore'),
  bool('rdb-del-sync-files', 'no'),
  bool('repl-disable-tcp-nodelay', 'no'),
  bool('replica-announced', 'yes'),
  bool('replica-ignore-disk-write-errors', 'no'),
  bool('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'] }),
  int('replica-priority', 100n, 0n, INT_MAX, { aliases: ['slave-priority'] }),
  oneOf('sanitize-dump-payload', ['no', 'yes', 'clients'], 'no'),
  text('server_cpulist', '', { immutable: true }),
  bool('set-proc-title', 'yes', { immutable: true }),
  int('socket-mark-id', 0n, 0n, UINT_MAX, { immutable: true }),
  oneOf('supervised', ['upstart', 'systemd', 'auto', 'no'], 'no', { immutable: true }),
  bool('syslog-enabled', 'no', { immutable: true }),
  oneOf(
    'syslog-facility',
    ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
    'local0',
    { immutable: true },
  ),
  text('syslog-ident', 'redis', { immutable: true }),
  // TLS (not supported: tls-port takes only 0; the file settings are kept for CONFIG GET).
  oneOf('tls-auth-clients', ['no', 'yes', 'optional'], 'yes'),
  text('tls-ca-cert-dir', ''),
  text('tls-ca-cert-file', ''),
  text('tls-cert-file', ''),
  text('tls-ciphers', ''),
  text('tls-ciphersuites', ''),
  text('tls-client-cert-file', ''),
  text('tls-client-key-file', ''),
  text('tls-client-key-file-pass', ''),
  bool('tls-cluster', 'no'),
  text('tls-dh-params-file', ''),
  text('tls-key-file', ''),
  text('tls-key-file-pass', ''),
  int('tls-port', 0n, 0n, 65535n, { onlyZero: TLS_UNSUPPORTED }),
  bool('tls-prefer-server-ciphers', 'no'),
  text('tls-protocols', ''),
  bool('tls-replication', 'no'),
  int('tls-session-cache-size', 20480n, 0n, INT_MAX),
  int('tls-session-cache-timeout', 300n, 0n, INT_MAX),
  bool('tls-session-caching', 'yes'),
  int('tracking-table-max-keys', 1000000n, 0n, LONG_MAX),
  text('unixsocket', '', {
    immutable: true,
    check: (value) => (value === '' ? undefined : 'unix sockets are not supported by replisim'),
  }),
  unixsocketperm,
];

/** The variables Redis's proc-title-template knows; anything else in braces is refused. */
function checkTitleTemplate(value: string): string | undefined {
  const known = [
    'title',
    'listen-addr',
    'server-mode',
    'port',
    'tls-port',
    'unixsocket',
    'config-file',
  ];
  const invalid = 'template format is invalid or contains unknown variables';
  for (const match of value.matchAll(/\{([^}]*)\}/g)) {
    if (!known.includes(match[1] ?? '')) return invalid;
  }
  return /\{[^}]*$/.test(value) || /^[^{]*\}/.test(value) ? invalid : undefined;
}

/** The stored values a node starts with: each parameter's Redis default. */
export function storedDefaults(): Record<string, string> {
  return Object.fromEntries(STORED_SPECS.map((spec) => [spec.name, spec.initial]));
}

/** The stored parameters as ConfigParams, for the table in params.ts. */
export const STORED_PARAMS: readonly ConfigParam[] = STORED_SPECS.map((spec) => ({
  name: spec.name,
  aliases: spec.aliases ?? [],
  immutable: spec.immutable ?? false,
  protected: false,
  multiArg: spec.multiArg ?? false,
  apply(config: ServerConfig, words: readonly string[]) {
    const parsed = spec.parse(words);
    if (!parsed.ok) return parsed.reason;
    config.stored[spec.name] = parsed.value;
    return undefined;
  },
  show: (config: ServerConfig) => config.stored[spec.name] ?? spec.initial,
}));
