/**
 * UNWATCH
 *
 * Forgets every watched key and clears the dirty flag, so the next EXEC runs. Replies +OK. Inside
 * MULTI it is queued like any command (EXEC has already unwatched by the time it runs).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const unwatch: Command = defineCommand<null>({
  name: 'unwatch',
  arity: 1,
  syntax: '',
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  aclCategories: ['@fast', '@transaction'],
  keys: NO_KEYS,
  doc: {
    summary: 'Forget about all watched keys',
    since: '2.2.0',
    group: 'transactions',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    ctx.node.watches.unwatchAll(ctx.client);
    ctx.client.watchDirty = false;
    ctx.reply.simple('OK');
    return undefined;
  },
});
