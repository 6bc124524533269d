/**
 * XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
 *
 * Summary form: [count, smallest ID, greatest ID, [[consumer, count as a bulk string], ...]]
 * (null, null, null array when nothing is pending; consumers in name order, those with nothing
 * pending left out). Extended form: up to `count` entries in the range, each [id, consumer,
 * milliseconds since last delivery, deliveries], optionally only those idle at least IDLE ms or
 * owned by one consumer (an unknown consumer gives an empty array). Checks in Redis's order: the
 * argument count (3, or 6 to 9, else syntax error; IDLE needs start end count after it), IDLE,
 * count (negative = 0), start, end, then WRONGTYPE and NOGROUP.
 */
import { formatStreamId, raxOrder, type StreamNack } from '../../keyspace/stream.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { latin1, noKeyOrGroup } from './stream-common.js';
import { parseIntervalId } from './stream-id.js';

interface XpendingArgs {
  readonly key: string;
  readonly group: string;
  readonly range:
    | {
        readonly minIdle: number;
        readonly start: bigint;
        readonly end: bigint;
        readonly count: number;
        readonly consumer: string | undefined;
      }
    | undefined;
}

export const xpending: Command = defineCommand<XpendingArgs>({
  name: 'xpending',
  arity: -3,
  syntax: 'key group [[IDLE min-idle-time:integer] start end count:integer [consumer]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@stream', '@slow'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary:
      'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
    since: '5.0.0',
    group: 'stream',
    complexity:
      'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  },
  parse(argv) {
    const base = { key: keyOf(argv[1]), group: keyOf(argv[2]) };
    if (argv.length === 3) return { ...base, range: undefined };
    if (argv.length < 6 || argv.length > 9) return SYNTAX_ERROR;
    let at = 3;
    let minIdle = 0;
    if (isKeyword(argv[3], 'idle')) {
      const value = parseInt64(argv[4]);
      if (value === undefined) return NOT_INTEGER;
      if (argv.length < 8) return SYNTAX_ERROR;
      minIdle = Number(value);
      at += 2;
    }
    const countValue = parseInt64(argv[at + 2]);
    if (countValue === undefined) return NOT_INTEGER;
    const count = countValue < 0n ? 0 : Number(countValue);
    const start = parseIntervalId(argv[at], 0n, 'start');
    if (start instanceof ErrorReply) return start;
    const end = parseIntervalId(argv[at + 1], (1n << 64n) - 1n, 'end');
    if (end instanceof ErrorReply) return end;
    const consumerArg = argv[at + 3];
    const consumer = consumerArg === undefined ? undefined : keyOf(consumerArg);
    return { ...base, range: { minIdle, start, end, count, consumer } };
  },
  execute(ctx, args) {
    const found = lookupRead(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    const group = found?.value.groups.get(args.group);
    if (group === undefined) return noKeyOrGroup(args.key, args.group);
    const reply = ctx.reply;
    const range = args.range;
    if (range === undefined) {
      reply.arrayHeader(4);
      reply.integer(group.pel.size);
      const first = group.pel.first();
      const last = group.pel.last();
      if (first === undefined || last === undefined) {
        reply.nullBulk();
        reply.nullBulk();
        reply.nullArray();
        return undefined;
      }
      reply.bulk(formatStreamId(first));
      reply.bulk(formatStreamId(last));
      const owners = raxOrder(group.consumers).filter(([, consumer]) => consumer.pel.size > 0);
      reply.arrayHeader(owners.length);
      for (const [name, consumer] of owners) {
        reply.arrayHeader(2);
        reply.bulk(latin1(name));
        reply.bulk(String(consumer.pel.size));
      }
      return undefined;
    }
    let pel = group.pel;
    if (range.consumer !== undefined) {
      const consumer = group.consumers.get(range.consumer);
      if (consumer === undefined) {
        reply.arrayHeader(0);
        return undefined;
      }
      pel = consumer.pel;
    }
    const picked: [bigint, StreamNack][] = [];
    let left = range.count;
    for (const [id, nack] of pel.from(range.start)) {
      if (left === 0 || id > range.end) break;
      if (range.minIdle !== 0 && ctx.nowMs - nack.deliveryTimeMs < range.minIdle) continue;
      picked.push([id, nack]);
      left--;
    }
    reply.arrayHeader(picked.length);
    for (const [id, nack] of picked) {
      reply.arrayHeader(4);
      reply.bulk(formatStreamId(id));
      reply.bulk(latin1(nack.consumer?.name ?? ''));
      reply.integer(Math.max(0, ctx.nowMs - nack.deliveryTimeMs));
      reply.integer(nack.deliveryCount);
    }
    return undefined;
  },
});
