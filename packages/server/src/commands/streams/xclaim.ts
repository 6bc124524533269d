/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT count]
 * [FORCE] [JUSTID] [LASTID id]
 *
 * Gives pending entries idle at least min-idle-time to `consumer` and replies them (or their IDs
 * with JUSTID). As Redis 7.0's xclaimCommand: NOGROUP first, then min-idle-time (negative = 0);
 * the IDs run up to the first argument that is not a strict ID, and the rest are options (an
 * unknown one is "Unrecognized XCLAIM option"). The delivery time is now (or IDLE/TIME, clamped to
 * now when negative or in the future); the count is incremented unless RETRYCOUNT sets it or JUSTID
 * is given. FORCE creates missing PEL entries for entries that exist. An ID whose entry was deleted
 * from the stream leaves the PEL. The consumer is created when the first entry is claimed. LASTID
 * moves the group's last delivered ID forward.
 *
 * Propagation, never as received: each claimed (or dropped) entry as `XCLAIM key group owner 0 id
 * TIME t RETRYCOUNT n FORCE JUSTID LASTID last`, with the ID as the client wrote it; if only LASTID
 * changed something, `XGROUP SETID key group last ENTRIESREAD n`.
 */
import { formatStreamId, type StreamConsumer, type StreamNack } from '../../keyspace/stream.js';
import { errorText, isKeyword, parseInt64 } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import {
  addDirty,
  createConsumerCounted,
  lookupConsumer,
  noKeyOrGroup,
  propagateGroupId,
  propagateXclaim,
  replyEntry,
} from './stream-common.js';
import { parseStrictId } from './stream-id.js';

interface XclaimArgs {
  readonly argv: readonly Buffer[];
}

function invalid(what: string): ErrorReply {
  return new ErrorReply(`ERR Invalid ${what} argument for XCLAIM`);
}

export const xclaim: Command = defineCommand<XclaimArgs>({
  name: 'xclaim',
  arity: -6,
  syntax:
    'key group consumer min-idle-time id [id ...] [IDLE ms:integer] [TIME unix-time-milliseconds:unix-time] [RETRYCOUNT count:integer] [FORCE] [JUSTID] [LASTID lastid]',
  flags: ['write', 'fast', 'no_propagate'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary:
      'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  },
  parse: (argv) => ({ argv }),
  execute(ctx, { argv }) {
    const key = keyOf(argv[1]);
    const groupName = keyOf(argv[2]);
    const found = lookupRead(ctx, key, 'stream');
    if (found instanceof ErrorReply) return found;
    const stream = found?.value;
    const group = stream?.groups.get(groupName);
    if (stream === undefined || group === undefined) return noKeyOrGroup(key, groupName);
    const minIdleValue = parseInt64(argv[4]);
    if (minIdleValue === undefined) return invalid('min-idle-time');
    const minIdle = minIdleValue < 0n ? 0 : Number(minIdleValue);
    const ids: bigint[] = [];
    let j = 5;
    for (; j < argv.length; j++) {
      const id = parseStrictId(argv[j]);
      if (id instanceof ErrorReply) break;
      ids.push(id);
    }
    const now = ctx.nowMs;
    let force = false;
    let justId = false;
    let deliveryTime: number | undefined;
    let retryCount = -1;
    let lastId = 0n;
    for (; j < argv.length; j++) {
      const moreArgs = argv.length - 1 - j;
      const opt = argv[j];
      if (isKeyword(opt, 'force')) {
        force = true;
      } else if (isKeyword(opt, 'justid')) {
        justId = true;
      } else if (isKeyword(opt, 'idle') && moreArgs > 0) {
        const value = parseInt64(argv[++j]);
        if (value === undefined) return invalid('IDLE option');
        deliveryTime = now - Number(value);
      } else if (isKeyword(opt, 'time') && moreArgs > 0) {
        const value = parseInt64(argv[++j]);
        if (value === undefined) return invalid('TIME option');
        deliveryTime = Number(value);
      } else if (isKeyword(opt, 'retrycount') && moreArgs > 0) {
        const value = parseInt64(argv[++j]);
        if (value === undefined) return invalid('RETRYCOUNT option');
        retryCount = Number(value);
      } else if (isKeyword(opt, 'lastid') && moreArgs > 0) {
        const value = parseStrictId(argv[++j]);
        if (value instanceof ErrorReply) return value;
        lastId = value;
      } else {
        return new ErrorReply(
          `ERR Unrecognized XCLAIM option '${errorText((opt ?? Buffer.alloc(0)).toString('latin1'))}'`,
        );
      }
    }
    let propagateLastId = false;
    if (lastId > group.lastId) {
      group.lastId = lastId;
      propagateLastId = true;
    }
    if (deliveryTime === undefined || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    const names = { key: argv[1] as Buffer, group: argv[2] as Buffer };
    const consumerName = keyOf(argv[3]);
    let consumer: StreamConsumer | undefined;
    const claimed: bigint[] = [];
    for (const [index, id] of ids.entries()) {
      const idArg = argv[5 + index] as Buffer;
      let nack: StreamNack | undefined = group.pel.get(id);
      if (!stream.has(id)) {
        if (nack !== undefined) {
          propagateXclaim(ctx, names, group, idArg, nack);
          propagateLastId = false;
          addDirty(ctx);
          group.pel.delete(id);
          nack.consumer?.pel.delete(id);
        }
        continue;
      }
      if (force && nack === undefined) {
        nack = { deliveryTimeMs: now, deliveryCount: 1, consumer: undefined };
        group.pel.set(id, nack);
      }
      if (nack === undefined) continue;
      if (nack.consumer !== undefined && minIdle > 0 && now - nack.deliveryTimeMs < minIdle) {
        continue;
      }
      if (consumer === undefined) {
        consumer =
          lookupConsumer(group, consumerName, now) ??
          createConsumerCounted(ctx, group, consumerName);
      }
      if (nack.consumer !== consumer) nack.consumer?.pel.delete(id);
      nack.deliveryTimeMs = deliveryTime;
      if (retryCount >= 0) nack.deliveryCount = retryCount;
      else if (!justId) nack.deliveryCount++;
      if (nack.consumer !== consumer) {
        consumer.pel.set(id, nack);
        nack.consumer = consumer;
      }
      claimed.push(id);
      propagateXclaim(ctx, names, group, idArg, nack);
      propagateLastId = false;
      addDirty(ctx);
    }
    if (propagateLastId) {
      propagateGroupId(ctx, names, group);
      addDirty(ctx);
    }
    ctx.reply.arrayHeader(claimed.length);
    for (const id of claimed) {
      if (justId) {
        ctx.reply.bulk(formatStreamId(id));
        continue;
      }
      const entry = stream.entry(id);
      if (entry === undefined) ctx.reply.nullBulk();
      else replyEntry(ctx.reply, entry);
    }
    return undefined;
  },
});
