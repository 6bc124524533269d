/**
 * MSETNX key value [key value ...]
 *
 * Stores every pair only if none of the keys exists: replies :1 if it stored them, :0 (storing
 * nothing) if any key exists. An odd argument count is an arity error, as for MSET (mset.ts).
 * Propagated as received.
 */
import { type Command, defineCommand } from '../types.js';
import { PAIR_KEYS, type Pairs, parsePairs, storePairs } from './mset.js';

export const msetnx: Command = defineCommand<Pairs>({
  name: 'msetnx',
  arity: -3,
  syntax: '(key value) [(key value) ...]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@string', '@slow'],
  keys: PAIR_KEYS,
  doc: {
    summary: 'Set multiple keys to multiple values, only if none of the keys exist',
    since: '1.0.1',
    group: 'string',
    complexity: 'O(N) where N is the number of keys to set.',
  },
  parse: (argv) => parsePairs(argv, 'msetnx'),
  execute(ctx, pairs) {
    // The lookups stop at the first existing key (later stale keys are not expired here), as in
    // msetGenericCommand.
    for (const [key] of pairs) {
      if (ctx.db.lookup(key, ctx.nowMs) !== undefined) {
        ctx.reply.integer(0);
        return undefined;
      }
    }
    storePairs(ctx, pairs);
    ctx.reply.integer(1);
    return undefined;
  },
});
