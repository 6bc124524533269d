/**
 * HLEN key
 *
 * Replies the number of fields (0 for a missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

export const hlen: Command = defineCommand<string>({
  name: 'hlen',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the number of fields in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse: (argv) => textArg(argv, 1),
  execute(ctx, key) {
    const hash = lookupRead(ctx, key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.integer(hash?.value.size ?? 0);
    return undefined;
  },
});
