/**
 * SRANDMEMBER key [count]
 *
 * Without count: one random member, or a null for a missing key. With count: an array (empty for
 * a missing key or count 0) of up to `count` distinct members, or for a negative count exactly
 * -count members drawn with repetition. A count covering the whole set replies every member in
 * the set's order (ascending for an intset), as Redis's case 2; other orders are random.
 * A count of -2^63 is "value is out of range, value must between ..." as in Redis 7.0.
 * Deliberate difference: a negative count beyond REPEATED_PICKS_MAX (2^24) on an existing set is
 * "value is out of range" instead of an enormous reply.
 */
import { NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { lookupRead } from '../lookup.js';
import {
  OUT_OF_RANGE_PICKS,
  pickDistinct,
  pickOne,
  RANDOM_COUNT_MIN,
  REPEATED_PICKS_MAX,
} from '../random-picks.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { memberBytes, orderedMembers, textArg } from './set-value.js';

const COUNT_RANGE = new ErrorReply(
  'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
);

interface SetRandMemberArgs {
  readonly key: string;
  readonly count: bigint | undefined;
}

export const srandmember: Command = defineCommand<SetRandMemberArgs>({
  name: 'srandmember',
  arity: -2,
  syntax: 'key [count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get one or multiple random members from a set',
    since: '1.0.0',
    group: 'set',
    complexity:
      'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  },
  parse(argv) {
    const key = textArg(argv, 1);
    if (argv.length > 3) return SYNTAX_ERROR;
    if (argv.length === 2) return { key, count: undefined };
    const count = parseInt64(argv[2]);
    if (count === undefined) return NOT_INTEGER;
    if (count < RANDOM_COUNT_MIN) return COUNT_RANGE;
    return { key, count };
  },
  execute(ctx, args) {
    const set = lookupRead(ctx, args.key, 'set');
    if (set instanceof ErrorReply) return set;
    const random = ctx.node.env.random;
    if (args.count === undefined) {
      if (set === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(memberBytes(pickOne(random, [...set.value])));
      return undefined;
    }
    if (set === undefined || args.count === 0n) {
      ctx.reply.arrayHeader(0);
      return undefined;
    }
    if (args.count < -BigInt(REPEATED_PICKS_MAX)) return OUT_OF_RANGE_PICKS;
    let picks: string[];
    if (args.count < 0n) {
      const members = [...set.value];
      picks = Array.from({ length: Number(-args.count) }, () => pickOne(random, members));
    } else if (args.count >= BigInt(set.value.size)) {
      picks = orderedMembers(set);
    } else {
      picks = pickDistinct(random, [...set.value], Number(args.count));
    }
    ctx.reply.arrayHeader(picks.length);
    for (const member of picks) ctx.reply.bulk(memberBytes(member));
    return undefined;
  },
});
