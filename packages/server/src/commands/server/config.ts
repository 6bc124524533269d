/**
 * CONFIG GET parameter [parameter ...] | SET parameter value [parameter value ...] | RESETSTAT | HELP
 *
 * Reads and changes the parameters of config/params.ts. GET takes glob patterns (case-insensitive)
 * and replies a map (a flat array in RESP2). SET is atomic as in Redis 7.0: every pair is validated
 * on a copy first, and nothing changes if one fails. Immutable parameters (databases, daemonize, ...)
 * and protected ones (dir, dbfilename, unless enable-protected-configs) are refused with Redis's
 * messages. Deliberate difference: `port` and `bind` are immutable here; redis-server rebinds.
 */
import { CONFIG_PARAMS, type ConfigParam, findConfigParam } from '../../config/params.js';
import { emptyStats } from '../../stats.js';
import { globMatch } from '../../util/glob.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';
import { helpCommand } from './help.js';

const ADMIN = ['@admin', '@slow', '@dangerous'] as const;

const GLOB_CHARS = /[*?[]/;

const get = defineCommand<readonly string[]>({
  name: 'get',
  arity: -3,
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
    const matched = new Map<string, ConfigParam>();
    for (const pattern of patterns) {
      if (!GLOB_CHARS.test(pattern)) {
        const found = findConfigParam(pattern);
        if (found !== undefined) matched.set(pattern.toLowerCase(), found);
        continue;
      }
      for (const param of CONFIG_PARAMS) {
        if (globMatch(pattern, param.name, true)) matched.set(param.name, param);
      }
    }
    ctx.reply.mapHeader(matched.size);
    for (const [name, param] of matched) {
      ctx.reply.bulk(name);
      ctx.reply.bulk(param.show(ctx.node.config));
    }
    return undefined;
  },
});

function setFailed(name: string, reason: string): ErrorReply {
  return new ErrorReply(
    `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
  );
}

const set = defineCommand<readonly [string, string][]>({
  name: 'set',
  arity: -4,
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
    if (argv.length % 2 !== 0)
      return new ErrorReply("ERR wrong number of arguments for 'config|set' command");
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
    const candidate = structuredClone(config);
    const seen = new Set<ConfigParam>();
    for (const [name, value] of pairs) {
      const param = findConfigParam(name);
      if (param === undefined) {
        return new ErrorReply(
          `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`,
        );
      }
      if (seen.has(param)) return setFailed(name, 'duplicate parameter');
      seen.add(param);
      if (param.immutable || param.name === 'port' || param.name === 'bind') {
        return setFailed(name, "can't set immutable config");
      }
      if (param.protected && config.enableProtectedConfigs !== 'yes') {
        return setFailed(name, "can't set protected config");
      }
      const reason = param.apply(candidate, [value]);
      if (reason !== undefined) return setFailed(name, reason);
    }
    Object.assign(config, candidate);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const resetstat = defineCommand<null>({
  name: 'resetstat',
  arity: 2,
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
    ctx.reply.simple('OK');
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
    helpCommand('CONFIG', [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
    ]),
  ],
);
