/**
 * HSET key field value [field value ...]
 *
 * Sets fields of a hash, creating it if needed. Replies the number of fields that were new.
 * An odd number of field/value words is the arity error Redis gives ("wrong number of
 * arguments for 'hset' command").
 */
import { lookupWrite } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { convertForArguments, createHash, setField, textArg } from './hash-value.js';

export interface HashSetArgs {
  readonly key: string;
  /** argv[2..]: field, value, field, value... */
  readonly pairs: readonly Buffer[];
}

/** Parses HSET/HMSET arguments; `name` is for the arity error. */
export function parseHashSet(argv: readonly Buffer[], name: string): HashSetArgs | ErrorReply {
  if (argv.length % 2 !== 0) {
    return new ErrorReply(`ERR wrong number of arguments for '${name}' command`);
  }
  return { key: textArg(argv, 1), pairs: argv.slice(2) };
}

/** Runs HSET/HMSET; returns the number of new fields, or WRONGTYPE. */
export function executeHashSet(ctx: CommandContext, args: HashSetArgs): number | ErrorReply {
  const found = lookupWrite(ctx, args.key, 'hash');
  if (found instanceof ErrorReply) return found;
  const hash = found ?? createHash(ctx, args.key);
  convertForArguments(ctx, hash, args.pairs);
  let created = 0;
  for (let i = 0; i + 1 < args.pairs.length; i += 2) {
    const field = args.pairs[i] ?? Buffer.alloc(0);
    const value = args.pairs[i + 1] ?? Buffer.alloc(0);
    if (setField(ctx, hash, field.toString('latin1'), value)) created++;
  }
  ctx.modified(args.key, args.pairs.length / 2);
  return created;
}

export const hset: Command = defineCommand<HashSetArgs>({
  name: 'hset',
  arity: -4,
  syntax: 'key field value [field value ...]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the string value of a hash field',
    since: '2.0.0',
    group: 'hash',
    complexity:
      'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  },
  parse: (argv) => parseHashSet(argv, 'hset'),
  execute(ctx, args) {
    const created = executeHashSet(ctx, args);
    if (created instanceof ErrorReply) return created;
    ctx.reply.integer(created);
    return undefined;
  },
});
