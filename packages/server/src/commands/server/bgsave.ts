/**
 * BGSAVE [SCHEDULE]
 *
 * Starts a background save (the forkless snapshot of persistence/snapshot.ts) and replies at once
 * `+Background saving started`. While one runs: `-ERR Background save already in progress`, with
 * or without SCHEDULE. Inside MULTI/EXEC the save cannot start in the middle of the transaction:
 * it is scheduled (`+Background saving scheduled`) and the cron starts it, as Redis's in_exec
 * rule does. Any other second argument is `-ERR syntax error`.
 *
 * Redis also refuses a BGSAVE while an AOF rewrite child runs ("Another child process is
 * active"); replisim has no other background job, so that case cannot arise.
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { BGSAVE_IN_PROGRESS } from './save.js';

export const bgsave: Command = defineCommand<null>({
  name: 'bgsave',
  arity: -1,
  syntax: '[SCHEDULE]',
  flags: ['admin', 'noscript'],
  aclCategories: ['@admin', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Asynchronously save the dataset to disk',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse(argv) {
    if (argv.length === 1) return null;
    if (argv.length === 2 && isKeyword(argv[1], 'schedule')) return null;
    return SYNTAX_ERROR;
  },
  execute(ctx) {
    const persistence = ctx.node.persistence;
    if (persistence.bgsaveInProgress) return BGSAVE_IN_PROGRESS;
    if (ctx.client.transaction !== undefined) {
      persistence.bgsaveScheduled = true;
      ctx.reply.simple('Background saving scheduled');
      return undefined;
    }
    persistence.startBgsave('BGSAVE');
    ctx.reply.simple('Background saving started');
    return undefined;
  },
});
