/**
 * MGET key [key ...]
 *
 * Replies an array with the string value of each key, a null bulk for a missing key or one that
 * holds another type (never WRONGTYPE).
 */
import { keyOf } from '../lookup.js';
import { ALL_KEYS, type Command, defineCommand } from '../types.js';

export const mget: Command = defineCommand<readonly string[]>({
  name: 'mget',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@string', '@fast'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Get the values of all the given keys',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(N) where N is the number of keys to retrieve.',
  },
  parse: (argv) => argv.slice(1).map(keyOf),
  execute(ctx, keys) {
    ctx.reply.arrayHeader(keys.length);
    for (const key of keys) {
      const value = ctx.db.lookup(key, ctx.nowMs);
      if (value === undefined) ctx.node.stats.keyspaceMisses++;
      else ctx.node.stats.keyspaceHits++;
      if (value?.type === 'string') ctx.reply.bulk(value.value);
      else ctx.reply.nullBulk();
    }
    return undefined;
  },
});
