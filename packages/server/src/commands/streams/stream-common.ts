/**
 * What the stream commands share (t_stream.c's helpers): replies of entries, the consumer-group
 * delivery of XREADGROUP (streamReplyWithRange with a group, and from a consumer's PEL), consumer
 * lookup that refreshes seen-time, NOGROUP errors, the deterministic forms propagated for group
 * changes (streamPropagateXCLAIM, streamPropagateGroupID, streamPropagateConsumerCreation), and
 * the dirty counter for changes Redis counts without signalModifiedKey (group bookkeeping does not
 * touch WATCH in Redis 7.0).
 */

import type { ReplyWriter } from '@replisim/protocol';
import {
  createConsumer,
  ENTRIES_READ_INVALID,
  formatStreamId,
  STREAM_ID_MAX,
  type Stream,
  type StreamConsumer,
  type StreamEntry,
  type StreamGroup,
  type StreamNack,
} from '../../keyspace/stream.js';
import type { Argv } from '../../replication/propagation.js';
import { errorText } from '../errors.js';
import type { CommandContext } from '../types.js';
import { ErrorReply } from '../types.js';

export const NO_SUCH_KEY: ErrorReply = new ErrorReply('ERR no such key');

export function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

export function idArg(id: bigint): Buffer {
  return latin1(formatStreamId(id));
}

/** NOGROUP for XPENDING, XCLAIM, XAUTOCLAIM. */
export function noKeyOrGroup(key: string, group: string): ErrorReply {
  return new ErrorReply(
    `NOGROUP No such key '${errorText(key)}' or consumer group '${errorText(group)}'`,
  );
}

/** NOGROUP for XGROUP and XINFO CONSUMERS. */
export function noGroupForKey(group: string, key: string): ErrorReply {
  return new ErrorReply(
    `NOGROUP No such consumer group '${errorText(group)}' for key name '${errorText(key)}'`,
  );
}

/** Counts a change in server.dirty (save rules, propagation) without signalModifiedKey. */
export function addDirty(ctx: CommandContext, changes = 1): void {
  ctx.node.dirty += changes;
}

/** One entry as [id, [field, value, ...]]. */
export function replyEntry(reply: ReplyWriter, entry: StreamEntry): void {
  reply.arrayHeader(2);
  reply.bulk(formatStreamId(entry.id));
  reply.arrayHeader(entry.fields.length);
  for (const item of entry.fields) reply.bulk(item);
}

/** Up to `count` (0 = all) entries of a range. */
export function collectRange(
  stream: Stream,
  start: bigint,
  end: bigint,
  rev: boolean,
  count: number,
): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const entry of stream.range(start, end, rev)) {
    out.push(entry);
    if (count > 0 && out.length >= count) break;
  }
  return out;
}

/** streamLookupConsumer with SLC_DEFAULT: refreshes seen-time. */
export function lookupConsumer(
  group: StreamGroup,
  name: string,
  nowMs: number,
): StreamConsumer | undefined {
  const consumer = group.consumers.get(name);
  if (consumer !== undefined) consumer.seenTimeMs = nowMs;
  return consumer;
}

/** streamCreateConsumer with dirty++ (SCC_DEFAULT). */
export function createConsumerCounted(
  ctx: CommandContext,
  group: StreamGroup,
  name: string,
): StreamConsumer {
  addDirty(ctx);
  return createConsumer(group, name, ctx.nowMs);
}

/** The key and group as a stream command received them, for the propagated forms. */
export interface PropagationNames {
  readonly key: Buffer;
  readonly group: Buffer;
}

/** XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last. */
export function propagateXclaim(
  ctx: CommandContext,
  names: PropagationNames,
  group: StreamGroup,
  id: Buffer,
  nack: StreamNack,
): void {
  const consumer = nack.consumer;
  if (consumer === undefined) throw new Error('a propagated NACK has an owner');
  const argv: Argv = [
    'XCLAIM',
    names.key,
    names.group,
    latin1(consumer.name),
    '0',
    id,
    'TIME',
    String(nack.deliveryTimeMs),
    'RETRYCOUNT',
    String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    idArg(group.lastId),
  ];
  ctx.alsoPropagate(argv);
}

