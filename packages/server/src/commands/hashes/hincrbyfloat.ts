/**
 * HINCRBYFLOAT key field increment
 *
 * Adds a floating increment to a field (a missing field counts as 0) in x87 long double
 * arithmetic, as Redis does, and replies the new value as `%.17Lf` with trailing zeros trimmed
 * (long-double.ts). Propagated as `HSET key field <new value>` so replicas and the AOF store the
 * exact text. Errors: a bad increment ("value is not a valid float"), an infinite one ("value is
 * NaN or Infinity"), WRONGTYPE, a value that is not a float ("hash value is not a float"), an
 * infinite result ("increment would produce NaN or Infinity").
 */

import {
  addLongDouble,
  formatLongDouble,
  type LongDouble,
  parseLongDouble,
} from '../long-double.js';
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { createHash, setField, textArg } from './hash-value.js';

const NOT_FLOAT = new ErrorReply('ERR value is not a valid float');
const NAN_OR_INFINITY = new ErrorReply('ERR value is NaN or Infinity');
const NOT_FLOAT_VALUE = new ErrorReply('ERR hash value is not a float');
const RESULT_NAN_OR_INFINITY = new ErrorReply('ERR increment would produce NaN or Infinity');

interface HashIncrByFloatArgs {
  readonly key: Buffer;
  readonly field: Buffer;
  readonly increment: LongDouble;
}

export const hincrbyfloat: Command = defineCommand<HashIncrByFloatArgs>({
  name: 'hincrbyfloat',
  arity: 4,
  syntax: 'key field increment:double',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@hash', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the float value of a hash field by the given amount',
    since: '2.6.0',
    group: 'hash',
    complexity: 'O(1)',
  },
  parse(argv) {
    const increment = parseLongDouble(argv[3] ?? Buffer.alloc(0));
    if (increment === undefined) return NOT_FLOAT;
    if (increment.kind !== 'finite') return NAN_OR_INFINITY;
    return {
      key: argv[1] ?? Buffer.alloc(0),
      field: argv[2] ?? Buffer.alloc(0),
      increment,
    };
  },
  execute(ctx, args) {
    const key = textArg([args.key], 0);
    const field = textArg([args.field], 0);
    const found = lookupWrite(ctx, key, 'hash');
    if (found instanceof ErrorReply) return found;
    const hash = found ?? createHash(ctx, key);
    const current = hash.value.get(field);
    const old =
      current === undefined
        ? { kind: 'finite' as const, mantissa: 0n, exponent: 0 }
        : parseLongDouble(current);
    if (old === undefined) return NOT_FLOAT_VALUE;
    const sum = addLongDouble(old, args.increment);
    if (sum === undefined) return RESULT_NAN_OR_INFINITY;
    const text = Buffer.from(formatLongDouble(sum), 'latin1');
    setField(ctx, hash, field, text);
    ctx.modified(key);
    ctx.propagateAs([Buffer.from('HSET'), args.key, args.field, text]);
    ctx.reply.bulk(text);
    return undefined;
  },
});
