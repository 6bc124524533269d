/**
 * ZCARD key
 *
 * Replies the number of members, 0 when the key does not exist.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

export const zcard: Command = defineCommand<string>({
  name: 'zcard',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the number of members in a sorted set',
    since: '1.2.0',
    group: 'sorted-set',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const zset = lookupRead(ctx, key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    ctx.reply.integer(zset?.value.size ?? 0);
    return undefined;
  },
});
