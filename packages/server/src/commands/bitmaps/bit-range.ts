/**
 * The [start end [BYTE|BIT]] range of BITCOUNT and BITPOS, resolved as bitcountCommand and
 * bitposCommand do: negative indexes count from the end, the range is clamped to the string, and
 * a BIT range becomes a byte range plus masks of the bits outside it in its first and last bytes.
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import type { ErrorReply } from '../types.js';

export interface ByteRange {
  /** First and last byte (start > end: empty). */
  readonly start: number;
  readonly end: number;
  /** Bits of the first / last byte that lie before / after the range (0: none). */
  readonly firstMask: number;
  readonly lastMask: number;
}

/** BYTE (false), BIT (true), or the syntax error. */
export function parseUnit(arg: Buffer | undefined): boolean | ErrorReply {
  if (isKeyword(arg, 'bit')) return true;
  if (isKeyword(arg, 'byte')) return false;
  return SYNTAX_ERROR;
}

/** Clamps [start, end] (indexes in bytes, or bits when `isBit`) to a string of `length` bytes. */
export function resolveRange(
  length: number,
  startIn: bigint,
  endIn: bigint,
  isBit: boolean,
): ByteRange {
  const total = BigInt(isBit ? length * 8 : length);
  let start = startIn < 0n ? total + startIn : startIn;
  let end = endIn < 0n ? total + endIn : endIn;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  if (!isBit || start > end) {
    return { start: Number(start), end: Number(end), firstMask: 0, lastMask: 0 };
  }
  const firstMask = ~((1 << (8 - Number(start & 7n))) - 1) & 0xff;
  const lastMask = (1 << (7 - Number(end & 7n))) - 1;
  return { start: Number(start >> 3n), end: Number(end >> 3n), firstMask, lastMask };
}
