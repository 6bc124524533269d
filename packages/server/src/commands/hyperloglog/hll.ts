/**
 * The HyperLogLog data structure, a port of Redis 7.0's hyperloglog.c byte for byte: an HLL is an
 * ordinary string value, so GET, DUMP, RDB files, DEBUG DIGEST and replication all see its bytes,
 * and every byte must be the one Redis would write.
 *
 * Layout (16-byte header, then registers):
 *
 *     +------+---+-----+----------+
 *     | HYLL | E | N/U | Cardin.  |   E: 0 dense, 1 sparse; N/U: three zero bytes;
 *     +------+---+-----+----------+   Cardin.: cached count, 64-bit little endian, MSB of the
 *                                     last byte set = cache invalid.
 *
 * Dense: 16384 six-bit registers packed from the least significant bit of each byte (12288 bytes).
 * Sparse: run-length opcodes ZERO `00xxxxxx` (1..64 zero registers), XZERO `01xxxxxx yyyyyyyy`
 * (1..16384 zero registers), VAL `1vvvvvxx` (value 1..32 repeated 1..4 times). A sparse HLL turns
 * dense when a register needs a value above 32 or when it would grow past hll-sparse-max-bytes.
 *
 * The count is Redis 5+'s estimator (Ertl, "New cardinality estimation algorithms for
 * HyperLogLog sketches", arXiv:1702.01284) over the register histogram. Elements hash with
 * MurmurHash64A, seed 0xadc83b19.
 *
 * Functions here are pure over Buffers: a change returns the new bytes and the command stores
 * them (the keyspace never sees a Buffer change under it, which a running BGSAVE relies on).
 */
import { assert } from '@replisim/base';

export const HLL_P = 14;
export const HLL_Q: number = 64 - HLL_P;
export const HLL_REGISTERS: number = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
export const HLL_REGISTER_MAX: number = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE: number = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const ENCODING_OFFSET = 4;
const CARD_OFFSET = 8;
const CARD_LAST = 15;

const SPARSE_XZERO_BIT = 0x40;
const SPARSE_VAL_BIT = 0x80;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
/** 0.5/ln(2), the estimator's alpha for m -> infinity. */
const HLL_ALPHA_INF = 0.7213475204444817;
const MURMUR_SEED = 0xadc83b19n;

// ---------------------------------------------------------------------------------------------
// Sparse opcodes.

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXzero = (op: number): boolean => (op & 0xc0) === SPARSE_XZERO_BIT;
const isVal = (op: number): boolean => (op & SPARSE_VAL_BIT) !== 0;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (value: number, len: number): number =>
  (((value - 1) << 2) | (len - 1) | SPARSE_VAL_BIT) & 0xff;

