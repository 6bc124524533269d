/**
 * DEL key [key ...]
 *
 * Deletes the keys and replies how many existed (an expired key does not count).
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';

export const del: Command = defineCommand<readonly Buffer[]>({
  name: 'del',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['write'],
  aclCategories: ['@keyspace', '@write', '@slow'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Delete a key',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys that will be removed.',
  },
  parse: (argv) => argv.slice(1),
  execute(ctx, keys) {
    let deleted = 0;
    for (const arg of keys) {
      const key = arg.toString('latin1');
      if (ctx.db.lookup(key, ctx.nowMs) !== undefined && ctx.db.delete(key)) {
        ctx.modified(key);
        deleted++;
      }
    }
    ctx.reply.integer(deleted);
    return undefined;
  },
});
