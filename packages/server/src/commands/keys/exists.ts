/**
 * EXISTS key [key ...]
 *
 * Replies how many of the named keys exist; a key named twice counts twice.
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';

export const exists: Command = defineCommand<readonly Buffer[]>({
  name: 'exists',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@keyspace', '@read', '@fast'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Determine if a key exists',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys to check.',
  },
  parse: (argv) => argv.slice(1),
  execute(ctx, keys) {
    let found = 0;
    for (const arg of keys) {
      if (ctx.db.lookup(arg.toString('latin1'), ctx.nowMs, false) !== undefined) found++;
    }
    ctx.reply.integer(found);
    return undefined;
  },
});
