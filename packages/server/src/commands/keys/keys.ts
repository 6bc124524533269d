/**
 * KEYS pattern
 *
 * Replies every key matching the glob `pattern` (util/glob.ts, Redis's stringmatchlen). As in Redis
 * 7.0's keysCommand, a key whose deadline has passed is left out but not deleted. The order is the
 * slot table's, where Redis's is its dict order: clients must not depend on either.
 */
import { globMatch } from '../../util/glob.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const keys: Command = defineCommand<string>({
  name: 'keys',
  arity: 2,
  syntax: 'pattern:pattern',
  flags: ['readonly'],
  aclCategories: ['@keyspace', '@read', '@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Find all keys matching the given pattern',
    since: '1.0.0',
    group: 'generic',
    complexity:
      'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, pattern) {
    const { db } = ctx;
    const all = pattern === '*';
    const found: string[] = [];
    for (let slot = 0; slot < db.slotCount(); slot++) {
      const key = db.keyAtSlot(slot);
      if (key === undefined || (!all && !globMatch(pattern, key))) continue;
      const deadline = db.expiryOf(key);
      if (deadline !== undefined && deadline < ctx.nowMs) continue;
      found.push(key);
    }
    ctx.reply.arrayHeader(found.length);
    for (const key of found) ctx.reply.bulk(Buffer.from(key, 'latin1'));
    return undefined;
  },
});
