/**
 * The byte-level half of the RDB writer: a growing buffer with the format's primitive encodings
 * (lengths, strings, little-endian integers and doubles), shared by the file writer, the
 * out-of-order key records of a forkless BGSAVE and DUMP payloads.
 *
 * WHY one reusable buffer with direct byte writes: a snapshot is millions of small items, and a
 * Buffer per item plus a concat per key costs more than the encoding itself. Strings are written
 * in place (latin1Write for latin1 keys, copy for Buffers); only LZF needs scratch space, which is
 * kept between calls too.
 *
 * The string rule is rdbSaveRawString's (§2.3): a canonical decimal integer of at most 11 bytes
 * that fits int32 is written as INT8/16/32; otherwise, with compression on and more than 20 bytes,
 * LZF is tried into an output of len - 4 bytes (rdbSaveLzfStringObject: "we require at least four
 * bytes compression"), and used if lzf_compress fits it; otherwise the plain length + bytes.
 */
import {
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT8,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from './constants.js';
import { lzfCompress } from './lzf.js';
import type { RdbBytes } from './types.js';

const INITIAL_BYTES = 64 * 1024;
const DETACHED_BYTES_MAX = 4 * 1024 * 1024;
/** rdbSaveRawString tries integer encoding only up to this many bytes. */
const INT_ENCODING_BYTES_MAX = 11;
/** ...and LZF only above this many ("under 20 bytes it's unable to compress even aaaa..."). */
const LZF_BYTES_MIN_EXCLUSIVE = 20;
/** rdbSaveLzfStringObject gives lzf_compress an output of len - 4 bytes. */
const LZF_SAVING_BYTES_MIN = 4;
/** Up to this many bytes, latin1 strings are copied in JS rather than by Buffer.write. */
const SHORT_STRING_BYTES = 16;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export class RdbOutput {
  /** Bytes [0, length) are the encoded output. */
  buffer: Buffer;
  length = 0;
  private lzfInput: Buffer = Buffer.allocUnsafe(0);
  private lzfOutput: Buffer = Buffer.allocUnsafe(0);

  /** A file writer starts big; a one-off payload can start small (it grows by doubling). */
  constructor(initialBytes: number = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Hands over the output written so far (no copy) and starts a fresh buffer. */
  detach(): Buffer {
    const output = this.buffer.subarray(0, this.length);
    // Keep the size the writer grew to, but not the size of one exceptionally big value.
    this.buffer = Buffer.allocUnsafe(Math.min(this.buffer.length, DETACHED_BYTES_MAX));
    this.length = 0;
    return output;
  }

  /** A copy of bytes [start, end). */
  copyOut(start = 0, end: number = this.length): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    this.buffer.copy(out, 0, start, end);
    return out;
  }

  writeByte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit big-endian or 64-bit big-endian. */
  writeLength(value: number): void {
    this.reserve(9);
    const buffer = this.buffer;
    if (value < 1 << 6) {
      buffer[this.length++] = value;
    } else if (value < 1 << 14) {
      buffer[this.length++] = (value >> 8) | 0x40;
      buffer[this.length++] = value & 0xff;
    } else if (value <= 0xffffffff) {
      buffer[this.length++] = RDB_32BITLEN;
      buffer.writeUInt32BE(value, this.length);
      this.length += 4;
    } else {
      buffer[this.length++] = RDB_64BITLEN;
      buffer.writeBigUInt64BE(BigInt(value), this.length);
      this.length += 8;
    }
  }

  /** rdbSaveLen of a full uint64 (stream IDs, counters); -1 is written as 2^64 - 1, as in C. */
  writeLengthBig(value: bigint): void {
    const unsigned = value < 0n ? value + (1n << 64n) : value;
    if (unsigned <= 0xffffffffn) {
      this.writeLength(Number(unsigned));
      return;
    }
    this.reserve(9);
    this.buffer[this.length++] = RDB_64BITLEN;
    this.buffer.writeBigUInt64BE(unsigned, this.length);
    this.length += 8;
  }

  /** An int64 in 8 little-endian bytes (EXPIRETIME_MS). */
  writeInt64LE(value: number): void {
    this.reserve(8);
    this.buffer.writeBigInt64LE(BigInt(value), this.length);
    this.length += 8;
  }

  /** An IEEE 754 double in 8 little-endian bytes (rdbSaveBinaryDoubleValue). */
  writeDoubleLE(value: number): void {
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** rdbSaveRawString: integer encoding, else LZF (if `compression`), else length + bytes. */
  writeString(bytes: RdbBytes, compression: boolean): void {
    const length = bytes.length;
    if (length <= INT_ENCODING_BYTES_MAX && length > 0) {
      const value =
        typeof bytes === 'string' ? canonicalInt32OfString(bytes) : canonicalInt32OfBuffer(bytes);
      if (value !== undefined) {
        this.writeInt(value);
        return;
      }
    }
    if (compression && length > LZF_BYTES_MIN_EXCLUSIVE && this.tryLzf(bytes)) return;
    this.writeLength(length);
    this.reserve(length);
    const buffer = this.buffer;
    if (typeof bytes !== 'string') {
      buffer.set(bytes, this.length);
    } else if (length <= SHORT_STRING_BYTES) {
      // Short keys are the common case; a JS loop beats the native call for them.
      for (let i = 0, at = this.length; i < length; i++) buffer[at + i] = bytes.charCodeAt(i);
    } else {
      buffer.write(bytes, this.length, length, 'latin1');
    }
    this.length += length;
  }

  /** An LZF blob with its lengths (rdbSaveLzfBlob), for bytes already compressed elsewhere. */
  writeLzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.writeByte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.writeLength(compressed.length);
    this.writeLength(originalLength);
    this.writeBytes(compressed);
  }

  /** rdbEncodeInteger: the smallest of INT8, INT16, INT32 (little-endian). */
  private writeInt(value: number): void {
    this.reserve(5);
    const buffer = this.buffer;
    if (value >= -128 && value <= 127) {
      buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      buffer.writeInt8(value, this.length);
      this.length += 1;
    } else if (value >= -32768 && value <= 32767) {
      buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      buffer.writeInt16LE(value, this.length);
      this.length += 2;
    } else {
      buffer[this.length++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      buffer.writeInt32LE(value, this.length);
      this.length += 4;
    }
  }

  /** rdbSaveLzfStringObject: writes the LZF form if it saves at least 4 bytes; else nothing. */
  private tryLzf(bytes: RdbBytes): boolean {
    const length = bytes.length;
    let input: Uint8Array;
    if (typeof bytes === 'string') {
      if (this.lzfInput.length < length) this.lzfInput = Buffer.allocUnsafe(length * 2);
      this.lzfInput.write(bytes, 0, length, 'latin1');
      input = this.lzfInput.subarray(0, length);
    } else {
      input = bytes;
    }
    const outputLength = length - LZF_SAVING_BYTES_MIN;
    if (this.lzfOutput.length < outputLength) this.lzfOutput = Buffer.allocUnsafe(length * 2);
    const compressedLength = lzfCompress(input, this.lzfOutput.subarray(0, outputLength));
    if (compressedLength === 0) return false;
    this.writeLzfBlob(this.lzfOutput.subarray(0, compressedLength), length);
    return true;
  }
}

/**
 * rdbTryIntegerEncoding's test: the bytes are exactly what ll2string prints for their value (no
 * sign other than a leading '-', no leading zeros, no "-0") and the value fits int32.
 */
export function canonicalInt32OfString(text: string): number | undefined {
  const length = text.length;
  let index = 0;
  let negative = false;
  if (text.charCodeAt(0) === 0x2d) {
    negative = true;
    index = 1;
    if (length === 1) return undefined;
  }
  const first = text.charCodeAt(index);
  if (first === 0x30) return length === 1 ? 0 : undefined;
  let value = 0;
  for (; index < length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  if (negative) value = -value;
  return value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}

export function canonicalInt32OfBuffer(bytes: Uint8Array): number | undefined {
  const length = bytes.length;
  let index = 0;
  let negative = false;
  if (bytes[0] === 0x2d) {
    negative = true;
    index = 1;
    if (length === 1) return undefined;
  }
  const first = bytes[index];
  if (first === 0x30) return length === 1 ? 0 : undefined;
  let value = 0;
  for (; index < length; index++) {
    const digit = (bytes[index] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  if (negative) value = -value;
  return value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}
