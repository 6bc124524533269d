/**
 * FLUSHALL [ASYNC | SYNC]
 *
 * Removes every key of every database. As Redis 7.0's flushAllDataAndResetRDB: a running BGSAVE
 * is stopped and its temp file removed (its status unchanged), and with save rules configured
 * the empty dataset is saved at once with a blocking save, so the dump on disk is empty too and
 * the change counter is 0; the +OK is sent when that save is done.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { flushDatabase, parseFlushMode } from './flush-mode.js';

export const flushall: Command = defineCommand<null>({
  name: 'flushall',
  arity: -1,
  syntax: '[ASYNC|SYNC]',
  flags: ['write'],
  aclCategories: ['@keyspace', '@write', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Remove all keys from all databases',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(N) where N is the total number of keys in all databases',
  },
  parse: parseFlushMode,
  execute(ctx) {
    const persistence = ctx.node.persistence;
    // Stopped first, so the snapshot does not copy out every key the flush is about to drop.
    if (persistence.bgsaveInProgress) {
      persistence.abortBgsave();
      // What Redis logs when it reaps the child killRDBChild stopped with SIGUSR1.
      ctx.node.log('warning', 'Background saving terminated by signal 10');
    }
    for (const db of ctx.node.databases) flushDatabase(ctx, db);
    // signalFlushedDb(-1): one null invalidation to every tracking client.
    ctx.node.tracking.invalidateAllOnFlush();
    // Its failure is only logged; FLUSHALL still replies +OK, as rdbSave's result is ignored.
    if (persistence.hasSaveRules) persistence.save(() => {});
    // Redis propagates FLUSHDB/FLUSHALL even when nothing was there to remove.
    ctx.forcePropagation();
    ctx.reply.simple('OK');
    return undefined;
  },
});
