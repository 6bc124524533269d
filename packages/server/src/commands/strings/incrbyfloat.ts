/**
 * INCRBYFLOAT key increment
 *
 * Adds `increment` to the number at `key` (0 if missing) in x87 long double arithmetic and replies
 * the new value as Redis prints it: `%.17Lf` with trailing zeros trimmed, never an exponent
 * (`INCRBYFLOAT k 3.0e3` -> "3000", `1e30` -> all 31 digits). See ../long-double.ts.
 *
 * Errors, in Redis's order: WRONGTYPE; the stored value, then the increment, not parseable by
 * strtold (also spaces, NaN, overflow, total underflow) -> "value is not a valid float"; an
 * infinite operand or result -> "increment would produce NaN or Infinity". The result keeps the
 * key's time to live and is stored as createStringObject leaves it (embstr, or raw past 44 bytes,
 * never int). Propagated as `SET key <new value> KEEPTTL`, so replicas never redo the arithmetic.
 */
import { addLongDouble, formatLongDouble, parseLongDouble } from '../long-double.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { toArgv } from './argv.js';
import { createdStringEncoding } from './encoding.js';

interface IncrbyfloatArgs {
  readonly key: string;
  readonly increment: Buffer;
}

const NOT_FLOAT = new ErrorReply('ERR value is not a valid float');
const NAN_OR_INFINITY = new ErrorReply('ERR increment would produce NaN or Infinity');

export const incrbyfloat: Command = defineCommand<IncrbyfloatArgs>({
  name: 'incrbyfloat',
  arity: 3,
  syntax: 'key increment:double',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the float value of a key by the given amount',
    since: '2.6.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), increment: argv[2] ?? Buffer.alloc(0) }),
  execute(ctx, { key, increment }) {
    const old = lookupWrite(ctx, key, 'string');
    if (old instanceof ErrorReply) return old;
    const current =
      old === undefined ? parseLongDouble(Buffer.from('0')) : parseLongDouble(old.value);
    if (current === undefined) return NOT_FLOAT;
    const delta = parseLongDouble(increment);
    if (delta === undefined) return NOT_FLOAT;
    const sum = addLongDouble(current, delta);
    if (sum === undefined) return NAN_OR_INFINITY;
    const text = Buffer.from(formatLongDouble(sum), 'latin1');
    ctx.db.set(key, { type: 'string', value: text, encoding: createdStringEncoding(text) }, true);
    ctx.modified(key);
    ctx.propagateAs(toArgv('SET', key, text, 'KEEPTTL'));
    ctx.reply.bulk(text);
    return undefined;
  },
});
