/**
 * COMMAND | COMMAND COUNT | COMMAND INFO [name ...] | COMMAND DOCS [name ...] | COMMAND LIST |
 * COMMAND GETKEYS | COMMAND GETKEYSANDFLAGS (command-getkeys.ts) | HELP
 *
 * Describes the command table: COMMAND INFO in Redis 7.0's ten-field shape (name, arity, flags, key
 * positions, ACL categories, tips, key specs, subcommands), COMMAND DOCS with summary, since, group,
 * complexity and subcommands (enough for redis-cli's hints; argument lists are not described yet).
 */
import type { ReplyWriter } from '@replisim/protocol';
import { globMatch } from '../../util/glob.js';
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { type CommandArgument, parseSyntax } from '../syntax.js';
import { COMMAND_LIST, COMMAND_TABLE } from '../table.js';
import {
  type Command,
  defineCommand,
  defineContainer,
  type ErrorReply,
  NO_KEYS,
} from '../types.js';
import { defaultKeyFlags, getkeys, getkeysandflags } from './command-getkeys.js';
import { helpCommand } from './help.js';

const SLOW = ['@slow', '@connection'] as const;

function writeKeySpecs(reply: ReplyWriter, command: Command): void {
  const { first, last, step } = command.keys;
  if (first === 0) {
    reply.arrayHeader(0);
    return;
  }
  const flags = defaultKeyFlags(command);
  reply.arrayHeader(1);
  reply.mapHeader(3);
  reply.bulk('flags');
  reply.setHeader(flags.length);
  for (const flag of flags) reply.simple(flag);
  reply.bulk('begin_search');
  reply.mapHeader(2);
  reply.bulk('type');
  reply.bulk('index');
  reply.bulk('spec');
  reply.mapHeader(1);
  reply.bulk('index');
  reply.integer(first);
  reply.bulk('find_keys');
  reply.mapHeader(2);
  reply.bulk('type');
  reply.bulk('range');
  reply.bulk('spec');
  reply.mapHeader(3);
  reply.bulk('lastkey');
  reply.integer(last < 0 ? last : last - first);
  reply.bulk('keystep');
  reply.integer(step);
  reply.bulk('limit');
  reply.integer(0);
}

/** One COMMAND INFO entry. */
function writeCommandInfo(reply: ReplyWriter, command: Command): void {
  reply.arrayHeader(10);
  reply.bulk(command.fullName);
  reply.integer(command.arity);
  // no_propagate is replisim's own (EXEC): Redis has no such flag to show.
  const flags = command.flags.filter((flag) => flag !== 'no_propagate');
  reply.setHeader(flags.length);
  for (const flag of flags) reply.simple(flag);
  reply.integer(command.keys.first);
  reply.integer(command.keys.last);
  reply.integer(command.keys.step);
  reply.setHeader(command.aclCategories.length);
  for (const category of command.aclCategories) reply.simple(category);
  reply.setHeader(0);
  writeKeySpecs(reply, command);
  reply.arrayHeader(command.subcommands.size);
  for (const sub of command.subcommands.values()) writeCommandInfo(reply, sub);
}

/** One COMMAND DOCS argument map: name, type, then key_spec_index, token, flags, arguments. */
function writeArgument(reply: ReplyWriter, argument: CommandArgument): void {
  const flags = [argument.optional ? 'optional' : '', argument.multiple ? 'multiple' : ''].filter(
    (flag) => flag !== '',
  );
  const fields =
    2 +
    (argument.type === 'key' ? 1 : 0) +
    (argument.token === undefined ? 0 : 1) +
    (flags.length > 0 ? 1 : 0) +
    (argument.arguments === undefined ? 0 : 1);
  reply.mapHeader(fields);
  reply.bulk('name');
  reply.bulk(argument.name);
  reply.bulk('type');
  reply.bulk(argument.type);
  if (argument.type === 'key') {
    reply.bulk('key_spec_index');
    reply.integer(0);
  }
  if (argument.token !== undefined) {
    reply.bulk('token');
    reply.bulk(argument.token);
  }
  if (flags.length > 0) {
    reply.bulk('flags');
    reply.setHeader(flags.length);
    for (const flag of flags) reply.simple(flag);
  }
  if (argument.arguments !== undefined) {
    reply.bulk('arguments');
    reply.arrayHeader(argument.arguments.length);
    for (const child of argument.arguments) writeArgument(reply, child);
  }
}

function writeCommandDocs(reply: ReplyWriter, command: Command): void {
  const hasSubs = command.subcommands.size > 0;
  const args = parseSyntax(command.syntax);
  const hasArgs = args.length > 0;
  reply.mapHeader(4 + (hasSubs ? 1 : 0) + (hasArgs ? 1 : 0));
  reply.bulk('summary');
  reply.bulk(command.doc.summary);
  reply.bulk('since');
  reply.bulk(command.doc.since);
  reply.bulk('group');
  reply.bulk(command.doc.group);
  reply.bulk('complexity');
  reply.bulk(command.doc.complexity);
  if (hasArgs) {
    reply.bulk('arguments');
    reply.arrayHeader(args.length);
    for (const argument of args) writeArgument(reply, argument);
  }
  if (!hasSubs) return;
  reply.bulk('subcommands');
  reply.mapHeader(command.subcommands.size);
  for (const sub of command.subcommands.values()) {
    reply.bulk(sub.fullName);
    writeCommandDocs(reply, sub);
  }
}

function lookup(name: string): Command | undefined {
  const [parent = '', child] = name.toLowerCase().split('|');
  const command = COMMAND_TABLE.get(parent);
  return child === undefined ? command : command?.subcommands.get(child);
}

