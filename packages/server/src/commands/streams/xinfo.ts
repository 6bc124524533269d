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
  type StreamGroup,
} from '../../keyspace/stream.js';
import { isKeyword, NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { helpCommand } from '../server/help.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
} from '../types.js';
import {
  collectRange,
  latin1,
  NO_SUCH_KEY,
  noGroupForKey,
  replyEntry,
  subcommandSyntaxError,
} from './stream-common.js';

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

function replyLag(reply: ReplyWriter, stream: Stream, group: StreamGroup): void {
  const lag = stream.lag(group);
  if (lag === undefined) reply.nullBulk();
  else reply.integer(lag);
}

function replyEntriesRead(reply: ReplyWriter, group: StreamGroup): void {
  if (group.entriesRead === ENTRIES_READ_INVALID) reply.nullBulk();
  else reply.integer(group.entriesRead);
}

function replyHeaderFields(reply: ReplyWriter, stream: Stream, full: boolean): void {
  reply.mapHeader(full ? 9 : 10);
  reply.bulk('length');
  reply.integer(stream.length);
  reply.bulk('radix-tree-keys');
  reply.integer(stream.nodes.length);
  reply.bulk('radix-tree-nodes');
  reply.integer(raxNodeCount(stream.nodes.map((node) => encodeStreamIdKey(node.masterId))));
  reply.bulk('last-generated-id');
  reply.bulk(formatStreamId(stream.lastId));
  reply.bulk('max-deleted-entry-id');
  reply.bulk(formatStreamId(stream.maxDeletedId));
  reply.bulk('entries-added');
  reply.integer(stream.entriesAdded);
  reply.bulk('recorded-first-entry-id');
  reply.bulk(formatStreamId(stream.firstId));
}

function replyEdge(reply: ReplyWriter, stream: Stream, rev: boolean): void {
  const [entry] = collectRange(stream, 0n, STREAM_ID_MAX, rev, 1);
  if (entry === undefined) reply.nullBulk();
  else replyEntry(reply, entry);
}

function replyFull(reply: ReplyWriter, stream: Stream, count: number): void {
  reply.bulk('entries');
  const entries = collectRange(stream, 0n, STREAM_ID_MAX, false, count);
  reply.arrayHeader(entries.length);
  for (const entry of entries) replyEntry(reply, entry);
  reply.bulk('groups');
  const groups = raxOrder(stream.groups);
  reply.arrayHeader(groups.length);
  for (const [name, group] of groups) {
    reply.mapHeader(7);
    reply.bulk('name');
    reply.bulk(latin1(name));
    reply.bulk('last-delivered-id');
    reply.bulk(formatStreamId(group.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(reply, group);
    reply.bulk('lag');
    replyLag(reply, stream, group);
    reply.bulk('pel-count');
    reply.integer(group.pel.size);
    reply.bulk('pending');
    const pending = [...group.pel].slice(0, count === 0 ? undefined : count);
    reply.arrayHeader(pending.length);
    for (const [id, nack] of pending) {
      reply.arrayHeader(4);
      reply.bulk(formatStreamId(id));
      reply.bulk(latin1(nack.consumer?.name ?? ''));
      reply.integer(nack.deliveryTimeMs);
      reply.integer(nack.deliveryCount);
    }
    reply.bulk('consumers');
    const consumers = raxOrder(group.consumers);
    reply.arrayHeader(consumers.length);
    for (const [consumerName, consumer] of consumers) {
      reply.mapHeader(4);
      reply.bulk('name');
      reply.bulk(latin1(consumerName));
      reply.bulk('seen-time');
      reply.integer(consumer.seenTimeMs);
      reply.bulk('pel-count');
      reply.integer(consumer.pel.size);
      reply.bulk('pending');
      const owned = [...consumer.pel].slice(0, count === 0 ? undefined : count);
      reply.arrayHeader(owned.length);
      for (const [id, nack] of owned) {
        reply.arrayHeader(3);
        reply.bulk(formatStreamId(id));
        reply.integer(nack.deliveryTimeMs);
        reply.integer(nack.deliveryCount);
      }
    }
  }
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
    const reply = ctx.reply;
    replyHeaderFields(reply, found, full);
    if (full) {
      replyFull(reply, found, count);
      return undefined;
    }
    reply.bulk('groups');
    reply.integer(found.groups.size);
    reply.bulk('first-entry');
    replyEdge(reply, found, false);
    reply.bulk('last-entry');
    replyEdge(reply, found, true);
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
    const reply = ctx.reply;
    const all = raxOrder(found.groups);
    reply.arrayHeader(all.length);
    for (const [name, group] of all) {
      reply.mapHeader(6);
      reply.bulk('name');
      reply.bulk(latin1(name));
      reply.bulk('consumers');
      reply.integer(group.consumers.size);
      reply.bulk('pending');
      reply.integer(group.pel.size);
      reply.bulk('last-delivered-id');
      reply.bulk(formatStreamId(group.lastId));
      reply.bulk('entries-read');
      replyEntriesRead(reply, group);
      reply.bulk('lag');
      replyLag(reply, found, group);
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
    const reply = ctx.reply;
    const all = raxOrder(group.consumers);
    reply.arrayHeader(all.length);
    for (const [name, consumer] of all) {
      reply.mapHeader(3);
      reply.bulk('name');
      reply.bulk(latin1(name));
      reply.bulk('pending');
      reply.integer(consumer.pel.size);
      reply.bulk('idle');
      reply.integer(Math.max(0, ctx.nowMs - consumer.seenTimeMs));
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
