/**
 * HGETALL key
 *
 * Replies every field and its value: a map in RESP3, a flat array in RESP2; empty for a missing
 * key. Listpack hashes answer in insertion order as Redis does; hashtable hashes answer in
 * insertion order too, where Redis uses its dict order.
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { fieldBytes, textArg } from './hash-value.js';

export const hgetall: Command = defineCommand<string>({
  name: 'hgetall',
  arity: 2,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: ['@read', '@hash', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get all the fields and values in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
  },
  parse: (argv) => textArg(argv, 1),
  execute(ctx, key) {
    const hash = lookupRead(ctx, key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.mapHeader(hash?.value.size ?? 0);
    for (const [field, value] of hash?.value ?? []) {
      ctx.reply.bulk(fieldBytes(field));
      ctx.reply.bulk(value);
    }
    return undefined;
  },
});
