/**
 * ZMSCORE key member [member ...]
 *
 * Replies an array with each member's score as a double, or null for a missing member (all nulls
 * when the key does not exist).
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface ZMScoreArgs {
  readonly key: string;
  readonly members: readonly string[];
}

export const zmscore: Command = defineCommand<ZMScoreArgs>({
  name: 'zmscore',
  arity: -3,
  syntax: 'key member [member ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the score associated with the given members in a sorted set',
    since: '6.2.0',
    group: 'sorted-set',
    complexity: 'O(N) where N is the number of members being requested.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), members: argv.slice(2).map(keyOf) }),
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    ctx.reply.arrayHeader(args.members.length);
    for (const member of args.members) {
      const score = zset?.value.score(member);
      if (score === undefined) ctx.reply.nullBulk();
      else ctx.reply.double(score);
    }
    return undefined;
  },
});
