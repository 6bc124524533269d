/**
 * XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
 * XGROUP SETID key group id|$ [ENTRIESREAD n]
 * XGROUP DESTROY key group
 * XGROUP CREATECONSUMER key group consumer
 * XGROUP DELCONSUMER key group consumer
 * XGROUP HELP
 *
 * As t_stream.c xgroupCommand: the options after the ID are read first (MKSTREAM only for CREATE,
 * ENTRIESREAD, a non-negative integer or -1, for CREATE and SETID; anything else is the
 * subcommand syntax error), then the key (WRONGTYPE; missing is an error unless MKSTREAM), then the
 * group for SETID, CREATECONSUMER and DELCONSUMER (NOGROUP). CREATE takes a strict ID (`$` = the
 * last ID) and replies OK or BUSYGROUP; SETID also accepts `-` and `+`; DESTROY replies 1 or 0 and
 * wakes XREADGROUP clients blocked on the group (they get NOGROUP); CREATECONSUMER replies 1 if it
 * created the consumer; DELCONSUMER replies how many entries the consumer had pending (they leave
 * the group's PEL). Each change counts as dirty, so the command propagates as received; none
 * touches WATCH except the key MKSTREAM creates, as in Redis 7.0.
 */
import {
  deleteConsumer,
  ENTRIES_READ_INVALID,
  Stream,
  type StreamGroup,
} from '../../keyspace/stream.js';
import { isKeyword, NOT_INTEGER, parseInt64, subcommandSyntaxError } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { helpCommand } from '../server/help.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
} from '../types.js';
import { addDirty, createConsumerCounted, noGroupForKey } from './stream-common.js';
import { INVALID_STREAM_ID, parseStreamIdText } from './stream-id.js';

const KEY_REQUIRED = new ErrorReply(
  'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
);
const ENTRIES_READ_RANGE = new ErrorReply('ERR value for ENTRIESREAD must be positive or -1');
const BUSYGROUP = new ErrorReply('BUSYGROUP Consumer Group name already exists');
const STREAM_ACL = ['@write', '@stream', '@slow'] as const;
const KEY_AT_2 = { first: 2, last: 2, step: 1 } as const;

interface Common {
  readonly key: string;
  readonly group: string;
  readonly mkstream: boolean;
  readonly entriesRead: number;
}

