/**
 * Intsets (intset.c, §2.6): the blob Redis writes for a set whose members are all integers (type
 * 11, SET_INTSET). Layout, all little-endian:
 *
 *   <u32 encoding: 2 | 4 | 8> <u32 length> <length integers of `encoding` bytes, strictly ascending>
 *
 * The encoding is the narrowest width that holds every member (intsetAdd upgrades to the width of
 * the value that needs it), so our blobs are byte-identical to Redis's. Decoding applies
 * intsetValidateIntegrity with deep=1: a known encoding, a size that matches the length, at least
 * one member, and strictly ascending values (which also rules out duplicates).
 */
import { parseCanonicalInt64, readInt64LE, writeInt64LE } from './int64-text.js';
import type { RdbBytes } from './types.js';

const HEADER_SIZE = 8;

/** _intsetValueEncoding: the bytes a value needs. */
function widthOf(value: number | bigint): number {
  if (typeof value === 'bigint') return 8; // 16+ digits: beyond int32
  if (value < -2147483648 || value > 2147483647) return 8;
  if (value < -32768 || value > 32767) return 4;
  return 2;
}

function ascending(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The intset of `members`, each the canonical decimal text of an int64 (what a set keeps in its
 * intset encoding). Throws Error on a member that is not such text, on a duplicate, and on an empty
 * set (Redis never writes one, and rejects it on load).
 */
export function encodeIntset(members: Iterable<RdbBytes>): Buffer {
  const values: (number | bigint)[] = [];
  let width = 2;
  for (const member of members) {
    const value = parseCanonicalInt64(member);
    if (value === undefined) {
      const text = typeof member === 'string' ? member : member.toString('latin1');
      throw new Error(`intset member '${text.slice(0, 40)}' is not a canonical int64`);
    }
    width = Math.max(width, widthOf(value));
    values.push(value);
  }
  if (values.length === 0) throw new Error('intset needs at least one member');
  values.sort(ascending);
  const blob = Buffer.allocUnsafe(HEADER_SIZE + values.length * width);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  let pos = HEADER_SIZE;
  let previous: number | bigint | undefined;
  for (const value of values) {
    // After sorting, equal neighbours would be a duplicate, i.e. not a set.
    if (previous !== undefined && ascending(previous, value) === 0) {
      throw new Error(`intset member ${value} appears twice`);
    }
    previous = value;
    if (width === 8) writeInt64LE(blob, value, pos);
    else blob.writeIntLE(value as number, pos, width);
    pos += width;
  }
  return blob;
}

/**
 * The members of an intset as canonical decimal text, ascending. Throws Error('<reason>') on what
 * intsetValidateIntegrity(deep=1) rejects.
 */
export function decodeIntset(blob: Uint8Array): string[] {
  if (blob.length < HEADER_SIZE) throw new Error(`intset of ${blob.length} bytes has no header`);
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const width = bytes.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) {
    throw new Error(`intset has unknown encoding ${width}`);
  }
  const length = bytes.readUInt32LE(4);
  if (HEADER_SIZE + length * width !== bytes.length) {
    throw new Error(`intset of ${length} x ${width} bytes does not fill ${bytes.length} bytes`);
  }
  if (length === 0) throw new Error('intset is empty');
  const members: string[] = new Array<string>(length);
  let previous: number | bigint | undefined;
  for (let index = 0; index < length; index++) {
    const pos = HEADER_SIZE + index * width;
    const value = width === 8 ? readInt64LE(bytes, pos) : bytes.readIntLE(pos, width);
    if (previous !== undefined && value <= previous) {
      throw new Error(`intset is not strictly ascending at member ${index}`);
    }
    previous = value;
    members[index] = String(value);
  }
  return members;
}
