/**
 * XINFO STREAM key [FULL [COUNT count]]
 * XINFO GROUPS key
 * XINFO CONSUMERS key group
 * XINFO HELP
 *
 * As Redis 7.0's xinfoCommand: the key is looked up first ("no such key", WRONGTYPE), then the
 * subcommand runs. STREAM replies a map of length, radix-tree-keys (nodes), radix-tree-nodes (rax
 * nodes, keyspace/rax-size.ts), last-generated-id, max-deleted-entry-id, entries-added,
 * recorded-first-entry-id, then groups (a count), first-entry and last-entry; with FULL, entries (up
 * to COUNT, default 10, 0 = all) and each group with its entries-read, lag, PEL and consumers (PELs
 * also up to COUNT). GROUPS lists name, consumers, pending, last-delivered-id, entries-read and lag
 * (null where Redis cannot know it); CONSUMERS lists name, pending and idle (ms since last seen).
 * Groups and consumers come in name order, as in Redis's raxes.
 *
 * Every map is written from a list of named fields (replyFields), so a map's announced length is
 * the number of fields it writes and the group and consumer shapes are declared once each.
 */

import type { ReplyWriter } from '@replisim/protocol';
import { encodeStreamIdKey } from '@replisim/protocol';
import { raxNodeCount } from '../../keyspace/rax-size.js';
import {
  ENTRIES_READ_INVALID,
  formatStreamId,
  raxOrder,
  STREAM_ID_MAX,
  type Stream,
  type StreamConsumer,
  type StreamGroup,
} from '../../keyspace/stream.js';
import { isKeyword, NOT_INTEGER, parseInt64, subcommandSyntaxError } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { helpCommand } from '../server/help.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
} from '../types.js';
import { collectRange, latin1, NO_SUCH_KEY, noGroupForKey, replyEntry } from './stream-common.js';

const READ_ACL = ['@read', '@stream', '@slow'] as const;
const KEY_AT_2 = { first: 2, last: 2, step: 1 } as const;
const FULL_COUNT_DEFAULT = 10;

/** lookupKeyReadOrReply(nokeyerr) + checkType. */
function streamAt(ctx: CommandContext, key: string): Stream | ErrorReply {
  const found = lookupRead(ctx, key, 'stream');
  if (found === undefined) return NO_SUCH_KEY;
  if (found instanceof ErrorReply) return found;
  return found.value;
}

/**
 * One field of an XINFO map: its name and the writer of its value. Every XINFO reply is a list of
 * these written by replyFields, so a map's length is always the number of its fields.
 */
type FieldWriter = (reply: ReplyWriter) => void;
type Field = readonly [name: string, write: FieldWriter];

function replyFields(reply: ReplyWriter, fields: readonly Field[]): void {
  reply.mapHeader(fields.length);
  for (const [fieldName, write] of fields) {
    reply.bulk(fieldName);
    write(reply);
  }
}

function integer(value: number): FieldWriter {
  return (reply) => reply.integer(value);
}

function streamId(id: bigint): FieldWriter {
  return (reply) => reply.bulk(formatStreamId(id));
}

function name(text: string): FieldWriter {
  return (reply) => reply.bulk(latin1(text));
}

/** The lag, null where Redis cannot know it. */
function lag(stream: Stream, group: StreamGroup): FieldWriter {
  return (reply) => {
    const value = stream.lag(group);
    if (value === undefined) reply.nullBulk();
    else reply.integer(value);
  };
}

/** entries-read, null while the group's counter is invalid. */
function entriesRead(group: StreamGroup): FieldWriter {
  return (reply) => {
    if (group.entriesRead === ENTRIES_READ_INVALID) reply.nullBulk();
    else reply.integer(group.entriesRead);
  };
}

