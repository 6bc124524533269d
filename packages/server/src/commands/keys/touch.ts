/**
 * TOUCH key [key ...]
 *
 * Replies how many of the named keys exist (a key named twice counts twice), looking each up as
 * a read (Redis's lookupKeyRead): the access time or LFU counter is updated, keyspace hits and
 * misses are counted, and an expired key is deleted (its DEL propagated) on the way.
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';

export const touch: Command = defineCommand<readonly Buffer[]>({
  name: 'touch',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@keyspace', '@read', '@fast'],
  keys: ALL_KEYS,
  keyFlags: () => ['RO'],
  doc: {
    summary:
      'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys that will be touched.',
  },
  parse: (argv) => argv.slice(1),
  execute(ctx, keys) {
    let touched = 0;
    for (const arg of keys) {
      if (ctx.db.lookup(arg.toString('latin1'), ctx.nowMs) === undefined) {
        ctx.node.stats.keyspaceMisses++;
      } else {
        ctx.node.stats.keyspaceHits++;
        touched++;
      }
    }
    ctx.reply.integer(touched);
    return undefined;
  },
});