function pushZeros(seq: number[], len: number): void {
  if (len > SPARSE_ZERO_MAX_LEN) {
    seq.push(((len - 1) >> 8) | SPARSE_XZERO_BIT, (len - 1) & 0xff);
  } else {
    seq.push(len - 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Hashing.

const M64 = 0xc6a4a7935bd1e995n;
const MASK64 = 0xffffffffffffffffn;

/** MurmurHash64A as Redis's (endian-neutral: 8-byte blocks read little endian). */
export function murmurHash64A(data: Buffer, seed: bigint): bigint {
  const len = data.length;
  let h = (seed ^ ((BigInt(len) * M64) & MASK64)) & MASK64;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = data.readBigUInt64LE(i);
    k = (k * M64) & MASK64;
    k ^= k >> 47n;
    k = (k * M64) & MASK64;
    h ^= k;
    h = (h * M64) & MASK64;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[blocks + j] ?? 0) << BigInt(8 * j);
    h = (h * M64) & MASK64;
  }
  h ^= h >> 47n;
  h = (h * M64) & MASK64;
  h ^= h >> 47n;
  return h;
}

/** hllPatLen: the register an element falls in and the length of its 000..1 pattern (1..51). */
export function patternOf(element: Buffer): { index: number; count: number } {
  let hash = murmurHash64A(element, MURMUR_SEED);
  const index = Number(hash & BigInt(HLL_P_MASK));
  hash >>= BigInt(HLL_P);
  hash |= 1n << BigInt(HLL_Q);
  // Count trailing zeros of the remaining 51 bits, plus one.
  let low = Number(hash & 0xffffffffn);
  let count = 1;
  if (low === 0) {
    count += 32;
    low = Number(hash >> 32n);
  }
  while ((low & 1) === 0) {
    count++;
    low >>>= 1;
  }
  return { index, count };
}

// ---------------------------------------------------------------------------------------------
// Header and validation.

/** isHLLObjectOrReply's checks (after the type check): magic, encoding, dense length. */
export function isValidHll(bytes: Buffer): boolean {
  if (bytes.length < HLL_HDR_SIZE) return false;
  if (bytes[0] !== 0x48 || bytes[1] !== 0x59 || bytes[2] !== 0x4c || bytes[3] !== 0x4c) {
    return false;
  }
  const encoding = bytes[ENCODING_OFFSET] ?? 0xff;
  if (encoding > HLL_MAX_ENCODING) return false;
  return !(encoding === HLL_DENSE && bytes.length !== HLL_DENSE_SIZE);
}

export function encodingOf(bytes: Buffer): number {
  const encoding = bytes[ENCODING_OFFSET];
  assert(encoding !== undefined, 'HLL header');
  return encoding;
}

/** createHLLObject: an empty sparse HLL (one XZERO:16384), cached count 0 and valid. */
export function createHll(): Buffer {
  const sparseLen =
    HLL_HDR_SIZE +
    Math.floor((HLL_REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
  const bytes = Buffer.alloc(sparseLen);
  bytes.write('HYLL', 0, 'latin1');
  bytes[ENCODING_OFFSET] = HLL_SPARSE;
  let position = HLL_HDR_SIZE;
  let remaining = HLL_REGISTERS;
  while (remaining > 0) {
    const run = Math.min(SPARSE_XZERO_MAX_LEN, remaining);
    bytes[position] = ((run - 1) >> 8) | SPARSE_XZERO_BIT;
    bytes[position + 1] = (run - 1) & 0xff;
    position += 2;
    remaining -= run;
  }
  assert(position === sparseLen, 'createHll fills the sparse representation exactly');
  return bytes;
}

export function invalidateCache(bytes: Buffer): void {
  bytes[CARD_LAST] = (bytes[CARD_LAST] ?? 0) | 0x80;
}

export function cachedCount(bytes: Buffer): number | undefined {
  if (((bytes[CARD_LAST] ?? 0) & 0x80) !== 0) return undefined;
  return Number(bytes.readBigUInt64LE(CARD_OFFSET));
}

export function storeCachedCount(bytes: Buffer, count: number): void {
  bytes.writeBigUInt64LE(BigInt(count), CARD_OFFSET);
}

// ---------------------------------------------------------------------------------------------
// Dense registers (offsets relative to the start of the whole string).

export function denseGet(bytes: Buffer, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const b0 = bytes[byte] ?? 0;
  // The last register reads the byte past the end (sds's terminating zero in Redis).
  const b1 = bytes[byte + 1] ?? 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

function denseSetRaw(bytes: Buffer, regnum: number, value: number): void {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  bytes[byte] = ((bytes[byte] ?? 0) & ~(HLL_REGISTER_MAX << fb) & 0xff) | ((value << fb) & 0xff);
  if (byte + 1 < bytes.length) {
    bytes[byte + 1] = ((bytes[byte + 1] ?? 0) & ~(HLL_REGISTER_MAX >> fb8)) | (value >> fb8);
  }
}

/** hllDenseSet: raises register `index` to `count`; 1 if it changed. Mutates `bytes`. */
export function denseSet(bytes: Buffer, index: number, count: number): 0 | 1 {
  if (count <= denseGet(bytes, index)) return 0;
  denseSetRaw(bytes, index, count);
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Sparse to dense, sparse set.

/** hllSparseToDense: the dense copy of a sparse HLL (same header), or undefined if corrupt. */
export function sparseToDense(sparse: Buffer): Buffer | undefined {
  if (encodingOf(sparse) === HLL_DENSE) return sparse;
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  sparse.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[ENCODING_OFFSET] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < sparse.length) {
    const op = sparse[p] ?? 0;
    if (isZero(op)) {
      idx += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      idx += xzeroLen(op, sparse[p + 1] ?? 0);
      p += 2;
    } else {
      let runlen = valLen(op);
      const regval = valValue(op);
      // A run past the last register is corrupt (7.0.15 fails here, even when idx is 16384).
      if (runlen + idx > HLL_REGISTERS) return undefined;
      while (runlen-- > 0) denseSetRaw(dense, idx++, regval);
      p++;
    }
  }
  return idx === HLL_REGISTERS ? dense : undefined;
}

export interface SetResult {
  /** 1 changed, 0 unchanged, -1 corrupt (Redis's hllSparseSet return values). */
  readonly result: 1 | 0 | -1;
  readonly bytes: Buffer;
}

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, splitting the opcode that
 * covers it and merging equal neighbouring VALs; promotes to dense when `count` exceeds 32 or the
 * result would pass `maxBytes` (hll-sparse-max-bytes).
 */
export function sparseSet(hll: Buffer, index: number, count: number, maxBytes: number): SetResult {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(hll, index, count);
  // Room for the largest growth (3 bytes), as sdsMakeRoomFor(o->ptr, 3).
  const work = Buffer.alloc(hll.length + 3);
  hll.copy(work);
  let end = hll.length;
  const sparse = HLL_HDR_SIZE;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  // Step 1: the opcode that covers `index`.
  while (p < end) {
    const op = work[p] ?? 0;
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(op, work[p + 1] ?? 0);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return { result: -1, bytes: hll };
  const op = work[p] ?? 0;
  let next = isXzero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const runlen = isZero(op)
    ? zeroLen(op)
    : isXzero(op)
      ? xzeroLen(op, work[p + 1] ?? 0)
      : valLen(op);
  // Step 2: the cases that need no split.
  let updated = false;
  if (isVal(op)) {
    if (valValue(op) >= count) return { result: 0, bytes: hll };
    if (runlen === 1) {
      work[p] = valOp(count, 1);
      updated = true;
    }
  }
  if (!updated && isZero(op) && runlen === 1) {
    work[p] = valOp(count, 1);
    updated = true;
  }
  if (!updated) {
    // Step 3: split into up to three opcodes.
    const seq: number[] = [];
    const last = first + span - 1;
    if (isZero(op) || isXzero(op)) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const current = valValue(op);
      if (index !== first) seq.push(valOp(current, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(current, last - index));
    }
    const oldLen = isXzero(op) ? 2 : 1;
    const delta = seq.length - oldLen;
    if (delta > 0 && end + delta > maxBytes) return promote(hll, index, count);
    if (delta !== 0 && next !== -1) work.copyWithin(next + delta, next, end);
    end += delta;
    for (let i = 0; i < seq.length; i++) work[p + i] = seq[i] ?? 0;
  }
  // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from prev.
  p = prev === -1 ? sparse : prev;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const here = work[p] ?? 0;
    if (isXzero(here)) {
      p += 2;
      continue;
    }
    if (isZero(here)) {
      p++;
      continue;
    }
    const right = work[p + 1] ?? 0;
    if (p + 1 < end && isVal(right) && valValue(here) === valValue(right)) {
      const len = valLen(here) + valLen(right);
      if (len <= SPARSE_VAL_MAX_LEN) {
        work[p + 1] = valOp(valValue(here), len);
        work.copyWithin(p, p + 1, end);
        end--;
        continue;
      }
    }
    p++;
  }
  const bytes = Buffer.from(work.subarray(0, end));
  invalidateCache(bytes);
  return { result: 1, bytes };
}

function promote(hll: Buffer, index: number, count: number): SetResult {
  const dense = sparseToDense(hll);
  if (dense === undefined) return { result: -1, bytes: hll };
  const changed = denseSet(dense, index, count);
  assert(changed === 1, 'a promoted register always changes');
  return { result: 1, bytes: dense };
}

/** hllAdd: adds one element; returns the new bytes (a copy) and whether a register changed. */
export function addElement(hll: Buffer, element: Buffer, maxBytes: number): SetResult {
  const { index, count } = patternOf(element);
  if (encodingOf(hll) === HLL_DENSE) {
    const result = denseSet(hll, index, count);
    return { result, bytes: hll };
  }
  return sparseSet(hll, index, count, maxBytes);
}

// ---------------------------------------------------------------------------------------------
// Counting and merging.

function registerHistogram(hll: Buffer): { histogram: number[]; invalid: boolean } {
  const histogram = new Array<number>(64).fill(0);
  if (encodingOf(hll) === HLL_DENSE) {
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const reg = denseGet(hll, j);
      histogram[reg] = (histogram[reg] ?? 0) + 1;
    }
    return { histogram, invalid: false };
  }
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < hll.length) {
    const op = hll[p] ?? 0;
    if (isZero(op)) {
      const run = zeroLen(op);
      idx += run;
      histogram[0] = (histogram[0] ?? 0) + run;
      p++;
    } else if (isXzero(op)) {
      const run = xzeroLen(op, hll[p + 1] ?? 0);
      idx += run;
      histogram[0] = (histogram[0] ?? 0) + run;
      p += 2;
    } else {
      const run = valLen(op);
      const value = valValue(op);
      idx += run;
      histogram[value] = (histogram[value] ?? 0) + run;
      p++;
    }
  }
  return { histogram, invalid: idx !== HLL_REGISTERS };
}

function hllSigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let zPrime: number;
  let v = x;
  do {
    v *= v;
    zPrime = z;
    z += v * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1.0;
  let z = 1 - x;
  let zPrime: number;
  let v = x;
  do {
    v = Math.sqrt(v);
    zPrime = z;
    y *= 0.5;
    const d = 1 - v;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** hllCount over a register histogram (64 buckets). */
export function countFromHistogram(histogram: readonly number[]): number {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - (histogram[HLL_Q + 1] ?? 0)) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histogram[j] ?? 0;
    z *= 0.5;
  }
  z += m * hllSigma((histogram[0] ?? 0) / m);
  // llroundl: halves away from zero; the estimate is positive.
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}

/** The estimated cardinality of one HLL, or undefined for a corrupt sparse one. */
export function countOf(hll: Buffer): number | undefined {
  const { histogram, invalid } = registerHistogram(hll);
  return invalid ? undefined : countFromHistogram(histogram);
}

/** The estimate of raw registers (one byte each): PFCOUNT over several keys. */
export function countRaw(registers: Uint8Array): number {
  const histogram = new Array<number>(64).fill(0);
  for (const reg of registers) histogram[reg] = (histogram[reg] ?? 0) + 1;
  return countFromHistogram(histogram);
}

/** hllMerge: raises `max` (one byte per register) to `hll`'s registers; false if corrupt. */
export function mergeInto(max: Uint8Array, hll: Buffer): boolean {
  if (encodingOf(hll) === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseGet(hll, i);
      if (value > (max[i] ?? 0)) max[i] = value;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < hll.length) {
    const op = hll[p] ?? 0;
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      i += xzeroLen(op, hll[p + 1] ?? 0);
      p += 2;
    } else {
      let runlen = valLen(op);
      const value = valValue(op);
      if (runlen + i > HLL_REGISTERS) return false;
      while (runlen-- > 0) {
        if (value > (max[i] ?? 0)) max[i] = value;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text: `z:N`, `Z:N`, `v:value,len` separated by spaces. */
export function decodeSparse(hll: Buffer): string {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < hll.length) {
    const op = hll[p] ?? 0;
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXzero(op)) {
      parts.push(`Z:${xzeroLen(op, hll[p + 1] ?? 0)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}
