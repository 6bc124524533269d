/**
 * HSTRLEN key field
 *
 * Replies the length in bytes of a field's value, 0 if the field or key does not exist.
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

interface HashStrlenArgs {
  readonly key: string;
  readonly field: string;
}

export const hstrlen: Command = defineCommand<HashStrlenArgs>({
  name: 'hstrlen',
  arity: 3,
  syntax: 'key field',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the length of the value of a hash field',
    since: '3.2.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: textArg(argv, 1), field: textArg(argv, 2) }),
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.integer(hash?.value.get(args.field)?.length ?? 0);
    return undefined;
  },
});
