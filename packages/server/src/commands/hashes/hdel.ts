/**
 * HDEL key field [field ...]
 *
 * Removes fields; replies how many existed. A hash left empty is deleted.
 */
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './hash-value.js';

interface HashDeleteArgs {
  readonly key: string;
  readonly fields: readonly string[];
}

export const hdel: Command = defineCommand<HashDeleteArgs>({
  name: 'hdel',
  arity: -3,
  syntax: 'key field [field ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Delete one or more hash fields',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields to be removed.',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    fields: argv.slice(2).map((field) => field.toString('latin1')),
  }),
  execute(ctx, args) {
    const hash = lookupWrite(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    let deleted = 0;
    if (hash !== undefined) {
      for (const field of args.fields) {
        if (hash.value.delete(field)) deleted++;
        if (hash.value.size === 0) {
          ctx.db.delete(args.key);
          break;
        }
      }
      if (deleted > 0) ctx.modified(args.key, deleted);
    }
    ctx.reply.integer(deleted);
    return undefined;
  },
});