const all = defineCommand<null>({
  name: 'command',
  arity: -1,
  syntax: '',
  flags: ['loading', 'stale'],
  aclCategories: SLOW,
  keys: NO_KEYS,
  doc: {
    summary: 'Get array of Redis command details',
    since: '2.8.13',
    group: 'server',
    complexity: 'O(N) where N is the total number of Redis commands',
  },
  parse: () => null,
  execute(ctx) {
    ctx.reply.arrayHeader(COMMAND_LIST.length);
    for (const command of COMMAND_LIST) writeCommandInfo(ctx.reply, command);
    return undefined;
  },
});

const count = defineCommand<null>({
  name: 'count',
  arity: 2,
  syntax: '',
  flags: ['loading', 'stale'],
  aclCategories: SLOW,
  keys: NO_KEYS,
  doc: {
    summary: 'Get total number of Redis commands',
    since: '2.8.13',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    ctx.reply.integer(COMMAND_LIST.length);
    return undefined;
  },
});

const infoSub = defineCommand<readonly string[]>({
  name: 'info',
  arity: -2,
  syntax: '[command-name [command-name ...]]',
  flags: ['loading', 'stale'],
  aclCategories: SLOW,
  keys: NO_KEYS,
  doc: {
    summary: 'Get array of specific Redis command details, or all when no argument is given.',
    since: '2.8.13',
    group: 'server',
    complexity: 'O(N) where N is the number of commands to look up',
  },
  parse: (argv) => argv.slice(2).map((arg) => arg.toString('latin1')),
  execute(ctx, names) {
    const commands = names.length === 0 ? COMMAND_LIST : names.map(lookup);
    ctx.reply.arrayHeader(commands.length);
    for (const command of commands) {
      // Redis's addReplyNull: `$-1` in RESP2, not a null array.
      if (command === undefined) ctx.reply.nullBulk();
      else writeCommandInfo(ctx.reply, command);
    }
    return undefined;
  },
});

const docs = defineCommand<readonly string[]>({
  name: 'docs',
  arity: -2,
  syntax: '[command-name [command-name ...]]',
  flags: ['loading', 'stale'],
  aclCategories: SLOW,
  keys: NO_KEYS,
  doc: {
    summary: 'Get array of specific Redis command documentation',
    since: '7.0.0',
    group: 'server',
    complexity: 'O(N) where N is the number of commands to look up',
  },
  parse: (argv) => argv.slice(2).map((arg) => arg.toString('latin1')),
  execute(ctx, names) {
    const found = (names.length === 0 ? COMMAND_LIST : names.map(lookup)).filter(
      (command): command is Command => command !== undefined,
    );
    ctx.reply.mapHeader(found.length);
    for (const command of found) {
      ctx.reply.bulk(command.fullName);
      writeCommandDocs(ctx.reply, command);
    }
    return undefined;
  },
});

/** COMMAND LIST's FILTERBY: which commands (and subcommands) to name. */
type ListFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'module' | 'aclcat' | 'pattern'; readonly arg: string };

/**
 * COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN pattern]: every command and, after
 * each container, its subcommands as `parent|sub` (Redis 7.0 lists 366 names for 240 commands).
 * FILTERBY keeps the names matching on their own: MODULE matches nothing (no modules), ACLCAT an
 * ACL category named without '@' (an unknown one matches nothing), PATTERN a case-insensitive glob
 * over the full name. Exactly one FILTERBY clause; anything else is a syntax error.
 * Redis lists in its dict order; replisim in table order.
 */
function parseList(argv: readonly Buffer[]): ListFilter | ErrorReply {
  let filter: ListFilter = { kind: 'all' };
  for (let i = 2; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    if (!isKeyword(argv[i], 'filterby') || moreArgs !== 2) return SYNTAX_ERROR;
    const type = argv[i + 1]?.toString('latin1').toLowerCase() ?? '';
    if (type !== 'module' && type !== 'aclcat' && type !== 'pattern') return SYNTAX_ERROR;
    filter = { kind: type, arg: argv[i + 2]?.toString('latin1') ?? '' };
    i += 2;
  }
  return filter;
}

function listMatches(command: Command, filter: ListFilter): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'module':
      return false;
    case 'aclcat':
      return command.aclCategories.some(
        (category) => category.toLowerCase() === `@${filter.arg.toLowerCase()}`,
      );
    case 'pattern':
      return globMatch(filter.arg, command.fullName, true);
  }
}

/** The full names COMMAND LIST shows: each command, then its subcommands. */
function listedNames(filter: ListFilter = { kind: 'all' }): string[] {
  const names: string[] = [];
  for (const command of COMMAND_LIST) {
    if (listMatches(command, filter)) names.push(command.fullName);
    for (const sub of command.subcommands.values()) {
      if (listMatches(sub, filter)) names.push(sub.fullName);
    }
  }
  return names;
}

const list = defineCommand<ListFilter>({
  name: 'list',
  arity: -2,
  syntax: '[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]',
  flags: ['loading', 'stale'],
  aclCategories: SLOW,
  keys: NO_KEYS,
  doc: {
    summary: 'Get an array of Redis command names',
    since: '7.0.0',
    group: 'server',
    complexity: 'O(N) where N is the total number of Redis commands',
  },
  parse: parseList,
  execute(ctx, filter) {
    const names = listedNames(filter);
    ctx.reply.arrayHeader(names.length);
    for (const name of names) ctx.reply.bulk(name);
    return undefined;
  },
});

export const commandCommand: Command = defineContainer(
  {
    name: 'command',
    flags: ['loading', 'stale'],
    aclCategories: SLOW,
    doc: all.doc,
  },
  [
    count,
    infoSub,
    docs,
    list,
    getkeys,
    getkeysandflags,
    helpCommand('COMMAND', [
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>',
      '    Return the keys and the access flags from a full Redis command.',
    ]),
  ],
  all,
);
