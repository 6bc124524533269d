/**
 * Ziplists (ziplist.c), read only: Redis up to 6.2 wrote them for small lists (type 10), zsets
 * (12), hashes (13) and every quicklist node (14); 7.0 still loads them and converts to listpacks,
 * so a replisim node must read them too. It never writes them. Layout:
 *
 *   <u32 LE zlbytes> <u32 LE zltail: offset of the last entry> <u16 LE zllen, 65535 = count them>
 *   <entry>* 0xFF
 *   entry = <prevlen: 1 byte if < 254, else FE + u32 LE> <encoding> <data>
 *
 *   00LLLLLL                       string, len <= 63       C0 int16 LE    F0 int24 LE
 *   01LLLLLL LLLLLLLL              string, 14-bit len BE   D0 int32 LE    FE int8
 *   10xxxxxx <u32 BE len>          string, 32-bit len      E0 int64 LE    F1..FD: 0..12 immediate
 *
 * Decoding applies ziplistValidateIntegrity with deep=1 (what RESTORE and redis-check-rdb use):
 * zlbytes equals the blob, 0xFF at the end, zltail inside the blob and pointing at the last entry,
 * each entry inside the blob with a known encoding and a prevlen equal to the previous entry's
 * size, and zllen equal to the count unless 65535.
 */
import { readInt64LE } from './int64-text.js';

export { decodeZipmap } from './zipmap.js';

const HEADER_SIZE = 10;
const END = 0xff;
const COUNT_UNKNOWN = 0xffff;
const PREVLEN_BIG = 0xfe;

const ENC_INT16 = 0xc0;
const ENC_INT32 = 0xd0;
const ENC_INT64 = 0xe0;
const ENC_INT24 = 0xf0;
const ENC_INT8 = 0xfe;
const ENC_IMMEDIATE_MIN = 0xf1;
const ENC_IMMEDIATE_MAX = 0xfd;

/** The entry just read by readEntry, module-level so decoding allocates only the elements. */
let entryPrevlen = 0;
let entryHeaderSize = 0;
let entryDataSize = 0;
/** The integer value, or undefined for a string entry. */
let entryValue: number | bigint | undefined;

/** Bytes of data that follow an integer encoding byte; -1 for an unknown encoding. */
function integerDataSize(encoding: number): number {
  switch (encoding) {
    case ENC_INT8:
      return 1;
    case ENC_INT16:
      return 2;
    case ENC_INT24:
      return 3;
    case ENC_INT32:
      return 4;
    case ENC_INT64:
      return 8;
    default:
      return encoding >= ENC_IMMEDIATE_MIN && encoding <= ENC_IMMEDIATE_MAX ? 0 : -1;
  }
}

/**
 * zipEntrySafe: reads the entry at `pos` into the entry* variables, checking that its header and
 * data end by `end` (the terminator's position). Throws on anything out of range or unknown.
 */
function readEntry(blob: Uint8Array, pos: number, end: number): void {
  const outOfRange = (): Error => new Error(`ziplist entry at ${pos} runs past the end`);
  let cursor = pos;
  if ((blob[cursor] as number) < PREVLEN_BIG) {
    entryPrevlen = blob[cursor] as number;
    cursor += 1;
  } else {
    if (cursor + 5 > end) throw outOfRange();
    entryPrevlen = readUInt32LE(blob, cursor + 1);
    cursor += 5;
  }
  if (cursor >= end) throw outOfRange();
  const encoding = blob[cursor] as number;
  entryValue = undefined;
  if (encoding < 0xc0) {
    const kind = encoding >>> 6;
    if (kind === 0) {
      entryDataSize = encoding & 0x3f;
      cursor += 1;
    } else if (kind === 1) {
      if (cursor + 2 > end) throw outOfRange();
      entryDataSize = ((encoding & 0x3f) << 8) | (blob[cursor + 1] as number);
      cursor += 2;
    } else {
      // 10xxxxxx: ZIP_ENTRY_ENCODING masks string encodings to their top two bits, so Redis reads
      // any of 0x80-0xBF as the 32-bit form.
      if (cursor + 5 > end) throw outOfRange();
      entryDataSize =
        (((blob[cursor + 1] as number) << 24) |
          ((blob[cursor + 2] as number) << 16) |
          ((blob[cursor + 3] as number) << 8) |
          (blob[cursor + 4] as number)) >>>
        0;
      cursor += 5;
    }
  } else {
    const size = integerDataSize(encoding);
    if (size < 0) {
      throw new Error(`ziplist entry at ${pos} has unknown encoding 0x${encoding.toString(16)}`);
    }
    entryDataSize = size;
    cursor += 1;
  }
  entryHeaderSize = cursor - pos;
  if (cursor + entryDataSize > end) throw outOfRange();
  if (encoding >= 0xc0) entryValue = integerAt(blob, cursor, encoding);
}

