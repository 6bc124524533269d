/**
 * LASTSAVE
 *
 * The unix time, in seconds, of the last successful SAVE or BGSAVE. A node that never saved
 * reports its start time (Redis's initServer counts a fresh server as just saved), not the ctime
 * of the dump it loaded.
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const lastsave: Command = defineCommand<null>({
  name: 'lastsave',
  arity: 1,
  syntax: '',
  flags: ['loading', 'stale', 'fast'],
  aclCategories: ['@admin', '@fast', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Get the UNIX time stamp of the last successful save to disk',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: () => null,
  execute(ctx) {
    ctx.reply.integer(ctx.node.persistence.lastsaveSeconds);
    return undefined;
  },
});
