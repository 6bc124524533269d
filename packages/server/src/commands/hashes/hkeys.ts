/**
 * HKEYS key
 *
 * Replies an array of the hash's fields (empty for a missing key), in HGETALL's order.
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { fieldBytes, textArg } from './hash-value.js';

export const hkeys: Command = defineCommand<string>({
  name: 'hkeys',
  arity: 2,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: ['@read', '@hash', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get all the fields in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
  },
  parse: (argv) => textArg(argv, 1),
  execute(ctx, key) {
    const hash = lookupRead(ctx, key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.arrayHeader(hash?.value.size ?? 0);
    for (const field of hash?.value.keys() ?? []) ctx.reply.bulk(fieldBytes(field));
    return undefined;
  },
});
