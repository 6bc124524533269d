/**
 * FLUSHDB [ASYNC | SYNC]
 *
 * Removes every key of the selected database. A running BGSAVE goes on and still writes the
 * database as it was when the BGSAVE started: its copy-on-write serializes the keys it had not
 * written yet before they go (Database.clear -> Snapshot.beforeClear).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { flushDatabase, parseFlushMode } from './flush-mode.js';

export const flushdb: Command = defineCommand<null>({
  name: 'flushdb',
  arity: -1,
  syntax: '[ASYNC|SYNC]',
  flags: ['write'],
  aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Remove all keys from the current database',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(N) where N is the number of keys in the selected database',
  },
  parse: parseFlushMode,
  execute(ctx) {
    flushDatabase(ctx, ctx.db);
    // signalFlushedDb: a null invalidation to every tracking client, whatever the database.
    ctx.node.tracking.invalidateAllOnFlush();
    // Redis propagates FLUSHDB/FLUSHALL even when nothing was there to remove.
    ctx.forcePropagation();
    ctx.reply.simple('OK');
    return undefined;
  },
});
