/**
 * ACL CAT, LOG, WHOAMI, GENPASS and DRYRUN (Redis 7.0's aclCommand branches).
 *
 * - CAT lists the 21 categories, or the commands (and subcommands, as `parent|sub`) of one, from
 *   Redis 7.0's whole command table (acl/catalog.ts), in catalog order; Redis lists them in its
 *   command dict's order, which a random hash seed decides at start.
 * - LOG shows the newest entries (10 by default) as maps of Redis 7.0.15's seven fields.
 * - GENPASS draws from the node's Random (the Env), so a simulated run replays; Redis reads
 *   /dev/urandom. The hex has (bits + 3) / 4 characters.
 * - DRYRUN checks a command line for a user without running it, looked up in replisim's table.
 */
import { ACL_CATEGORIES, CATALOG_COMMANDS, categoryBit } from '../../acl/catalog.js';
import { checkCommand } from '../../acl/check.js';
import { NOT_INTEGER, parseInt64, subcommandSyntaxError } from '../errors.js';
import { COMMAND_TABLE } from '../table.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const FLAGS = ['noscript', 'loading', 'stale'] as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const ADMIN = ['@admin', '@slow', '@dangerous'] as const;

/** ACL LOG with no count shows this many entries. */
const ACL_LOG_COUNT_DEFAULT = 10;
/** GENPASS_MAX_BITS. */
const GENPASS_BITS_MAX = 4096;
const GENPASS_BITS_DEFAULT = 256;
/** Redis prints a category name in its error with %.128s. */
const CATEGORY_ERROR_BYTES_MAX = 128;

const doc = (summary: string, complexity: string, since = '6.0.0') => ({
  summary,
  since,
  group: 'server',
  complexity,
});

export const cat: Command = defineCommand<string | undefined>({
  name: 'cat',
  arity: -2,
  syntax: '[categoryname]',
  flags: FLAGS,
  aclCategories: ['@slow'],
  keys: NO_KEYS,
  doc: doc(
    'List the ACL categories or the commands inside a category',
    'O(1) since the categories and commands are a fixed set.',
  ),
  parse(argv) {
    if (argv.length > 3) return subcommandSyntaxError(argv);
    return argv[2]?.toString('latin1');
  },
  execute(ctx, category) {
    const reply = ctx.reply;
    if (category === undefined) {
      reply.arrayHeader(ACL_CATEGORIES.length);
      for (const name of ACL_CATEGORIES) reply.bulk(name);
      return undefined;
    }
    const bit = categoryBit(category);
    if (bit === 0) {
      return new ErrorReply(
        `ERR Unknown category '${category.slice(0, CATEGORY_ERROR_BYTES_MAX)}'`,
      );
    }
    const names = CATALOG_COMMANDS.filter((c) => (c.categories & bit) !== 0);
    reply.arrayHeader(names.length);
    for (const command of names) reply.bulk(command.fullName);
    return undefined;
  },
});

export const log: Command = defineCommand<number | 'reset'>({
  name: 'log',
  arity: -2,
  syntax: '[count:integer|RESET]',
  flags: ADMIN_FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc(
    'List latest events denied because of ACLs in place',
    'O(N) with N being the number of entries shown.',
  ),
  parse(argv) {
    if (argv.length > 3) return subcommandSyntaxError(argv);
    const arg = argv[2];
    if (arg === undefined) return ACL_LOG_COUNT_DEFAULT;
    if (arg.toString('latin1').toLowerCase() === 'reset') return 'reset';
    const count = parseInt64(arg);
    if (count === undefined) return NOT_INTEGER;
    return count < 0n ? 0 : Number(count > 1_000_000_000n ? 1_000_000_000n : count);
  },
  execute(ctx, count) {
    const acl = ctx.node.acl;
    const reply = ctx.reply;
    if (count === 'reset') {
      acl.log = [];
      reply.simple('OK');
      return undefined;
    }
    const shown = acl.log.slice(0, count);
    const nowMs = ctx.nowMs;
    reply.arrayHeader(shown.length);
    for (const entry of shown) {
      reply.mapHeader(7);
      reply.bulk('count');
      reply.integer(entry.count);
      reply.bulk('reason');
      reply.bulk(entry.reason);
      reply.bulk('context');
      reply.bulk(entry.context);
      reply.bulk('object');
      reply.bulk(entry.object);
      reply.bulk('username');
      reply.bulk(entry.username);
      reply.bulk('age-seconds');
      reply.double((nowMs - entry.ctimeMs) / 1000);
      reply.bulk('client-info');
      reply.bulk(entry.clientInfo);
    }
    return undefined;
  },
});

