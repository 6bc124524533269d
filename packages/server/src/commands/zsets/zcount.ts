/**
 * ZCOUNT key min max
 *
 * Replies how many members have a score in [min, max] ("(" before a bound excludes it; -inf and
 * +inf are the ends). The range is parsed before the key is looked up: "min or max is not a float".
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { BAD_SCORE_RANGE, parseScoreRange, type ScoreRange } from './score.js';
import { scoreRanks } from './zset-common.js';

interface ZCountArgs {
  readonly key: string;
  readonly range: ScoreRange;
}

export const zcount: Command = defineCommand<ZCountArgs>({
  name: 'zcount',
  arity: 4,
  syntax: 'key min:double max:double',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Count the members in a sorted set with scores within the given values',
    since: '2.0.0',
    group: 'sorted-set',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  },
  parse(argv) {
    const range = parseScoreRange(argv[2] ?? Buffer.alloc(0), argv[3] ?? Buffer.alloc(0));
    return range === undefined ? BAD_SCORE_RANGE : { key: keyOf(argv[1]), range };
  },
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const [start, end] = zset === undefined ? [0, 0] : scoreRanks(zset.value, args.range);
    ctx.reply.integer(end - start);
    return undefined;
  },
});
