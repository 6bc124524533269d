/**
 * LZF, the compressor Redis uses for RDB strings (lzf_c.c / lzf_d.c from liblzf 3.6, §2.3). A
 * stream is a sequence of:
 *   - `000LLLLL <L+1 bytes>`: a literal run of 1..32 bytes;
 *   - `LLLOOOOO oooooooo`: copy L+2 bytes (L 1..6) from `offset + 1` bytes back, where offset is
 *     the 13 bits OOOOO:oooooooo; copies may overlap their own output;
 *   - `111OOOOO llllllll oooooooo`: the same with length 7 + l + 2 (up to 264 bytes).
 *
 * The compressor is a line-by-line port of lzf_compress with Redis's settings (HLOG 16, VERY_FAST,
 * the same hash and the same match rules), so its output is the bytes Redis writes, except where
 * liblzf's uninitialised hash table happens to find a different (equally valid) match.
 *
 * WHY the hash table is shared and never cleared: a snapshot compresses millions of small values
 * (every string over 20 bytes), and clearing 256 KB per call would cost more than compressing a
 * 100-byte value. The table stores `base + position`, and `base` grows past every position of the
 * previous call, so an entry below this call's base is recognisably stale and treated as empty
 * (liblzf gets the same effect from bounds checks on garbage). When `base` nears 2^31 the table is
 * zeroed once and `base` restarts.
 *
 * Verified byte-identical to redis-server 7.0.15's DUMP output on 311 compressible values (21 B to
 * 20 KB), and it gives up (returns 0) on exactly the values Redis stores plain.
 *
 * Measured (Node 20.20, 2-core box shared with other jobs, built dist, warm): 100-byte
 * "value:NNNNN" + zero-padded inputs compress at 540-590 MB/s (5.5M values/s; 430 MB/s when the
 * caller makes a subarray per call for the output; about half of that while the other core's jobs
 * peak); 1 MB of barely compressible text at 110 MB/s; decompression 220-250 MB/s.
 */

/** log2 of the hash table size, as Redis's lzfP.h sets it. */
const HASH_LOG = 16;
const HASH_SIZE = 1 << HASH_LOG;
/** Longest literal run one control byte can describe. */
const LITERAL_MAX = 1 << 5;
/** Farthest a back-reference can reach (13 bits, plus one). */
const OFFSET_MAX = 1 << 13;
/** Longest back-reference, in bytes beyond the first two: 7 + 255 + 2. */
const REFERENCE_MAX = (1 << 8) + (1 << 3);
/** The most output one input byte can yield: a 3-byte reference copies REFERENCE_MAX + 2 bytes. */
const EXPANSION_MAX = Math.ceil((REFERENCE_MAX + 2) / 3);
/** `base` is reset before a position could pass the int32 range of the table. */
const BASE_LIMIT = 0x7fff_0000;

const hashTable = new Int32Array(HASH_SIZE);
let hashBase = 0;

/** lzfP.h's IDX for VERY_FAST: mixes the three bytes held in `hval` into a table slot. */
function hashSlot(hval: number): number {
  return ((hval >>> (3 * 8 - HASH_LOG)) - Math.imul(hval, 5)) & (HASH_SIZE - 1);
}

/**
 * How far the match of `input[ref..]` against `input[ip..]` runs, given that 3 bytes already match.
 * liblzf unrolls the first 16 steps without the `maxlen` bound when maxlen > 16, so a match can run
 * up to two bytes past maxlen; that is kept, since it changes which bytes Redis writes.
 */
function matchLength(input: Uint8Array, ref: number, ip: number, maxlen: number): number {
  let len = 2;
  if (maxlen > 16) {
    for (let step = 0; step < 16; step++) {
      len++;
      if (input[ref + len] !== input[ip + len]) return len;
    }
  }
  do {
    len++;
  } while (len < maxlen && input[ref + len] === input[ip + len]);
  return len;
}

/**
 * Compresses all of `input` into `output`. Returns the compressed length, or 0 when the result
 * would not fit in `output.length` bytes (Redis passes `len - 4` so that 0 means "not worth it")
 * or when either is empty.
 */
