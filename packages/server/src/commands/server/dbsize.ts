/**
 * DBSIZE
 *
 * Replies the number of keys in the selected database, counting expired keys not yet collected, as
 * Redis does.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const dbsize: Command = defineCommand<null>({
  name: 'dbsize',
  arity: 1,
  syntax: '',
  flags: ['readonly', 'fast'],
  aclCategories: ['@keyspace', '@read', '@fast'],
  keys: NO_KEYS,
  doc: {
    summary: 'Return the number of keys in the selected database',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    ctx.reply.integer(ctx.db.size());
    return undefined;
  },
});
