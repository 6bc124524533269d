/**
 * The shared pieces of the bitmap commands (Redis 7.0's bitops.c): bit offsets and bitfield types
 * as arguments, reading and writing bitfields MSB first, counting bits and finding the first 0/1,
 * and the string a write works on.
 *
 * Bits are numbered from the most significant bit of byte 0, as in Redis: bit 0 is 0x80 of the
 * first byte. Strings here are Buffers, so an int-encoded value is its decimal text, exactly what
 * Redis's getObjectReadOnlyString gives. 64-bit arithmetic uses BigInt with explicit wrapping
 * (asIntN / asUintN) where Redis relies on C's two's-complement overflow.
 */
import type { StringValue } from '../../keyspace/values.js';
import { lookupWrite } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';

export const BIT_OFFSET_ERROR: ErrorReply = new ErrorReply(
  'ERR bit offset is not an integer or out of range',
);

const BITFIELD_TYPE_ERROR = new ErrorReply(
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
);

/** string2ll's grammar on raw bytes: optional '-', no '+', no leading zeros, 64-bit range. */
function string2ll(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 20) return undefined;
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return undefined;
  const value = BigInt(text);
  return BigInt.asIntN(64, value) === value ? value : undefined;
}

/**
 * getBitOffsetFromArgument: a bit offset, or `#n` meaning n * bits when `bits` is given (BITFIELD).
 * Negative offsets, and offsets whose byte passes proto-max-bulk-len, are refused, except from
 * our master (Redis's mustObeyClient).
 */
export function parseBitOffset(
  ctx: CommandContext,
  arg: Buffer | undefined,
  bits = 0,
): bigint | ErrorReply {
  const text = (arg ?? Buffer.alloc(0)).toString('latin1');
  const useHash = bits > 0 && text.startsWith('#');
  let offset = string2ll(useHash ? text.slice(1) : text);
  if (offset === undefined) return BIT_OFFSET_ERROR;
  // C multiplies in 64 bits: a huge #n wraps, usually to a negative number refused below.
  if (useHash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  const limit = BigInt(ctx.node.config.protoMaxBulkLen);
  if (offset < 0n || (!ctx.client.isMaster && offset >> 3n >= limit)) return BIT_OFFSET_ERROR;
  return offset;
}

export interface BitfieldType {
  readonly signed: boolean;
  readonly bits: number;
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63, lower-case letter only. */
export function parseBitfieldType(arg: Buffer | undefined): BitfieldType | ErrorReply {
  const raw = (arg ?? Buffer.alloc(0)).toString('latin1');
  // C reads the digits with strlen: they end at the first NUL byte.
  const nul = raw.indexOf('\u0000');
  const text = nul >= 0 ? raw.slice(0, nul) : raw;
  const letter = text[0];
  if (letter !== 'i' && letter !== 'u') return BITFIELD_TYPE_ERROR;
  const signed = letter === 'i';
  const bits = string2ll(text.slice(1));
  if (bits === undefined || bits < 1n || bits > (signed ? 64n : 63n)) return BITFIELD_TYPE_ERROR;
  return { signed, bits: Number(bits) };
}

/** getUnsignedBitfield: `bits` bits from bit `offset`, MSB first; bytes past the end read 0. */
export function getUnsignedBitfield(bytes: Buffer, offset: bigint, bits: number): bigint {
  let value = 0n;
  for (let i = 0n; i < BigInt(bits); i++) {
    const bit = offset + i;
    const byte = Number(bit >> 3n);
    const set = byte < bytes.length && ((bytes[byte] ?? 0) >> (7 - Number(bit & 7n))) & 1;
    value = (value << 1n) | (set ? 1n : 0n);
  }
  return value;
}

/** getSignedBitfield: the unsigned field, sign-extended from its top bit. */
export function getSignedBitfield(bytes: Buffer, offset: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedBitfield(bytes, offset, bits));
}

/** setUnsignedBitfield: the low `bits` bits of `value` at bit `offset`, MSB first (in place). */
export function setBitfield(bytes: Buffer, offset: bigint, bits: number, value: bigint): void {
  const unsigned = BigInt.asUintN(64, value);
  for (let i = 0; i < bits; i++) {
    const bitValue = (unsigned >> BigInt(bits - 1 - i)) & 1n;
    const bit = offset + BigInt(i);
    const byte = Number(bit >> 3n);
    const mask = 1 << (7 - Number(bit & 7n));
    const current = bytes[byte] ?? 0;
    bytes[byte] = bitValue === 1n ? current | mask : current & ~mask;
  }
}

/** Bits set in each byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, byte) => {
  let count = 0;
  for (let b = byte; b > 0; b >>= 1) count += b & 1;
  return count;
});

/** redisPopcount over bytes[start..start+count). */
export function popcount(bytes: ArrayLike<number>, start: number, count: number): number {
  let total = 0;
  for (let i = start; i < start + count; i++) total += POPCOUNT[bytes[i] ?? 0] ?? 0;
  return total;
}

/**
 * redisBitpos over bytes[start..start+count): the position of the first bit equal to `bit`; not
 * found, -1 for a 1 and count*8 for a 0 (the string is taken as zero padded on the right).
 */
export function bitpos(bytes: ArrayLike<number>, start: number, count: number, bit: 0 | 1): number {
  const skip = bit === 1 ? 0 : 0xff;
  for (let i = 0; i < count; i++) {
    const byte = bytes[start + i] ?? 0;
    if (byte === skip) continue;
    for (let b = 0; b < 8; b++) {
      if (((byte >> (7 - b)) & 1) === bit) return i * 8 + b;
    }
  }
  return bit === 1 ? -1 : count * 8;
}

/**
 * lookupStringForBitCommand: the string at `key` grown with zero bytes to hold bit `maxBit`, as a
 * fresh Buffer the caller may change (a value in the keyspace is never changed in place: COPY and
 * snapshots may share it). Undefined when `key` holds another type (the error is returned). The
 * string is stored back, raw (dbUnshareStringValue), by `storeBitString`.
 */
export function stringForBitWrite(
  ctx: CommandContext,
  key: string,
  maxBit: bigint,
): { bytes: Buffer; grown: boolean } | ErrorReply {
  const needed = Number(maxBit >> 3n) + 1;
  const current = lookupWrite(ctx, key, 'string');
  if (current instanceof ErrorReply) return current;
  if (current === undefined) return { bytes: Buffer.alloc(needed), grown: true };
  const old = current.value;
  const bytes = Buffer.alloc(Math.max(old.length, needed));
  old.copy(bytes);
  return { bytes, grown: bytes.length !== old.length };
}

/** Stores a bitmap write's result, raw as Redis leaves it, keeping any TTL. */
export function storeBitString(ctx: CommandContext, key: string, bytes: Buffer): void {
  const value: StringValue = { type: 'string', value: bytes, encoding: 'raw' };
  ctx.db.set(key, value, true);
}
