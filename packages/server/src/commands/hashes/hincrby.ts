/**
 * HINCRBY key field increment
 *
 * Adds a signed 64-bit increment to a field's integer value (a missing field counts as 0) and
 * replies the new value. Errors, in Redis's order: a bad increment ("value is not an integer or
 * out of range"), WRONGTYPE, a value that is not an integer ("hash value is not an integer"), an
 * overflow ("increment or decrement would overflow").
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { createHash, setField, textArg } from './hash-value.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NOT_INTEGER_VALUE = new ErrorReply('ERR hash value is not an integer');
const OVERFLOW = new ErrorReply('ERR increment or decrement would overflow');

interface HashIncrByArgs {
  readonly key: string;
  readonly field: string;
  readonly increment: bigint;
}

export const hincrby: Command = defineCommand<HashIncrByArgs>({
  name: 'hincrby',
  arity: 4,
  syntax: 'key field increment:integer',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the integer value of a hash field by the given number',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse(argv) {
    const increment = parseInt64(argv[3]);
    if (increment === undefined) return NOT_INTEGER;
    return { key: textArg(argv, 1), field: textArg(argv, 2), increment };
  },
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'hash');
    if (found instanceof ErrorReply) return found;
    const hash = found ?? createHash(ctx, args.key);
    const current = hash.value.get(args.field);
    const old = current === undefined ? 0n : parseInt64(current);
    if (old === undefined) return NOT_INTEGER_VALUE;
    const value = old + args.increment;
    if (value < INT64_MIN || value > INT64_MAX) return OVERFLOW;
    setField(ctx, hash, args.field, Buffer.from(value.toString(), 'latin1'));
    ctx.modified(args.key);
    ctx.reply.integer(value);
    return undefined;
  },
});
