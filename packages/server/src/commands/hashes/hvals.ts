/**
 * HVALS key
 *
 * Replies an array of the hash's values (empty for a missing key), in HGETALL's order.
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

export const hvals: Command = defineCommand<string>({
  name: 'hvals',
  arity: 2,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: ['@read', '@hash', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get all the values in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
  },
  parse: (argv) => textArg(argv, 1),
  execute(ctx, key) {
    const hash = lookupRead(ctx, key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.arrayHeader(hash?.value.size ?? 0);
    for (const value of hash?.value.values() ?? []) ctx.reply.bulk(value);
    return undefined;
  },
});
