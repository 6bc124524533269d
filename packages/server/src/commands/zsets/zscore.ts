/**
 * ZSCORE key member
 *
 * Replies the member's score as a double (a bulk string in RESP2, `,` in RESP3), or null when the
 * key or the member does not exist.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface ZScoreArgs {
  readonly key: string;
  readonly member: string;
}

export const zscore: Command = defineCommand<ZScoreArgs>({
  name: 'zscore',
  arity: 3,
  syntax: 'key member',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the score associated with the given member in a sorted set',
    since: '1.2.0',
    group: 'sorted-set',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), member: keyOf(argv[2]) }),
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const score = zset?.value.score(args.member);
    if (score === undefined) ctx.reply.nullBulk();
    else ctx.reply.double(score);
    return undefined;
  },
});