/** XGROUP SETID key group last ENTRIESREAD n. */
export function propagateGroupId(
  ctx: CommandContext,
  names: PropagationNames,
  group: StreamGroup,
): void {
  ctx.alsoPropagate([
    'XGROUP',
    'SETID',
    names.key,
    names.group,
    idArg(group.lastId),
    'ENTRIESREAD',
    String(group.entriesRead),
  ]);
}

/** XGROUP CREATECONSUMER key group consumer. */
export function propagateConsumerCreation(
  ctx: CommandContext,
  names: PropagationNames,
  consumer: string,
): void {
  ctx.alsoPropagate(['XGROUP', 'CREATECONSUMER', names.key, names.group, latin1(consumer)]);
}

/**
 * streamReplyWithRange with a group (XREADGROUP `>`): delivers up to `count` (0 = all) entries
 * after `start` (inclusive), advances the group's last ID and entries-read, adds each entry to the
 * PEL (moving it from another consumer if it was there) unless NOACK, and propagates each delivery
 * as XCLAIM, and a NOACK advance as XGROUP SETID. Replies the array of entries.
 */
export function deliverNew(
  ctx: CommandContext,
  stream: Stream,
  names: PropagationNames,
  group: StreamGroup,
  consumer: StreamConsumer,
  start: bigint,
  count: number,
  noack: boolean,
): number {
  const entries = collectRange(stream, start, STREAM_ID_MAX, false, count);
  let propagateLastId = false;
  ctx.reply.arrayHeader(entries.length);
  for (const entry of entries) {
    if (entry.id > group.lastId) {
      if (group.entriesRead !== ENTRIES_READ_INVALID && !stream.rangeHasTombstones(entry.id)) {
        group.entriesRead++;
      } else if (stream.entriesAdded > 0) {
        group.entriesRead = stream.estimateDistance(entry.id);
      }
      group.lastId = entry.id;
      if (noack) propagateLastId = true;
    }
    replyEntry(ctx.reply, entry);
    if (noack) continue;
    let nack = group.pel.get(entry.id);
    if (nack === undefined) {
      nack = { deliveryTimeMs: ctx.nowMs, deliveryCount: 1, consumer };
      group.pel.set(entry.id, nack);
      consumer.pel.set(entry.id, nack);
    } else {
      nack.consumer?.pel.delete(entry.id);
      nack.consumer = consumer;
      nack.deliveryTimeMs = ctx.nowMs;
      nack.deliveryCount = 1;
      consumer.pel.set(entry.id, nack);
    }
    propagateXclaim(ctx, names, group, idArg(entry.id), nack);
  }
  if (propagateLastId) propagateGroupId(ctx, names, group);
  return entries.length;
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`, up to
 * `count` (0 = all); an entry deleted from the stream is replied as [id, null array]. Each one
 * found counts as a new delivery (time now, count + 1); nothing is propagated, as in Redis.
 */
export function deliverHistory(
  ctx: CommandContext,
  stream: Stream,
  consumer: StreamConsumer,
  start: bigint,
  count: number,
): void {
  const picked: [bigint, StreamNack][] = [];
  for (const pair of consumer.pel.from(start)) {
    if (count > 0 && picked.length >= count) break;
    picked.push(pair);
  }
  ctx.reply.arrayHeader(picked.length);
  for (const [id, nack] of picked) {
    const found = stream.find(id);
    if (found === undefined) {
      ctx.reply.arrayHeader(2);
      ctx.reply.bulk(formatStreamId(id));
      ctx.reply.nullArray();
      continue;
    }
    replyEntry(ctx.reply, found.node.entries[found.index] as StreamEntry);
    nack.deliveryTimeMs = ctx.nowMs;
    nack.deliveryCount++;
  }
}
