/**
 * ZREVRANK key member
 *
 * Replies the member's 0-based rank in descending order, or null when the key or the
 * member does not exist. (Redis 7.0 has no WITHSCORE option.)
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface RankArgs {
  readonly key: string;
  readonly member: string;
}

export const zrevrank: Command = defineCommand<RankArgs>({
  name: 'zrevrank',
  arity: 3,
  syntax: 'key member',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary:
      'Determine the index of a member in a sorted set, with scores ordered from high to low',
    since: '2.0.0',
    group: 'sorted-set',
    complexity: 'O(log(N))',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), member: keyOf(argv[2]) }),
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const rank = zset?.value.rank(args.member);
    if (zset === undefined || rank === undefined) ctx.reply.nullBulk();
    else ctx.reply.integer(zset.value.size - 1 - rank);
    return undefined;
  },
});