function readUInt32LE(blob: Uint8Array, pos: number): number {
  return (
    ((blob[pos] as number) |
      ((blob[pos + 1] as number) << 8) |
      ((blob[pos + 2] as number) << 16) |
      ((blob[pos + 3] as number) << 24)) >>>
    0
  );
}

/** The integer of an entry whose data starts at `pos`. */
function integerAt(blob: Uint8Array, pos: number, encoding: number): number | bigint {
  if (encoding === ENC_INT64) return readInt64LE(blob, pos);
  if (encoding >= ENC_IMMEDIATE_MIN && encoding <= ENC_IMMEDIATE_MAX) {
    return encoding - ENC_IMMEDIATE_MIN;
  }
  const size = integerDataSize(encoding);
  let bits = 0;
  for (let index = size - 1; index >= 0; index--) bits = bits * 256 + (blob[pos + index] as number);
  const limit = 2 ** (size * 8 - 1);
  return bits >= limit ? bits - 2 * limit : bits;
}

/**
 * Every element of a ziplist, as bytes (integers as decimal text). Throws Error('<reason>') on
 * anything ziplistValidateIntegrity(deep=1) rejects.
 */
export function decodeZiplist(blob: Uint8Array): Buffer[] {
  const size = blob.length;
  if (size < HEADER_SIZE + 1) throw new Error(`ziplist of ${size} bytes is shorter than a header`);
  const total = readUInt32LE(blob, 0);
  if (total !== size) throw new Error(`ziplist header says ${total} bytes, blob has ${size}`);
  const end = size - 1;
  if (blob[end] !== END) throw new Error('ziplist does not end with 0xFF');
  const tail = readUInt32LE(blob, 4);
  if (tail > end) throw new Error(`ziplist tail offset ${tail} is past the end`);
  const declared = (blob[8] as number) | ((blob[9] as number) << 8);
  const elements: Buffer[] = [];
  let pos = HEADER_SIZE;
  let previousSize = 0;
  let last = -1;
  while (blob[pos] !== END) {
    readEntry(blob, pos, end);
    if (entryPrevlen !== previousSize) {
      throw new Error(
        `ziplist entry at ${pos} has prevlen ${entryPrevlen}, expected ${previousSize}`,
      );
    }
    const dataStart = pos + entryHeaderSize;
    elements.push(
      entryValue === undefined
        ? Buffer.from(blob.subarray(dataStart, dataStart + entryDataSize))
        : Buffer.from(String(entryValue), 'latin1'),
    );
    previousSize = entryHeaderSize + entryDataSize;
    last = pos;
    pos += previousSize;
  }
  if (pos !== end)
    throw new Error(`ziplist entries end at ${pos}, before the terminator at ${end}`);
  if (last !== -1 && last !== tail) {
    throw new Error(`ziplist tail offset ${tail} is not the last entry (${last})`);
  }
  if (declared !== COUNT_UNKNOWN && declared !== elements.length) {
    throw new Error(`ziplist header says ${declared} entries, found ${elements.length}`);
  }
  return elements;
}
