/**
 * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
 *
 * Walks the group's pending entries from `start` and gives those idle at least min-idle-time to
 * `consumer`, up to COUNT (default 100) and at most 10 x COUNT entries looked at. Replies [next
 * cursor (0-0 when the walk reached the end), claimed entries (or IDs with JUSTID), IDs that were
 * pending but no longer exist in the stream (they leave the PEL and count toward COUNT)]. As Redis
 * 7.0's xautoclaimCommand: min-idle-time, start (`(` allowed), the options (COUNT 1 or more), then
 * WRONGTYPE and NOGROUP; the consumer is created when the first entry is claimed; claiming resets
 * the delivery time to now and increments the count unless JUSTID. Propagated as one XCLAIM ...
 * JUSTID per claimed or dropped entry (see xclaim.ts), never as received.
 */
import { formatStreamId, type StreamConsumer } from '../../keyspace/stream.js';
import { isKeyword, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import {
  addDirty,
  createConsumerCounted,
  idArg,
  lookupConsumer,
  noKeyOrGroup,
  propagateXclaim,
  replyEntry,
} from './stream-common.js';
import { parseIntervalId } from './stream-id.js';

const MIN_IDLE_INVALID = new ErrorReply('ERR Invalid min-idle-time argument for XAUTOCLAIM');
const COUNT_RANGE = new ErrorReply('ERR COUNT must be > 0');
const COUNT_DEFAULT = 100;
const ATTEMPTS_FACTOR = 10;
/** LONG_MAX / max(sizeof(streamID), attempts_factor). */
const COUNT_MAX = 2n ** 63n / 16n;

interface XautoclaimArgs {
  readonly key: string;
  readonly group: string;
  readonly consumer: string;
  readonly minIdle: number;
  readonly start: bigint;
  readonly count: number;
  readonly justId: boolean;
  readonly argv: readonly Buffer[];
}

export const xautoclaim: Command = defineCommand<XautoclaimArgs>({
  name: 'xautoclaim',
  arity: -6,
  syntax: 'key group consumer min-idle-time start [COUNT count:integer] [JUSTID]',
  flags: ['write', 'fast', 'no_propagate'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary:
      'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
    since: '6.2.0',
    group: 'stream',
    complexity: 'O(1) if COUNT is small.',
  },
  parse(argv) {
    const minIdleValue = parseInt64(argv[4]);
    if (minIdleValue === undefined) return MIN_IDLE_INVALID;
    const start = parseIntervalId(argv[5], 0n, 'start');
    if (start instanceof ErrorReply) return start;
    let count = COUNT_DEFAULT;
    let justId = false;
    for (let j = 6; j < argv.length; j++) {
      const moreArgs = argv.length - 1 - j;
      if (isKeyword(argv[j], 'count') && moreArgs > 0) {
        const value = parseInt64(argv[j + 1]);
        if (value === undefined || value < 1n || value > COUNT_MAX) return COUNT_RANGE;
        count = Number(value);
        j++;
      } else if (isKeyword(argv[j], 'justid')) {
        justId = true;
      } else {
        return SYNTAX_ERROR;
      }
    }
    return {
      key: keyOf(argv[1]),
      group: keyOf(argv[2]),
      consumer: keyOf(argv[3]),
      minIdle: minIdleValue < 0n ? 0 : Number(minIdleValue),
      start,
      count,
      justId,
      argv,
    };
  },
  execute(ctx, args) {
    const found = lookupRead(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    const stream = found?.value;
    const group = stream?.groups.get(args.group);
    if (stream === undefined || group === undefined) return noKeyOrGroup(args.key, args.group);
    const names = { key: args.argv[1] as Buffer, group: args.argv[2] as Buffer };
    const now = ctx.nowMs;
    let count = args.count;
    let attempts = count * ATTEMPTS_FACTOR;
    let consumer: StreamConsumer | undefined;
    const claimed: bigint[] = [];
    const deleted: bigint[] = [];
    let position = group.pel.lowerBound(args.start);
    let examined: bigint | undefined;
    for (;;) {
      if (attempts-- <= 0 || count === 0) break;
      const id = group.pel.keyAt(position);
      if (id === undefined) break;
      examined = id;
      const nack = group.pel.get(id);
      if (nack === undefined) throw new Error('a PEL key has its NACK');
      if (!stream.has(id)) {
        propagateXclaim(ctx, names, group, idArg(id), nack);
        addDirty(ctx);
        group.pel.delete(id);
        nack.consumer?.pel.delete(id);
        deleted.push(id);
        count--;
        continue;
      }
      position++;
      if (args.minIdle > 0 && now - nack.deliveryTimeMs < args.minIdle) continue;
      if (consumer === undefined) {
        consumer =
          lookupConsumer(group, args.consumer, now) ??
          createConsumerCounted(ctx, group, args.consumer);
      }
      if (nack.consumer !== consumer) nack.consumer?.pel.delete(id);
      nack.deliveryTimeMs = now;
      if (!args.justId) nack.deliveryCount++;
      if (nack.consumer !== consumer) {
        consumer.pel.set(id, nack);
        nack.consumer = consumer;
      }
      claimed.push(id);
      count--;
      propagateXclaim(ctx, names, group, idArg(id), nack);
      addDirty(ctx);
    }
    // The cursor: the first pending ID after the last one looked at (raxNext), 0-0 at the end.
    const next =
      examined === undefined
        ? group.pel.keyAt(position)
        : group.pel.keyAt(group.pel.lowerBound(examined + 1n));
    const reply = ctx.reply;
    reply.arrayHeader(3);
    reply.bulk(formatStreamId(next ?? 0n));
    reply.arrayHeader(claimed.length);
    for (const id of claimed) {
      if (args.justId) {
        reply.bulk(formatStreamId(id));
        continue;
      }
      const entry = stream.entry(id);
      if (entry === undefined) reply.nullBulk();
      else replyEntry(reply, entry);
    }
    reply.arrayHeader(deleted.length);
    for (const id of deleted) reply.bulk(formatStreamId(id));
    return undefined;
  },
});
