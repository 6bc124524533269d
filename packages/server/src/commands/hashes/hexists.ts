/**
 * HEXISTS key field
 *
 * Replies 1 if the hash has the field, else 0 (also for a missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

interface HashExistsArgs {
  readonly key: string;
  readonly field: string;
}

export const hexists: Command = defineCommand<HashExistsArgs>({
  name: 'hexists',
  arity: 3,
  syntax: 'key field',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Determine if a hash field exists',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: textArg(argv, 1), field: textArg(argv, 2) }),
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.integer(hash?.value.has(args.field) === true ? 1 : 0);
    return undefined;
  },
});
