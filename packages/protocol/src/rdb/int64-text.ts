/**
 * int64 values as listpacks and intsets hold them. Which byte strings Redis stores as integers inside listpacks and intsets: exactly those that
 * string2ll (util.c; listpack.c's copy, lpStringToInt64) accepts, i.e. an optional '-', then "0" or
 * a digit 1-9 followed by digits, shorter than 21 bytes, within int64. No '+', no spaces, no
 * leading zeros, no "-0". Such a string and the integer are interchangeable: rendering the integer
 * gives the same bytes back, which is what makes the compact encodings lossless.
 *
 * WHY two result types: almost every value is short, and a JS number holds any integer of up to 15
 * digits exactly, so those stay numbers (no allocation); only 16-19 digit values, which may exceed
 * 2^53, become BigInt. The int64 readers and writers below keep the same split, so listpacks and
 * intsets touch BigInt only for values beyond 2^53.
 */
import type { RdbBytes } from './types.js';

/** LONG_STR_SIZE in util.h: a valid number is shorter than this. */
const LONG_STR_SIZE = 21;
/** Up to this many digits the running decimal sum is exact in a double. */
const SAFE_DIGITS = 15;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

export const INT64_MIN: bigint = -(1n << 63n);
export const INT64_MAX: bigint = (1n << 63n) - 1n;

/** The byte at `index` of a Buffer or latin1 string. */
function byteAt(item: RdbBytes, index: number): number {
  return typeof item === 'string' ? item.charCodeAt(index) : (item[index] as number);
}

/**
 * The integer `item` spells if string2ll accepts it: a number for up to 15 digits, a bigint for
 * 16-19 digits. Undefined for anything else (not canonical, or outside int64).
 */
export function parseCanonicalInt64(item: RdbBytes): number | bigint | undefined {
  const length = item.length;
  if (length === 0 || length >= LONG_STR_SIZE) return undefined;
  const first = byteAt(item, 0);
  if (length === 1 && first === DIGIT_0) return 0;
  const negative = first === MINUS;
  const digitsStart = negative ? 1 : 0;
  if (digitsStart === length) return undefined;
  const lead = byteAt(item, digitsStart);
  if (lead <= DIGIT_0 || lead > DIGIT_9) return undefined;
  let value = 0;
  for (let index = digitsStart; index < length; index++) {
    const byte = byteAt(item, index);
    if (byte < DIGIT_0 || byte > DIGIT_9) return undefined;
    value = value * 10 + (byte - DIGIT_0);
  }
  if (length - digitsStart <= SAFE_DIGITS) return negative ? -value : value;
  const text = typeof item === 'string' ? item : item.toString('latin1');
  const big = BigInt(text);
  return big < INT64_MIN || big > INT64_MAX ? undefined : big;
}

const TWO_32 = 4294967296;
/** Below this high half (in magnitude) an int64 is a safe JS integer. */
const SAFE_HIGH_LIMIT = 0x200000;

/** The little-endian int64 at `pos`: a number when it is exactly representable, else a bigint. */
export function readInt64LE(bytes: Uint8Array, pos: number): number | bigint {
  const low =
    ((bytes[pos] as number) |
      ((bytes[pos + 1] as number) << 8) |
      ((bytes[pos + 2] as number) << 16) |
      ((bytes[pos + 3] as number) << 24)) >>>
    0;
  const high =
    (bytes[pos + 4] as number) |
    ((bytes[pos + 5] as number) << 8) |
    ((bytes[pos + 6] as number) << 16) |
    ((bytes[pos + 7] as number) << 24);
  if (high >= -SAFE_HIGH_LIMIT && high < SAFE_HIGH_LIMIT) return high * TWO_32 + low;
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Writes `value` (an integer within int64) as 8 little-endian bytes at `pos`. */
export function writeInt64LE(buffer: Buffer, value: number | bigint, pos: number): void {
  if (typeof value === 'bigint') {
    buffer.writeBigInt64LE(value, pos);
    return;
  }
  // Split into halves rather than allocate a BigInt; exact for every safe integer.
  const high = Math.floor(value / TWO_32);
  buffer.writeUInt32LE(value - high * TWO_32, pos);
  buffer.writeInt32LE(high, pos + 4);
}
