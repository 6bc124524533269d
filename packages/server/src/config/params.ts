/**
 * The table of configuration parameters: for each Redis name, how to parse it from words (config
 * file, command line, CONFIG SET), how to show it (CONFIG GET), and whether it may change at run time.
 * Parse failures return Redis's exact reasons ("argument couldn't be parsed into an integer"), which
 * CONFIG SET and the config-file loader wrap in their own message formats.
 */
import type {
  ClientClass,
  DebugCommandPolicy,
  LogLevel,
  OutputBufferLimit,
  SaveRule,
  ServerConfig,
} from './server-config.js';

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

/** Parses Redis memory units (memtoull): 1k = 1000, 1kb = 1024, likewise m/mb and g/gb. */
export function parseMemory(text: string): number | undefined {
  const match = /^(-?[0-9]+)(k|kb|m|mb|g|gb|b)?$/i.exec(text);
  if (match === null) return undefined;
  const units: Record<string, number> = {
    b: 1,
    k: 1000,
    kb: 1024,
    m: 1000 * 1000,
    mb: 1024 * 1024,
    g: 1000 * 1000 * 1000,
    gb: 1024 * 1024 * 1024,
  };
  const digits = parseInteger(match[1] ?? '');
  if (digits === undefined) return undefined;
  return digits * (units[(match[2] ?? 'b').toLowerCase()] ?? 1);
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

function intParam(
  name: string,
  field: KeysOfType<ServerConfig, number>,
  min: number,
  max: number,
  flags: Flags = {},
  memory = false,
) {
  return param(
    name,
    flags,
    false,
    (config, [word]) => {
      const value = memory ? parseMemory(word ?? '') : parseInteger(word ?? '');
      if (value === undefined) {
        return memory
          ? 'argument must be a memory value'
          : "argument couldn't be parsed into an integer";
      }
      if (value < min || value > max) return `argument must be between ${min} and ${max} inclusive`;
      config[field] = value;
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

function parseSaveRules(words: readonly string[]): SaveRule[] | undefined {
  // `save ""` (one empty word) disables snapshotting; otherwise words come in pairs.
  if (words.length === 1 && words[0] === '') return [];
  const flat = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
  if (flat.length === 0 || flat.length % 2 !== 0) return undefined;
  const rules: SaveRule[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const seconds = parseInteger(flat[i] ?? '');
    const changes = parseInteger(flat[i + 1] ?? '');
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

function parseOutputBufferLimits(
  words: readonly string[],
  current: Record<ClientClass, OutputBufferLimit>,
): Record<ClientClass, OutputBufferLimit> | undefined {
  const flat = words.flatMap((word) => word.split(' ').filter((part) => part !== ''));
  if (flat.length === 0 || flat.length % 4 !== 0) return undefined;
  const next = { ...current };
  for (let i = 0; i < flat.length; i += 4) {
    const clientClass = CLIENT_CLASS_NAMES[(flat[i] ?? '').toLowerCase()];
    const hardBytes = parseMemory(flat[i + 1] ?? '');
    const softBytes = parseMemory(flat[i + 2] ?? '');
    const softSeconds = parseInteger(flat[i + 3] ?? '');
    if (clientClass === undefined || hardBytes === undefined || softBytes === undefined) {
      return undefined;
    }
    if (softSeconds === undefined || hardBytes < 0 || softBytes < 0 || softSeconds < 0) {
      return undefined;
    }
    next[clientClass] = { hardBytes, softBytes, softSeconds };
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
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

/** Every parameter the server implements, in CONFIG GET * order (alphabetical). */
export const CONFIG_PARAMS: readonly ConfigParam[] = [
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
      if (addresses.length === 0) return 'Too many bind addresses specified.';
      config.bind = addresses;
      return undefined;
    },
    (config) => config.bind.join(' '),
  ),
  param(
    'client-output-buffer-limit',
    {},
    true,
    (config, words) => {
      const limits = parseOutputBufferLimits(words, config.clientOutputBufferLimit);
      if (limits === undefined) return 'Wrong number of arguments in buffer limit configuration.';
      config.clientOutputBufferLimit = limits;
      return undefined;
    },
    showOutputBufferLimits,
  ),
  intParam('client-query-buffer-limit', 'clientQueryBufferLimit', 1024 * 1024, LONG_MAX, {}, true),
  boolParam('daemonize', 'daemonize', { immutable: true }),
  intParam('databases', 'databases', 1, INT_MAX, { immutable: true }),
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
  intParam('hz', 'hz', 0, INT_MAX),
  stringParam('logfile', 'logfile', { immutable: true }),
  enumParam(
    'loglevel',
    LOG_LEVELS,
    (config) => config.loglevel,
    (config, value) => {
      config.loglevel = value;
    },
  ),
  intParam('maxclients', 'maxclients', 1, UINT_MAX),
  intParam('port', 'port', 0, 65535),
  boolParam('protected-mode', 'protectedMode'),
  intParam('proto-max-bulk-len', 'protoMaxBulkLen', 1024 * 1024, LONG_MAX, {}, true),
  boolParam('rdbchecksum', 'rdbchecksum', { immutable: true }),
  boolParam('rdbcompression', 'rdbcompression'),
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
  boolParam('stop-writes-on-bgsave-error', 'stopWritesOnBgsaveError'),
  intParam('tcp-keepalive', 'tcpKeepalive', 0, INT_MAX),
  intParam('timeout', 'timeout', 0, INT_MAX),
];

const PARAMS_BY_NAME: ReadonlyMap<string, ConfigParam> = new Map(
  CONFIG_PARAMS.flatMap((p) => [p.name, ...p.aliases].map((name) => [name, p] as const)),
);

export function findConfigParam(name: string): ConfigParam | undefined {
  return PARAMS_BY_NAME.get(name.toLowerCase());
}
