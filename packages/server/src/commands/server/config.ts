/**
 * CONFIG GET parameter [parameter ...] | SET parameter value [parameter value ...] | RESETSTAT |
 *        REWRITE | HELP
 *
 * Reads and changes the parameters of config/params.ts. GET takes glob patterns (case-insensitive)
 * and replies a map (a flat array in RESP2). SET is atomic as in Redis 7.0: every pair is validated
 * on a copy first, and nothing changes if one fails. Immutable parameters (databases, daemonize, ...)
 * and protected ones (dir, dbfilename, unless enable-protected-configs) are refused with Redis's
 * messages. Deliberate difference: `port` and `bind` are immutable here; redis-server rebinds.
 * RESETSTAT also clears the per-command statistics; REWRITE is config-rewrite.ts.
 */
import { CONFIG_PARAMS, type ConfigParam, findConfigParam } from '../../config/params.js';
import type { DebugCommandPolicy } from '../../config/server-config.js';
import { notCountedForEvictBytes, usedMemoryBytes } from '../../memory/used-memory.js';
import { emptyStats } from '../../stats.js';
import { globMatch } from '../../util/glob.js';
import { SYNTAX_ERROR } from '../errors.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
  NO_KEYS,
} from '../types.js';
import { configRewrite, NO_CONFIG_FILE } from './config-rewrite.js';
import { helpCommand } from './help.js';

const ADMIN = ['@admin', '@slow', '@dangerous'] as const;

const GLOB_CHARS = /[*?[]/;

/** Every name CONFIG GET patterns are matched against: each parameter's name and its aliases. */
const ALL_NAMES: readonly (readonly [string, ConfigParam])[] = CONFIG_PARAMS.flatMap((param) =>
  [param.name, ...param.aliases].map((name) => [name, param] as const),
);

/**
 * As 7.0's configGetCommand: matches collect in a dict keyed case-insensitively, so a name asked
 * twice (in any case, or also matched by a pattern) appears once, spelled as first added. An exact
 * name is shown as the client spelled it (`CONFIG GET HZ` replies `HZ`); a pattern adds the
 * parameters' own names. Redis replies in dict order; replisim in the order matches were added.
 */
const get = defineCommand<readonly string[]>({
  name: 'get',
  arity: -3,
  syntax: 'parameter [parameter ...]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Get the values of configuration parameters',
    since: '2.0.0',
    group: 'server',
    complexity: 'O(N) when N is the number of configuration parameters provided',
  },
  parse: (argv) => argv.slice(2).map((arg) => arg.toString('latin1')),
  execute(ctx, patterns) {
    const matched = new Map<string, { readonly shown: string; readonly param: ConfigParam }>();
    const add = (shown: string, param: ConfigParam): void => {
      const key = shown.toLowerCase();
      if (!matched.has(key)) matched.set(key, { shown, param });
    };
    for (const pattern of patterns) {
      if (!GLOB_CHARS.test(pattern)) {
        const found = findConfigParam(pattern);
        if (found !== undefined) add(pattern, found);
        continue;
      }
      for (const [name, param] of ALL_NAMES) {
        if (globMatch(pattern, name, true)) add(name, param);
      }
    }
    ctx.reply.mapHeader(matched.size);
    for (const { shown, param } of matched.values()) {
      ctx.reply.bulk(shown);
      ctx.reply.bulk(param.show(ctx.node.config));
    }
    return undefined;
  },
});