/** The fields STREAM replies with and without FULL, in Redis's order. */
function headerFields(stream: Stream): Field[] {
  const nodeKeys = stream.nodes.map((node) => encodeStreamIdKey(node.masterId));
  return [
    ['length', integer(stream.length)],
    ['radix-tree-keys', integer(stream.nodes.length)],
    ['radix-tree-nodes', integer(raxNodeCount(nodeKeys))],
    ['last-generated-id', streamId(stream.lastId)],
    ['max-deleted-entry-id', streamId(stream.maxDeletedId)],
    ['entries-added', integer(stream.entriesAdded)],
    ['recorded-first-entry-id', streamId(stream.firstId)],
  ];
}

/** The first or (rev) last entry, or null. */
function edge(stream: Stream, rev: boolean): FieldWriter {
  return (reply) => {
    const [entry] = collectRange(stream, 0n, STREAM_ID_MAX, rev, 1);
    if (entry === undefined) reply.nullBulk();
    else replyEntry(reply, entry);
  };
}

/** The first `count` (0 = all) of a PEL. */
function firstOf<T>(pel: Iterable<T>, count: number): T[] {
  return [...pel].slice(0, count === 0 ? undefined : count);
}

/** A consumer in STREAM FULL: its PEL entries are [id, delivery time, delivery count]. */
function fullConsumerFields(
  consumerName: string,
  consumer: StreamConsumer,
  count: number,
): Field[] {
  return [
    ['name', name(consumerName)],
    ['seen-time', integer(consumer.seenTimeMs)],
    ['pel-count', integer(consumer.pel.size)],
    [
      'pending',
      (reply) => {
        const owned = firstOf(consumer.pel, count);
        reply.arrayHeader(owned.length);
        for (const [id, nack] of owned) {
          reply.arrayHeader(3);
          reply.bulk(formatStreamId(id));
          reply.integer(nack.deliveryTimeMs);
          reply.integer(nack.deliveryCount);
        }
      },
    ],
  ];
}

/** A group in STREAM FULL: its PEL entries also name their consumer. */
function fullGroupFields(
  stream: Stream,
  groupName: string,
  group: StreamGroup,
  count: number,
): Field[] {
  return [
    ['name', name(groupName)],
    ['last-delivered-id', streamId(group.lastId)],
    ['entries-read', entriesRead(group)],
    ['lag', lag(stream, group)],
    ['pel-count', integer(group.pel.size)],
    [
      'pending',
      (reply) => {
        const pending = firstOf(group.pel, count);
        reply.arrayHeader(pending.length);
        for (const [id, nack] of pending) {
          reply.arrayHeader(4);
          reply.bulk(formatStreamId(id));
          reply.bulk(latin1(nack.consumer?.name ?? ''));
          reply.integer(nack.deliveryTimeMs);
          reply.integer(nack.deliveryCount);
        }
      },
    ],
    [
      'consumers',
      (reply) => {
        const consumers = raxOrder(group.consumers);
        reply.arrayHeader(consumers.length);
        for (const [consumerName, consumer] of consumers) {
          replyFields(reply, fullConsumerFields(consumerName, consumer, count));
        }
      },
    ],
  ];
}

/** STREAM FULL's tail: up to `count` entries, then every group in full. */
function fullFields(stream: Stream, count: number): Field[] {
  return [
    [
      'entries',
      (reply) => {
        const entries = collectRange(stream, 0n, STREAM_ID_MAX, false, count);
        reply.arrayHeader(entries.length);
        for (const entry of entries) replyEntry(reply, entry);
      },
    ],
    [
      'groups',
      (reply) => {
        const groups = raxOrder(stream.groups);
        reply.arrayHeader(groups.length);
        for (const [groupName, group] of groups) {
          replyFields(reply, fullGroupFields(stream, groupName, group, count));
        }
      },
    ],
  ];
}

