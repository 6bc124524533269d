/**
 * PERSIST key
 *
 * Removes the deadline of `key`. Replies 1 if it had one, 0 if it had none or does not exist.
 * Propagates as received.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';

export const persist: Command = defineCommand<string>({
  name: 'persist',
  arity: 2,
  syntax: 'key',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove the expiration from a key',
    since: '2.2.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    if (ctx.db.lookup(key, ctx.nowMs) === undefined || !ctx.db.removeExpiry(key)) {
      ctx.reply.integer(0);
      return undefined;
    }
    ctx.modified(key);
    ctx.reply.integer(1);
    return undefined;
  },
});
