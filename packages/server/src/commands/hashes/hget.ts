/**
 * HGET key field
 *
 * Replies the value of a field, or a null bulk if the field or the key does not exist.
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

interface HashGetArgs {
  readonly key: string;
  readonly field: string;
}

export const hget: Command = defineCommand<HashGetArgs>({
  name: 'hget',
  arity: 3,
  syntax: 'key field',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the value of a hash field',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: textArg(argv, 1), field: textArg(argv, 2) }),
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    const value = hash?.value.get(args.field);
    if (value === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(value);
    return undefined;
  },
});
