/**
 * HSETNX key field value
 *
 * Sets a field only if it does not exist yet. Replies 1 if it was set, 0 if it existed (an
 * over-long value then leaves a listpack hash as it is, as in Redis 7.0.15).
 */
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { convertForArguments, createHash, setField, textArg } from './hash-value.js';

interface HashSetNxArgs {
  readonly key: string;
  readonly field: Buffer;
  readonly value: Buffer;
}

export const hsetnx: Command = defineCommand<HashSetNxArgs>({
  name: 'hsetnx',
  arity: 4,
  syntax: 'key field value',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the value of a hash field, only if the field does not exist',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    field: argv[2] ?? Buffer.alloc(0),
    value: argv[3] ?? Buffer.alloc(0),
  }),
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'hash');
    if (found instanceof ErrorReply) return found;
    const hash = found ?? createHash(ctx, args.key);
    const field = args.field.toString('latin1');
    if (hash.value.has(field)) {
      ctx.reply.integer(0);
      return undefined;
    }
    convertForArguments(ctx, hash, [args.field, args.value]);
    setField(ctx, hash, field, args.value);
    ctx.modified(args.key);
    ctx.reply.integer(1);
    return undefined;
  },
});
