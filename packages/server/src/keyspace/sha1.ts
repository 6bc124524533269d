/**
 * SHA-1 (FIPS 180-4) in plain JavaScript, for DEBUG DIGEST (digest.ts) only.
 *
 * Why not node:crypto: DEBUG DIGEST hashes many tiny inputs (about seven SHA-1s of under 64 bytes
 * per string key), and `createHash('sha1').update(x).digest()` costs about 2 µs each for the Hash
 * object, the native call and the result Buffer: the harness's convergence and stream-prefix
 * samples made it the largest single item of a simulated run's profile, with the garbage it left.
 * This version writes the padded message into one reusable block buffer, keeps the schedule in one
 * reusable Int32Array and writes the 20 bytes into the caller's buffer: no allocation, about
 * 0.3 µs per short input. Long inputs (NATIVE_FROM_BYTES and more) still go to node:crypto, whose
 * native loop is faster once its per-call cost is spread. The output is the standard SHA-1
 * (sha1.test.ts compares it with node:crypto on random inputs of every padding length), so digests
 * stay byte-identical to Redis's.
 *
 * Not reentrant (module-level scratch), which is fine: a node's code runs to completion on one
 * thread, and each worker thread has its own module instance.
 */

import { createHash } from 'node:crypto';

export const SHA1_BYTES = 20;
/**
 * From this many bytes node:crypto is faster (its per-call cost is paid once, then its native
 * loop wins: about 2.5x on 4 KB); below it this file's loop is (measured on this machine: the
 * same speed near 256 bytes, 2-4x faster for keys, types and the 20-byte digests).
 */
const NATIVE_FROM_BYTES = 512;
/** SHA-1 works on 64-byte blocks; the padded message ends with the bit length in 8 bytes. */
const BLOCK_BYTES = 64;
const LENGTH_FIELD_BYTES = 8;
/** The block buffer starts at this size and doubles as longer inputs arrive. */
const SCRATCH_BYTES_INITIAL = 4096;
/** 2^29: the bit length of `n` bytes is n * 8, split here into high and low 32-bit words. */
const BYTES_PER_HIGH_WORD = 0x2000_0000;

let scratch = new Uint8Array(SCRATCH_BYTES_INITIAL);
const schedule = new Int32Array(80);

/** The padded message's length for `length` bytes: data, 0x80, zeros, 8-byte bit length. */
function paddedLength(length: number): number {
  return Math.ceil((length + 1 + LENGTH_FIELD_BYTES) / BLOCK_BYTES) * BLOCK_BYTES;
}

/** Room for a padded message of `length` bytes in the scratch buffer. */
function scratchFor(length: number): Uint8Array {
  const needed = paddedLength(length);
  if (scratch.length < needed) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  return scratch;
}

/** SHA-1 of `data`, written into `out[0..20)`. `out` may be `data` itself. */
export function sha1Into(data: Uint8Array, out: Uint8Array): void {
  if (data.length >= NATIVE_FROM_BYTES) {
    out.set(createHash('sha1').update(data).digest());
    return;
  }
  const block = scratchFor(data.length);
  block.set(data, 0);
  hashScratch(data.length, out);
}

/** SHA-1 of `text` as latin1 bytes (one byte per UTF-16 code unit, its low 8 bits). */
export function sha1Latin1Into(text: string, out: Uint8Array): void {
  const block = scratchFor(text.length);
  for (let i = 0; i < text.length; i++) block[i] = text.charCodeAt(i);
  hashScratch(text.length, out);
}

/** SHA-1 of the 4 bytes of `value` in network order (Redis's htonl'd type and db numbers). */
export function sha1Uint32Into(value: number, out: Uint8Array): void {
  const block = scratchFor(4);
  putWord(block, 0, value);
  hashScratch(4, out);
}

/** Pads the `length` message bytes already in the scratch buffer, hashes them into `out`. */
function hashScratch(length: number, out: Uint8Array): void {
  const block = scratch;
  const total = paddedLength(length);
  block[length] = 0x80;
  block.fill(0, length + 1, total - LENGTH_FIELD_BYTES);
  putWord(block, total - 8, Math.floor(length / BYTES_PER_HIGH_WORD));
  putWord(block, total - 4, (length * 8) >>> 0);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let offset = 0; offset < total; offset += BLOCK_BYTES) {
    const w = expandBlock(block, offset);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let i = 0;
    // Four rounds of 20 steps, each with its own function and constant (K as signed 32 bits).
    for (; i < 20; i++) {
      const t = (rotl5(a) + ((b & c) | (~b & d)) + e + word(w, i) + 0x5a827999) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 40; i++) {
      const t = (rotl5(a) + (b ^ c ^ d) + e + word(w, i) + 0x6ed9eba1) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 60; i++) {
      const t = (rotl5(a) + ((b & c) | (b & d) | (c & d)) + e + word(w, i) - 0x70e44324) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    for (; i < 80; i++) {
      const t = (rotl5(a) + (b ^ c ^ d) + e + word(w, i) - 0x359d3e2a) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  putWord(out, 0, h0);
  putWord(out, 4, h1);
  putWord(out, 8, h2);
  putWord(out, 12, h3);
  putWord(out, 16, h4);
}

/** The 80-word message schedule of the block at `offset`. */
function expandBlock(block: Uint8Array, offset: number): Int32Array {
  const w = schedule;
  for (let i = 0, j = offset; i < 16; i++, j += 4) {
    w[i] =
      (byte(block, j) << 24) |
      (byte(block, j + 1) << 16) |
      (byte(block, j + 2) << 8) |
      byte(block, j + 3);
  }
  for (let i = 16; i < 80; i++) {
    const x = word(w, i - 3) ^ word(w, i - 8) ^ word(w, i - 14) ^ word(w, i - 16);
    w[i] = (x << 1) | (x >>> 31);
  }
  return w;
}

function rotl5(x: number): number {
  return (x << 5) | (x >>> 27);
}

/** Typed-array reads inside bounds the loops establish (the `as` only narrows the index type). */
function byte(bytes: Uint8Array, index: number): number {
  return bytes[index] as number;
}

function word(words: Int32Array, index: number): number {
  return words[index] as number;
}

function putWord(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}
