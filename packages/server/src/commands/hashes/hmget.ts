/**
 * HMGET key field [field ...]
 *
 * Replies an array with each field's value, a null bulk for a missing field (all null for a
 * missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

interface HashMultiGetArgs {
  readonly key: string;
  readonly fields: readonly string[];
}

export const hmget: Command = defineCommand<HashMultiGetArgs>({
  name: 'hmget',
  arity: -3,
  syntax: 'key field [field ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the values of all the given hash fields',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields being requested.',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    fields: argv.slice(2).map((field) => field.toString('latin1')),
  }),
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    ctx.reply.arrayHeader(args.fields.length);
    for (const field of args.fields) {
      const value = hash?.value.get(field);
      if (value === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(value);
    }
    return undefined;
  },
});
