/**
 * SETBIT key offset value
 *
 * Sets or clears the bit at `offset` (0 = the most significant bit of the first byte), growing the
 * string with zero bytes as needed, and replies the bit's previous value. Checks in setbitCommand's
 * order: the offset ("bit offset is not an integer or out of range", also past proto-max-bulk-len),
 * the value ("bit is not an integer or out of range" unless 0 or 1), then WRONGTYPE. The string
 * becomes raw even when nothing changes; only a change (a new key, a longer string or a flipped
 * bit) counts as a write and is propagated, as received.
 */
import { parseInt64 } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { parseBitOffset, storeBitString, stringForBitWrite } from './bit-ops.js';

const BIT_VALUE_ERROR = new ErrorReply('ERR bit is not an integer or out of range');

interface SetbitArgs {
  readonly key: string;
  readonly offset: bigint;
  readonly on: boolean;
}

export const setbit: Command = defineCommand<SetbitArgs>({
  name: 'setbit',
  arity: 4,
  syntax: 'key offset:integer value:integer',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@bitmap', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Sets or clears the bit at offset in the string value stored at key',
    since: '2.2.0',
    group: 'bitmap',
    complexity: 'O(1)',
  },
  parse(argv, ctx) {
    const offset = parseBitOffset(ctx, argv[2]);
    if (offset instanceof ErrorReply) return offset;
    const value = parseInt64(argv[3]);
    if (value === undefined || (value !== 0n && value !== 1n)) return BIT_VALUE_ERROR;
    return { key: keyOf(argv[1]), offset, on: value === 1n };
  },
  execute(ctx, { key, offset, on }) {
    const target = stringForBitWrite(ctx, key, offset);
    if (target instanceof ErrorReply) return target;
    const { bytes, grown } = target;
    const byte = Number(offset >> 3n);
    const mask = 1 << (7 - Number(offset & 7n));
    const previous = ((bytes[byte] ?? 0) & mask) !== 0;
    if (grown || previous !== on) {
      bytes[byte] = on ? (bytes[byte] ?? 0) | mask : (bytes[byte] ?? 0) & ~mask;
      storeBitString(ctx, key, bytes);
      ctx.modified(key);
    } else {
      // dbUnshareStringValue already made it raw; no change to propagate.
      storeBitString(ctx, key, bytes);
    }
    ctx.reply.integer(previous ? 1 : 0);
    return undefined;
  },
});
