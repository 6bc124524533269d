/**
 * MULTI
 *
 * Starts a transaction: the commands that follow are queued (+QUEUED) until EXEC runs them or
 * DISCARD drops them (transaction.ts, dispatch.ts). Replies +OK; `-ERR MULTI calls can not be
 * nested` inside MULTI, which does not abort the transaction (as Redis 7.0).
 */
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { Transaction } from './transaction.js';

const NESTED = new ErrorReply('ERR MULTI calls can not be nested');

export const multi: Command = defineCommand<null>({
  name: 'multi',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  aclCategories: ['@fast', '@transaction'],
  keys: NO_KEYS,
  doc: {
    summary: 'Mark the start of a transaction block',
    since: '1.2.0',
    group: 'transactions',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    if (ctx.client.transaction !== undefined) return NESTED;
    ctx.client.transaction = new Transaction();
    ctx.reply.simple('OK');
    return undefined;
  },
});