export const whoami: Command = defineCommand<null>({
  name: 'whoami',
  arity: 2,
  syntax: '',
  flags: FLAGS,
  aclCategories: ['@slow'],
  keys: NO_KEYS,
  doc: doc('Return the name of the user associated to the current connection', 'O(1)'),
  parse: () => null,
  execute(ctx) {
    ctx.reply.bulk(ctx.node.acl.userOf(ctx.client).name);
    return undefined;
  },
});

export const genpass: Command = defineCommand<number>({
  name: 'genpass',
  arity: -2,
  syntax: '[bits:integer]',
  flags: FLAGS,
  aclCategories: ['@slow'],
  keys: NO_KEYS,
  doc: doc('Generate a pseudorandom secure password to use for ACL users', 'O(1)'),
  parse(argv) {
    if (argv.length > 3) return subcommandSyntaxError(argv);
    if (argv[2] === undefined) return GENPASS_BITS_DEFAULT;
    const bits = parseInt64(argv[2]);
    if (bits === undefined) return NOT_INTEGER;
    if (bits <= 0n || bits > BigInt(GENPASS_BITS_MAX)) {
      return new ErrorReply(
        `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_BITS_MAX}`,
      );
    }
    return Number(bits);
  },
  execute(ctx, bits) {
    ctx.reply.bulk(ctx.node.env.random.hex(Math.floor((bits + 3) / 4)));
    return undefined;
  },
});

/** lookupCommand(argv, argc): the command, or its subcommand for a container given one. */
function lookupLine(line: readonly Buffer[]): Command | undefined {
  const name = (line[0] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
  const command = COMMAND_TABLE.get(name);
  if (command === undefined || command.subcommands.size === 0 || line.length === 1) return command;
  return command.subcommands.get((line[1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase());
}

export const dryrun: Command = defineCommand<{ username: string; line: readonly Buffer[] }>({
  name: 'dryrun',
  arity: -4,
  syntax: 'username command [arg [arg ...]]',
  flags: ADMIN_FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: doc(
    'Returns whether the user can execute the given command without executing the command.',
    'O(1).',
    '7.0.0',
  ),
  parse: (argv) => ({
    username: (argv[2] ?? Buffer.alloc(0)).toString('latin1'),
    line: argv.slice(3),
  }),
  execute(ctx, { username, line }) {
    const user = ctx.node.acl.users.get(username);
    if (user === undefined) return new ErrorReply(`ERR User '${username}' not found`);
    const command = lookupLine(line);
    const name = (line[0] ?? Buffer.alloc(0)).toString('latin1');
    if (command === undefined) return new ErrorReply(`ERR Command '${name}' not found`);
    if ((command.arity > 0 && command.arity !== line.length) || line.length < -command.arity) {
      return new ErrorReply(`ERR wrong number of arguments for '${command.fullName}' command`);
    }
    const verdict = checkCommand(user, command, line);
    if (verdict.ok) {
      ctx.reply.simple('OK');
      return undefined;
    }
    const object = (line[verdict.argIndex] ?? Buffer.alloc(0)).toString('latin1');
    const text =
      verdict.reason === 'command'
        ? `This user has no permissions to run the '${command.fullName}' command`
        : `This user has no permissions to access the '${object}' ${verdict.reason}`;
    ctx.reply.bulk(text);
    return undefined;
  },
});
