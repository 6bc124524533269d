/**
 * DISCARD
 *
 * Leaves MULTI without running the queue, and forgets every watched key (as EXEC does). Replies
 * +OK, or `-ERR DISCARD without MULTI`.
 */
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { discardTransaction } from './transaction.js';

const WITHOUT_MULTI = new ErrorReply('ERR DISCARD without MULTI');

export const discard: Command = defineCommand<null>({
  name: 'discard',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  aclCategories: ['@fast', '@transaction'],
  keys: NO_KEYS,
  doc: {
    summary: 'Discard all commands issued after MULTI',
    since: '2.0.0',
    group: 'transactions',
    complexity: 'O(N), when N is the number of queued commands',
  },
  parse: () => null,
  execute(ctx) {
    if (ctx.client.transaction === undefined) return WITHOUT_MULTI;
    discardTransaction(ctx.node, ctx.client);
    ctx.reply.simple('OK');
    return undefined;
  },
});
