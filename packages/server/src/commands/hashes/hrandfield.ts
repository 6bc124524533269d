/**
 * HRANDFIELD key [count [WITHVALUES]]
 *
 * Without count: one random field, or a null for a missing key. With count: an array (empty for
 * a missing key or count 0) of up to `count` distinct fields, or, for a negative count, exactly
 * -count fields drawn with repetition. WITHVALUES adds each value: flat field/value pairs in
 * RESP2, a two-element array per pair in RESP3. When count covers the whole hash the fields come
 * in HGETALL's order (as Redis's case 2); otherwise the order is random and differs from Redis.
 *
 * Count errors as Redis 7.0: not an integer -> "value is not an integer or out of range",
 * -2^63 -> "value is out of range, value must between ...", and with WITHVALUES a count beyond
 * ±LONG_MAX/2 -> "value is out of range". Deliberate difference: a negative count beyond
 * REPEATED_PICKS_MAX (2^24) is also "value is out of range" instead of an enormous reply.
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { lookupRead } from '../lookup.js';
import {
  OUT_OF_RANGE_PICKS,
  pickDistinct,
  pickOne,
  RANDOM_COUNT_MIN,
  REPEATED_PICKS_MAX,
} from '../random-picks.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { fieldBytes, textArg } from './hash-value.js';

const COUNT_RANGE = new ErrorReply(
  'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
);
const OUT_OF_RANGE = new ErrorReply('ERR value is out of range');
const WITHVALUES_COUNT_MAX = (2n ** 63n - 1n) / 2n;

interface HashRandFieldArgs {
  readonly key: string;
  readonly count: bigint | undefined;
  readonly withValues: boolean;
}

function replyPairs(
  ctx: CommandContext,
  pairs: readonly (readonly [string, Buffer])[],
  withValues: boolean,
): void {
  const resp3 = ctx.client.protocol === 3;
  ctx.reply.arrayHeader(withValues && !resp3 ? pairs.length * 2 : pairs.length);
  for (const [field, value] of pairs) {
    if (withValues && resp3) ctx.reply.arrayHeader(2);
    ctx.reply.bulk(fieldBytes(field));
    if (withValues) ctx.reply.bulk(value);
  }
}

export const hrandfield: Command = defineCommand<HashRandFieldArgs>({
  name: 'hrandfield',
  arity: -2,
  syntax: 'key [count:integer [WITHVALUES]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@hash', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get one or multiple random fields from a hash',
    since: '6.2.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields returned',
  },
  parse(argv) {
    const key = textArg(argv, 1);
    if (argv.length === 2) return { key, count: undefined, withValues: false };
    const count = parseInt64(argv[2]);
    if (count === undefined) return NOT_INTEGER;
    if (count < RANDOM_COUNT_MIN) return COUNT_RANGE;
    if (argv.length > 4 || (argv.length === 4 && !isKeyword(argv[3], 'withvalues'))) {
      return SYNTAX_ERROR;
    }
    const withValues = argv.length === 4;
    if (withValues && (count < -WITHVALUES_COUNT_MAX || count > WITHVALUES_COUNT_MAX)) {
      return OUT_OF_RANGE;
    }
    return { key, count, withValues };
  },
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    const random = ctx.node.env.random;
    if (args.count === undefined) {
      if (hash === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(fieldBytes(pickOne(random, [...hash.value.keys()])));
      return undefined;
    }
    if (hash === undefined || args.count === 0n) {
      ctx.reply.arrayHeader(0);
      return undefined;
    }
    if (args.count < -BigInt(REPEATED_PICKS_MAX)) return OUT_OF_RANGE_PICKS;
    const entries = [...hash.value.entries()];
    if (args.count < 0n) {
      const picks = Array.from({ length: Number(-args.count) }, () => pickOne(random, entries));
      replyPairs(ctx, picks, args.withValues);
    } else if (args.count >= BigInt(entries.length)) {
      replyPairs(ctx, entries, args.withValues);
    } else {
      replyPairs(ctx, pickDistinct(random, entries, Number(args.count)), args.withValues);
    }
    return undefined;
  },
});
