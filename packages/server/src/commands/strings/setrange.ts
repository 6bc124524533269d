/**
 * SETRANGE key offset value
 *
 * Overwrites the string at `key` from byte `offset` with `value`, padding with zero bytes past the
 * end, and replies the new length. Order of checks as setrangeCommand: offset not an integer ->
 * "value is not an integer or out of range", negative -> "offset is out of range"; then for a
 * missing key an empty value replies :0 without creating it; for an existing key WRONGTYPE, and an
 * empty value replies the current length without touching it; then a result past
 * proto-max-bulk-len -> "string exceeds maximum allowed size (proto-max-bulk-len)". The written
 * string is always raw (OBJECT ENCODING). Propagated as received.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { checkStringLength } from './string-length.js';

interface SetrangeArgs {
  readonly key: string;
  readonly offset: bigint;
  readonly value: Buffer;
}

const OFFSET_OUT_OF_RANGE = new ErrorReply('ERR offset is out of range');

export const setrange: Command = defineCommand<SetrangeArgs>({
  name: 'setrange',
  arity: 4,
  syntax: 'key offset:integer value',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@string', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Overwrite part of a string at key starting at the specified offset',
    since: '2.2.0',
    group: 'string',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  },
  parse(argv) {
    const offset = parseInt64(argv[2]);
    if (offset === undefined) return NOT_INTEGER;
    if (offset < 0n) return OFFSET_OUT_OF_RANGE;
    return { key: keyOf(argv[1]), offset, value: argv[3] ?? Buffer.alloc(0) };
  },
  execute(ctx, { key, offset, value }) {
    const old = lookupWrite(ctx, key, 'string');
    if (old instanceof ErrorReply) return old;
    if (value.length === 0) {
      ctx.reply.integer(old === undefined ? 0 : old.value.length);
      return undefined;
    }
    const tooLong = checkStringLength(ctx, offset, BigInt(value.length));
    if (tooLong !== undefined) return tooLong;
    const start = Number(offset);
    const previous = old?.value ?? Buffer.alloc(0);
    const stored = Buffer.alloc(Math.max(previous.length, start + value.length));
    previous.copy(stored);
    value.copy(stored, start);
    ctx.db.set(key, { type: 'string', value: stored, encoding: 'raw' }, true);
    ctx.modified(key);
    ctx.reply.integer(stored.length);
    return undefined;
  },
});
