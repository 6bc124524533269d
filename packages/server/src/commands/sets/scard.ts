/**
 * SCARD key
 *
 * Replies the number of members (0 for a missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './set-value.js';

export const scard: Command = defineCommand<string>({
  name: 'scard',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the number of members in a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
  },
  parse: (argv) => textArg(argv, 1),
  execute(ctx, key) {
    const set = lookupRead(ctx, key, 'set');
    if (set instanceof ErrorReply) return set;
    ctx.reply.integer(set?.value.size ?? 0);
    return undefined;
  },
});
