/**
 * FLUSHALL [ASYNC | SYNC]
 *
 * Removes every key of every database. (With persistence, Redis also resets the dirty counter and
 * saves; that arrives with the snapshot work.)
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
    for (const db of ctx.node.databases) flushDatabase(ctx, db);
    // Redis propagates FLUSHDB/FLUSHALL even when nothing was there to remove.
    ctx.forcePropagation();
    ctx.reply.simple('OK');
    return undefined;
  },
});
