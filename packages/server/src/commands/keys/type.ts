/**
 * TYPE key
 *
 * Replies the type of the value at `key` as a status: string, list, set, zset or hash, or `none`
 * when the key does not exist (or has expired).
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';

export const type: Command = defineCommand<string>({
  name: 'type',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@keyspace', '@read', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Determine the type stored at key',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const value = ctx.db.lookup(key, ctx.nowMs, false);
    ctx.reply.simple(value === undefined ? 'none' : value.type);
    return undefined;
  },
});