function maxmemoryChanged(ctx: CommandContext): void {
  const node = ctx.node;
  if (node.config.maxmemory === 0n) return;
  const used = usedMemoryBytes(node) - notCountedForEvictBytes(node);
  if (BigInt(used) > node.config.maxmemory) {
    node.log(
      'warning',
      `WARNING: the new maxmemory value set via CONFIG SET (${node.config.maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
    );
  }
  node.evictor.perform();
}

function setFailed(name: string, reason: string): ErrorReply {
  return new ErrorReply(
    `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
  );
}

/** Redis's allowProtectedAction: `yes`, or `local` for a client on a loopback address. */
function protectedAllowed(policy: DebugCommandPolicy, ctx: CommandContext): boolean {
  if (policy === 'yes') return true;
  const address = ctx.client.connection.remoteAddress;
  return policy === 'local' && (address === '127.0.0.1' || address === '::1');
}

/** The first problem with the parameter names of a CONFIG SET, as Redis reports it. */
function checkSetNames(
  pairs: readonly (readonly [string, string])[],
  protectedAllowed: boolean,
): ErrorReply | ConfigParam[] {
  const params: ConfigParam[] = [];
  for (const [name] of pairs) {
    const param = findConfigParam(name);
    if (param === undefined) {
      return new ErrorReply(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
    }
    // Deliberate difference: redis-server rebinds on a new port or bind; replisim cannot.
    if (param.immutable || param.name === 'port' || param.name === 'bind') {
      return setFailed(name, "can't set immutable config");
    }
    if (param.protected && !protectedAllowed) return setFailed(name, "can't set protected config");
    if (params.includes(param)) return setFailed(name, 'duplicate parameter');
    params.push(param);
  }
  return params;
}

/**
 * As 7.0's configSetCommand: an odd number of words is a syntax error; then every name is checked
 * (unknown, immutable, protected, duplicate; the first problem wins, reported with the name as the
 * client spelled it); only then are values parsed, in order, on a copy of the config, so nothing
 * changes unless all succeed. A bad value is reported with the parameter's own name.
 */
const set = defineCommand<readonly [string, string][]>({
  name: 'set',
  arity: -4,
  syntax: 'parameter value [parameter value ...]',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Set configuration parameters to the given values',
    since: '2.0.0',
    group: 'server',
    complexity: 'O(N) when N is the number of configuration parameters provided',
  },
  parse(argv) {
    if (argv.length % 2 !== 0) return SYNTAX_ERROR;
    const pairs: [string, string][] = [];
    for (let i = 2; i < argv.length; i += 2) {
      pairs.push([
        (argv[i] ?? Buffer.alloc(0)).toString('latin1'),
        (argv[i + 1] ?? Buffer.alloc(0)).toString('latin1'),
      ]);
    }
    return pairs;
  },
  execute(ctx, pairs) {
    const config = ctx.node.config;
    const params = checkSetNames(pairs, protectedAllowed(config.enableProtectedConfigs, ctx));
    if (params instanceof ErrorReply) return params;
    const candidate = structuredClone(config);
    for (const [index, param] of params.entries()) {
      const reason = param.apply(candidate, [pairs[index]?.[1] ?? '']);
      if (reason !== undefined) return setFailed(param.name, reason);
    }
    Object.assign(config, candidate);
    // updateMaxmemory: a new limit below used memory evicts at once (or refuses writes from now).
    if (params.some((param) => param.name === 'maxmemory')) maxmemoryChanged(ctx);
    // requirepass is the default user's password (ACLUpdateDefaultUserPassword).
    ctx.node.acl.syncRequirepass(config.requirepass);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const resetstat = defineCommand<null>({
  name: 'resetstat',
  arity: 2,
  syntax: '',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Reset the stats returned by INFO',
    since: '2.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    ctx.node.stats = emptyStats();
    ctx.node.commandStats.reset();
    ctx.reply.simple('OK');
    return undefined;
  },
});

/** CONFIG REWRITE (config-rewrite.ts). */
const rewrite = defineCommand<null>({
  name: 'rewrite',
  arity: 2,
  syntax: '',
  flags: ['admin', 'noscript', 'loading', 'stale'],
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'Rewrite the configuration file with the in memory configuration',
    since: '2.8.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    if (ctx.node.config.configFile === '') return NO_CONFIG_FILE;
    configRewrite(ctx.node, ctx.client, false);
    return undefined;
  },
});

export const configCommand: Command = defineContainer(
  {
    name: 'config',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for server configuration commands',
      since: '2.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    get,
    set,
    resetstat,
    rewrite,
    helpCommand('CONFIG', [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
    ]),
  ],
);
