/**
 * ZRANDMEMBER key [count [WITHSCORES]]
 *
 * Without a count: one random member, or null when the key does not exist. With a count, as Redis
 * 7.0's zrandmemberWithCountCommand: 0 replies an empty array; a negative count picks -count
 * members with repetition; a positive count at least the size of the set replies the whole set in
 * descending order (as ZREVRANGE 0 -1); a smaller positive count picks that many distinct members. WITHSCORES adds
 * scores: flat pairs in RESP2, [member, score] arrays in RESP3.
 *
 * Errors: a count of -2^63 is out of range ("value must between -9223372036854775807 and
 * 9223372036854775807", Redis's wording), WITHSCORES with |count| > 2^62 is "value is out of
 * range", any other extra argument is a syntax error. Randomness comes from the node's Env, so the
 * picks differ from Redis's (which uses its own generator) but are reproducible in a simulation.
 */
import type { ScoredMember } from '../../keyspace/sorted-set.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { memberBytes, replyEntries } from './zset-common.js';

interface ZRandMemberArgs {
  readonly key: string;
  readonly count: bigint | undefined;
  readonly withScores: boolean;
}

const INT64_MAX = 2n ** 63n - 1n;
const COUNT_RANGE = new ErrorReply(
  `ERR value is out of range, value must between -${INT64_MAX} and ${INT64_MAX}`,
);
const OUT_OF_RANGE = new ErrorReply('ERR value is out of range');

export const zrandmember: Command = defineCommand<ZRandMemberArgs>({
  name: 'zrandmember',
  arity: -2,
  syntax: 'key [count:integer [WITHSCORES]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get one or multiple random elements from a sorted set',
    since: '6.2.0',
    group: 'sorted-set',
    complexity: 'O(N) where N is the number of elements returned',
  },
  parse(argv) {
    const key = keyOf(argv[1]);
    if (argv.length < 3) return { key, count: undefined, withScores: false };
    const count = parseInt64(argv[2]);
    if (count === undefined) return NOT_INTEGER;
    if (count < -INT64_MAX) return COUNT_RANGE;
    if (argv.length > 4 || (argv.length === 4 && !isKeyword(argv[3], 'withscores'))) {
      return SYNTAX_ERROR;
    }
    const withScores = argv.length === 4;
    if (withScores && (count < -INT64_MAX / 2n || count > INT64_MAX / 2n)) return OUT_OF_RANGE;
    return { key, count, withScores };
  },
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const random = ctx.node.env.random;
    if (args.count === undefined) {
      const picked = zset === undefined ? undefined : zset.value.at(random.int(zset.value.size));
      if (picked === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(memberBytes(picked.member));
      return undefined;
    }
    if (zset === undefined || args.count === 0n) {
      ctx.reply.arrayHeader(0);
      return undefined;
    }
    const set = zset.value;
    const unique = args.count > 0n;
    const count = unique ? args.count : -args.count;
    const picks: ScoredMember[] = [];
    if (!unique || count === 1n) {
      // With repetition: each pick is independent (CASE 1).
      for (let i = 0n; i < count; i++) {
        const entry = set.at(random.int(set.size));
        if (entry !== undefined) picks.push(entry);
      }
    } else if (count >= BigInt(set.size)) {
      // The whole set, from the highest score down (CASE 2 is a reversed rank range in 7.0).
      picks.push(...set);
      picks.reverse();
    } else {
      // Distinct members: a partial Fisher-Yates shuffle over the ranks.
      const ranks = Array.from({ length: set.size }, (_, i) => i);
      for (let i = 0; i < Number(count); i++) {
        const j = i + random.int(ranks.length - i);
        const chosen = ranks[j] ?? 0;
        ranks[j] = ranks[i] ?? 0;
        ranks[i] = chosen;
        const entry = set.at(chosen);
        if (entry !== undefined) picks.push(entry);
      }
    }
    replyEntries(ctx.reply, picks, args.withScores);
    return undefined;
  },
});