/** The option loop every subcommand with a key runs (from argv[5]). */
function parseOptions(argv: readonly Buffer[], subcommand: string): Common | ErrorReply {
  let mkstream = false;
  let entriesRead = ENTRIES_READ_INVALID;
  const create = subcommand === 'create';
  const setid = subcommand === 'setid';
  let i = 5;
  while (i < argv.length) {
    if (create && isKeyword(argv[i], 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((create || setid) && isKeyword(argv[i], 'entriesread') && i + 1 < argv.length) {
      const value = parseInt64(argv[i + 1]);
      if (value === undefined) return NOT_INTEGER;
      if (value < 0n && value !== -1n) return ENTRIES_READ_RANGE;
      entriesRead = Number(value);
      i += 2;
    } else {
      return subcommandSyntaxError(argv);
    }
  }
  return { key: keyOf(argv[2]), group: keyOf(argv[3]), mkstream, entriesRead };
}

/** The stream and group lookups in xgroupCommand's order. */
function lookupTarget(
  ctx: CommandContext,
  args: Common,
  needsGroup: boolean,
): { stream: Stream | undefined; group: StreamGroup | undefined } | ErrorReply {
  const found = lookupWrite(ctx, args.key, 'stream');
  if (found instanceof ErrorReply) return found;
  const stream = found?.value;
  if (args.mkstream) return { stream, group: stream?.groups.get(args.group) };
  if (stream === undefined) return KEY_REQUIRED;
  const group = stream.groups.get(args.group);
  if (group === undefined && needsGroup) return noGroupForKey(args.group, args.key);
  return { stream, group };
}

interface IdArgs extends Common {
  readonly idArg: Buffer;
  readonly argv: readonly Buffer[];
}

/** CREATE and SETID: the options, with the ID argument kept for after the lookups. */
function parseIdArgs(subcommand: 'create' | 'setid') {
  return (argv: readonly Buffer[]): IdArgs | ErrorReply => {
    const common = parseOptions(argv, subcommand);
    if (common instanceof ErrorReply) return common;
    return { ...common, idArg: argv[4] as Buffer, argv };
  };
}

/**
 * The ID CREATE and SETID set: `$` is the stream's last ID (0-0 for the stream MKSTREAM is about
 * to create), else an explicit ID, a missing sequence being 0; `strict` (CREATE) refuses `-`/`+`.
 */
function groupIdOf(
  idArg: Buffer,
  stream: Stream | undefined,
  strict: boolean,
): bigint | ErrorReply {
  const text = idArg.toString('latin1');
  if (text === '$') return stream === undefined ? 0n : stream.lastId;
  const parsed = parseStreamIdText(text, 0n, strict);
  return parsed === undefined ? INVALID_STREAM_ID : parsed.id;
}

const create = defineCommand<IdArgs>({
  name: 'create',
  arity: -5,
  syntax: 'key group (id|$) [MKSTREAM] [ENTRIESREAD entries-read:integer]',
  flags: ['write', 'denyoom'],
  aclCategories: [...STREAM_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Create a consumer group.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: parseIdArgs('create'),
  execute(ctx, args) {
    const target = lookupTarget(ctx, args, false);
    if (target instanceof ErrorReply) return target;
    if (args.argv.length > 8) return subcommandSyntaxError(args.argv);
    let stream = target.stream;
    const id = groupIdOf(args.idArg, stream, true);
    if (id instanceof ErrorReply) return id;
    if (stream === undefined) {
      stream = new Stream();
      ctx.db.set(args.key, { type: 'stream', value: stream, encoding: 'stream' });
      ctx.modified(args.key);
    }
    if (stream.createGroup(args.group, id, args.entriesRead) === undefined) return BUSYGROUP;
    addDirty(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const setid = defineCommand<IdArgs>({
  name: 'setid',
  arity: -5,
  syntax: 'key group (id|$) [ENTRIESREAD entries-read:integer]',
  flags: ['write'],
  aclCategories: [...STREAM_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Set a consumer group to an arbitrary last delivered ID value.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: parseIdArgs('setid'),
  execute(ctx, args) {
    const target = lookupTarget(ctx, args, true);
    if (target instanceof ErrorReply) return target;
    const { stream, group } = target;
    if (stream === undefined || group === undefined) throw new Error('SETID found its group');
    if (args.argv.length !== 5 && args.argv.length !== 7) return subcommandSyntaxError(args.argv);
    const id = groupIdOf(args.idArg, stream, false);
    if (id instanceof ErrorReply) return id;
    group.lastId = id;
    group.entriesRead = args.entriesRead;
    addDirty(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});

const destroy = defineCommand<Common>({
  name: 'destroy',
  arity: 4,
  syntax: 'key group',
  flags: ['write'],
  aclCategories: [...STREAM_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Destroy a consumer group.',
    since: '5.0.0',
    group: 'stream',
    complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  },
  parse: (argv) => parseOptions(argv, 'destroy'),
  execute(ctx, args) {
    const target = lookupTarget(ctx, args, false);
    if (target instanceof ErrorReply) return target;
    const { stream, group } = target;
    if (stream === undefined || group === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    stream.groups.delete(args.group);
    addDirty(ctx);
    ctx.node.blocking.signalKeyAsReady(ctx.db.index, args.key);
    ctx.reply.integer(1);
    return undefined;
  },
});

interface ConsumerArgs extends Common {
  readonly consumer: string;
}

/** CREATECONSUMER and DELCONSUMER: the options (none allowed), then the consumer name. */
function parseConsumerArgs(subcommand: 'createconsumer' | 'delconsumer') {
  return (argv: readonly Buffer[]): ConsumerArgs | ErrorReply => {
    const common = parseOptions(argv, subcommand);
    if (common instanceof ErrorReply) return common;
    return { ...common, consumer: keyOf(argv[4]) };
  };
}

const createconsumer = defineCommand<ConsumerArgs>({
  name: 'createconsumer',
  arity: 5,
  syntax: 'key group consumer',
  flags: ['write', 'denyoom'],
  aclCategories: [...STREAM_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Create a consumer in a consumer group.',
    since: '6.2.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: parseConsumerArgs('createconsumer'),
  execute(ctx, args) {
    const target = lookupTarget(ctx, args, true);
    if (target instanceof ErrorReply) return target;
    const group = target.group;
    if (group === undefined) throw new Error('CREATECONSUMER found its group');
    if (group.consumers.has(args.consumer)) {
      ctx.reply.integer(0);
      return undefined;
    }
    createConsumerCounted(ctx, group, args.consumer);
    ctx.reply.integer(1);
    return undefined;
  },
});

const delconsumer = defineCommand<ConsumerArgs>({
  name: 'delconsumer',
  arity: 5,
  syntax: 'key group consumer',
  flags: ['write'],
  aclCategories: [...STREAM_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Delete a consumer from a consumer group.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: parseConsumerArgs('delconsumer'),
  execute(ctx, args) {
    const target = lookupTarget(ctx, args, true);
    if (target instanceof ErrorReply) return target;
    const group = target.group;
    if (group === undefined) throw new Error('DELCONSUMER found its group');
    const consumer = group.consumers.get(args.consumer);
    let pending = 0;
    if (consumer !== undefined) {
      pending = consumer.pel.size;
      deleteConsumer(group, consumer);
      addDirty(ctx);
    }
    ctx.reply.integer(pending);
    return undefined;
  },
});

export const xgroup: Command = defineContainer(
  {
    name: 'xgroup',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for consumer groups commands',
      since: '5.0.0',
      group: 'stream',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    create,
    createconsumer,
    delconsumer,
    destroy,
    setid,
    helpCommand('XGROUP', [
      'CREATE <key> <groupname> <id|$> [option]',
      '    Create a new consumer group. Options are:',
      '    * MKSTREAM',
      '      Create the empty stream if it does not exist.',
      '    * ENTRIESREAD entries_read',
      "      Set the group's entries_read counter (internal use).",
      'CREATECONSUMER <key> <groupname> <consumer>',
      '    Create a new consumer in the specified group.',
      'DELCONSUMER <key> <groupname> <consumer>',
      '    Remove the specified consumer.',
      'DESTROY <key> <groupname>',
      '    Remove the specified group.',
      'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
      '    Set the current group ID and entries_read counter.',
    ]),
  ],
);
