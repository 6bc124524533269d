/**
 * WATCH key [key ...]
 *
 * Makes the next EXEC fail (reply: null array) if any of the keys changes before it, expiry
 * included (keyspace/watch-registry.ts). Replies +OK, or `-ERR WATCH inside MULTI is not allowed`,
 * which does not abort the transaction. WATCH does not expire keys itself: it only notes whether
 * each key is already logically expired (present with a passed deadline), as Redis 7.0's
 * watchForKey does, so deleting such a key later is not a change. "Expired" is Redis's
 * keyIsExpired: now > deadline (a key is still alive during its deadline millisecond).
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

const INSIDE_MULTI = new ErrorReply('ERR WATCH inside MULTI is not allowed');

export const watch: Command = defineCommand<readonly Buffer[]>({
  name: 'watch',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  aclCategories: ['@fast', '@transaction'],
  keys: { first: 1, last: -1, step: 1 },
  doc: {
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    since: '2.2.0',
    group: 'transactions',
    complexity: 'O(1) for every key.',
  },
  parse: (argv) => argv.slice(1),
  execute(ctx, keys) {
    if (ctx.client.transaction !== undefined) return INSIDE_MULTI;
    for (const arg of keys) {
      const key = keyOf(arg);
      const deadline = ctx.db.expiryOf(key);
      const expired =
        deadline !== undefined && ctx.nowMs > deadline && ctx.db.peek(key) !== undefined;
      ctx.node.watches.watch(ctx.client, ctx.db.index, key, expired);
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});