/** One group in XINFO GROUPS. */
function groupSummaryFields(stream: Stream, groupName: string, group: StreamGroup): Field[] {
  return [
    ['name', name(groupName)],
    ['consumers', integer(group.consumers.size)],
    ['pending', integer(group.pel.size)],
    ['last-delivered-id', streamId(group.lastId)],
    ['entries-read', entriesRead(group)],
    ['lag', lag(stream, group)],
  ];
}

/** One consumer in XINFO CONSUMERS: idle is the time since it was last seen. */
function consumerSummaryFields(
  consumerName: string,
  consumer: StreamConsumer,
  nowMs: number,
): Field[] {
  return [
    ['name', name(consumerName)],
    ['pending', integer(consumer.pel.size)],
    ['idle', integer(Math.max(0, nowMs - consumer.seenTimeMs))],
  ];
}

const stream = defineCommand<readonly Buffer[]>({
  name: 'stream',
  arity: -3,
  syntax: 'key [FULL [COUNT count:integer]]',
  flags: ['readonly'],
  aclCategories: [...READ_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'Get information about a stream',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const found = streamAt(ctx, keyOf(argv[2]));
    if (found instanceof ErrorReply) return found;
    const options = argv.slice(3);
    let full = false;
    let count = FULL_COUNT_DEFAULT;
    if (options.length > 0) {
      if (options.length !== 1 && options.length !== 3) return subcommandSyntaxError(argv);
      if (!isKeyword(options[0], 'full')) return subcommandSyntaxError(argv);
      if (options.length === 3) {
        if (!isKeyword(options[1], 'count')) return subcommandSyntaxError(argv);
        const value = parseInt64(options[2]);
        if (value === undefined) return NOT_INTEGER;
        count = value < 0n ? FULL_COUNT_DEFAULT : Number(value);
      }
      full = true;
    }
    const tail: Field[] = full
      ? fullFields(found, count)
      : [
          ['groups', integer(found.groups.size)],
          ['first-entry', edge(found, false)],
          ['last-entry', edge(found, true)],
        ];
    replyFields(ctx.reply, [...headerFields(found), ...tail]);
    return undefined;
  },
});

const groups = defineCommand<string>({
  name: 'groups',
  arity: 3,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: [...READ_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'List the consumer groups of a stream',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[2]),
  execute(ctx, key) {
    const found = streamAt(ctx, key);
    if (found instanceof ErrorReply) return found;
    const all = raxOrder(found.groups);
    ctx.reply.arrayHeader(all.length);
    for (const [groupName, group] of all) {
      replyFields(ctx.reply, groupSummaryFields(found, groupName, group));
    }
    return undefined;
  },
});

const consumers = defineCommand<{ key: string; group: string }>({
  name: 'consumers',
  arity: 4,
  syntax: 'key group',
  flags: ['readonly'],
  aclCategories: [...READ_ACL],
  keys: KEY_AT_2,
  doc: {
    summary: 'List the consumers in a consumer group',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[2]), group: keyOf(argv[3]) }),
  execute(ctx, args) {
    const found = streamAt(ctx, args.key);
    if (found instanceof ErrorReply) return found;
    const group = found.groups.get(args.group);
    if (group === undefined) return noGroupForKey(args.group, args.key);
    const all = raxOrder(group.consumers);
    ctx.reply.arrayHeader(all.length);
    for (const [consumerName, consumer] of all) {
      replyFields(ctx.reply, consumerSummaryFields(consumerName, consumer, ctx.nowMs));
    }
    return undefined;
  },
});

export const xinfo: Command = defineContainer(
  {
    name: 'xinfo',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for stream introspection commands',
      since: '5.0.0',
      group: 'stream',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    consumers,
    groups,
    stream,
    helpCommand('XINFO', [
      'CONSUMERS <key> <groupname>',
      '    Show consumers of <groupname>.',
      'GROUPS <key>',
      '    Show the stream consumer groups.',
      'STREAM <key> [FULL [COUNT <count>]',
      '    Show information about the stream.',
    ]),
  ],
);
