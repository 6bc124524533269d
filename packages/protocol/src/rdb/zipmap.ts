/**
 * Zipmaps (zipmap.c), read only: Redis up to 2.4 wrote small hashes as one (RDB type 9, HASH_ZIPMAP);
 * 7.0 still loads them and converts. Layout:
 *
 *   <zmlen: 1 byte, pairs if < 254, else "count them"> (<len> field <len> <free> value <free bytes>)* FF
 *   len = 1 byte if < 254, else FE followed by a u32 (host order; little-endian on every machine that
 *   wrote one we can read)
 *
 * `free` is slack left after a value shrank in place; it is skipped. Decoding applies
 * zipmapValidateIntegrity with deep=1, which is looser than one might expect and is copied as is:
 * each length and entry must end inside the blob, there must be at least one pair, and zmlen must
 * match the count unless it is 254 (ZIPMAP_BIGLEN).
 */

const BIGLEN = 254;
const END = 0xff;

/** zipmapGetEncodedLengthSize: 1 for a short length, 5 otherwise (0xFF included, as in C). */
function lengthSize(byte: number): number {
  return byte < BIGLEN ? 1 : 5;
}

/** zipmapDecodeLength at `pos` (the caller has checked that its bytes are inside the blob). */
function lengthAt(blob: Uint8Array, pos: number): number {
  const first = blob[pos] as number;
  if (first < BIGLEN) return first;
  return (
    ((blob[pos + 1] as number) |
      ((blob[pos + 2] as number) << 8) |
      ((blob[pos + 3] as number) << 16) |
      ((blob[pos + 4] as number) << 24)) >>>
    0
  );
}

/**
 * The fields and values of a zipmap, flattened: [field1, value1, field2, value2, ...]. Throws
 * Error('<reason>') on what zipmapValidateIntegrity(deep=1) rejects.
 */
export function decodeZipmap(blob: Uint8Array): Buffer[] {
  const size = blob.length;
  if (size < 2) throw new Error(`zipmap of ${size} bytes is too short`);
  const last = size - 1;
  if (blob[last] !== END) throw new Error('zipmap does not end with 0xFF');
  // OUT_OF_RANGE in zipmap.c: a position before byte 2 or past the terminator.
  const check = (pos: number): void => {
    if (pos < 2 || pos > last) throw new Error(`zipmap entry runs past the end (at ${pos})`);
  };
  const items: Buffer[] = [];
  let pos = 1;
  while (blob[pos] !== END) {
    const fieldLengthSize = lengthSize(blob[pos] as number);
    check(pos + fieldLengthSize);
    const fieldLength = lengthAt(blob, pos);
    const fieldStart = pos + fieldLengthSize;
    pos = fieldStart + fieldLength;
    check(pos);
    const valueLengthSize = lengthSize(blob[pos] as number);
    check(pos + valueLengthSize);
    const valueLength = lengthAt(blob, pos);
    pos += valueLengthSize;
    const free = blob[pos] as number;
    const valueStart = pos + 1;
    pos = valueStart + valueLength + free;
    check(pos);
    items.push(
      Buffer.from(blob.subarray(fieldStart, fieldStart + fieldLength)),
      Buffer.from(blob.subarray(valueStart, valueStart + valueLength)),
    );
  }
  const pairs = items.length / 2;
  if (pairs === 0) throw new Error('zipmap is empty');
  const declared = blob[0] as number;
  if (declared !== BIGLEN && declared !== pairs) {
    throw new Error(`zipmap header says ${declared} pairs, found ${pairs}`);
  }
  return items;
}
