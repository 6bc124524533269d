/**
 * UNLINK key [key ...]
 *
 * Deletes the keys and replies how many existed, exactly as DEL does. Redis frees large values in a
 * background thread; replisim has nothing to free lazily, so the only difference from DEL is the
 * name that goes to replicas and the AOF (UNLINK propagates as received).
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';

export const unlink: Command = defineCommand<readonly Buffer[]>({
  name: 'unlink',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ALL_KEYS,
  doc: {
    summary:
      'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0',
    group: 'generic',
    complexity:
      'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
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