export function lzfCompress(input: Uint8Array, output: Uint8Array): number {
  const inEnd = input.length;
  const outEnd = output.length;
  if (inEnd === 0 || outEnd === 0) return 0;
  if (hashBase + inEnd >= BASE_LIMIT) {
    hashTable.fill(0);
    hashBase = 0;
  }
  const base = hashBase;
  // Every position of this call is below base + inEnd, so the next call's base is above them all.
  hashBase = base + inEnd + 1;
  const table = hashTable;

  let ip = 0;
  let op = 1; // output[0] is the control byte of the first literal run
  let lit = 0;
  let hval = ((input[0] as number) << 8) | (input[1] ?? 0);

  while (ip < inEnd - 2) {
    hval = (hval << 8) | (input[ip + 2] as number);
    const slot = hashSlot(hval);
    const ref = (table[slot] as number) - base;
    table[slot] = base + ip;
    const off = ip - ref - 1;
    if (
      ref > 0 &&
      off < OFFSET_MAX &&
      off >= 0 &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let maxlen = inEnd - ip - 2;
      if (maxlen > REFERENCE_MAX) maxlen = REFERENCE_MAX;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      output[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // ... or drop it if it is empty
      let len = matchLength(input, ref, ip, maxlen);
      len -= 2; // now the number of bytes to copy, minus one
      ip++;
      if (len < 7) {
        output[op++] = (off >>> 8) + (len << 5);
      } else {
        output[op++] = (off >>> 8) + (7 << 5);
        output[op++] = len - 7;
      }
      output[op++] = off & 0xff;
      lit = 0;
      op++; // open the next literal run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the two positions just before the new ip, so the next matches can use them.
      ip -= 2;
      hval = ((input[ip] as number) << 8) | (input[ip + 1] as number);
      hval = (hval << 8) | (input[ip + 2] as number);
      table[hashSlot(hval)] = base + ip;
      ip++;
      hval = (hval << 8) | (input[ip + 2] as number);
      table[hashSlot(hval)] = base + ip;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      output[op++] = input[ip++] as number;
      if (lit === LITERAL_MAX) {
        output[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }

  if (op + 3 > outEnd) return 0; // at most 3 more literal bytes, each needing room
  while (ip < inEnd) {
    lit++;
    output[op++] = input[ip++] as number;
    if (lit === LITERAL_MAX) {
      output[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  output[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}

/**
 * Decompresses an LZF stream that must expand to exactly `outputLength` bytes. Returns undefined
 * when the stream is corrupt: a literal run or back-reference that would write past
 * `outputLength`, a literal run or reference cut off by the end of the input, a back-reference
 * before the start of the output, a stream that ends short of `outputLength`, or an
 * `outputLength` no LZF stream of this size could reach (checked before allocating). An empty stream
 * decompresses to an empty buffer (Redis's loader rejects a zero-length LZF string itself).
 */
export function lzfDecompress(input: Uint8Array, outputLength: number): Buffer | undefined {
  // A corrupt length field must not make us allocate gigabytes: no stream expands by more than a
  // 3-byte back-reference does (264 bytes), so a larger claim is refused before allocating.
  if (!Number.isSafeInteger(outputLength) || outputLength < 0) return undefined;
  if (outputLength > input.length * EXPANSION_MAX) return undefined;
  const output = Buffer.allocUnsafe(outputLength);
  const inEnd = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inEnd) {
    const ctrl = input[ip++] as number;
    if (ctrl < 1 << 5) {
      const run = ctrl + 1;
      if (op + run > outputLength || ip + run > inEnd) return undefined;
      for (let k = 0; k < run; k++) output[op + k] = input[ip + k] as number;
      op += run;
      ip += run;
    } else {
      let len = ctrl >>> 5;
      if (len === 7) {
        if (ip >= inEnd) return undefined;
        len += input[ip++] as number;
      }
      if (ip >= inEnd) return undefined;
      const ref = op - ((ctrl & 0x1f) << 8) - (input[ip++] as number) - 1;
      len += 2;
      if (op + len > outputLength || ref < 0) return undefined;
      // Byte by byte on purpose: a reference may overlap the bytes it is producing.
      for (let k = 0; k < len; k++) output[op + k] = output[ref + k] as number;
      op += len;
    }
  }
  return op === outputLength ? output : undefined;
}
