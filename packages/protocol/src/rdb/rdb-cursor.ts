/**
 * The byte-level half of the RDB reader: a cursor over bytes that may be incomplete, with the
 * format's primitive decodings (rdbLoadLenByRef, rdbGenericLoadStringObject, the int and LZF
 * string forms, little-endian integers and doubles).
 *
 * Running out of bytes is not an error here: it throws the ShortRead signal (not an Error, so it
 * is cheap), which the streaming reader catches to roll back to the record start and wait for
 * more input, and which becomes "Unexpected EOF reading RDB file" once the input has ended. Bad
 * bytes throw an RdbError naming the file offset and what the reader was doing (the cursor
 * carries redis-check-rdb's context: phase, key, type).
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
import { lzfDecompress } from './lzf.js';
import { RdbError, type RdbPhase } from './types.js';

/** Thrown when a read needs bytes past the end of the input seen so far. */
export class ShortRead {
  /** Buffer position the read started at, and the position it needed to reach. */
  readonly start: number;
  readonly needed: number;

  constructor(start: number, needed: number) {
    this.start = start;
    this.needed = needed;
  }
}

/** LZF's best case: a 3-byte back-reference that copies 264 bytes. */
const LZF_EXPANSION_MAX = 88;

/** Up to this many bytes, latin1 strings are built in JS rather than by Buffer.toString. */
const SHORT_STRING_BYTES = 16;

/** A length, or the special string encoding a `11xxxxxx` byte selects. */
interface LengthOrEncoding {
  encoded: boolean;
  value: number;
}

export class RdbCursor {
  data: Buffer;
  /** Next byte to read, and the end of the valid bytes, as indexes into `data`. */
  pos: number;
  end: number;
  /** File offset of data[0]. */
  base = 0;
  phase: RdbPhase = 'start';
  key: string | undefined;
  valueType: number | undefined;
  /** Whether the last readBlob() returned a new Buffer rather than a view. */
  fresh = false;
  private readonly scratch: LengthOrEncoding = { encoded: false, value: 0 };

  constructor(data: Buffer, pos = 0, end: number = data.length) {
    this.data = data;
    this.pos = pos;
    this.end = end;
  }

  /** The file offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** An RdbError at the current offset with the cursor's context. */
  corrupt(reason: string, offset: number = this.offset): RdbError {
    return new RdbError(reason, {
      offset,
      phase: this.phase,
      ...(this.key === undefined ? {} : { key: this.key }),
      ...(this.valueType === undefined ? {} : { valueType: this.valueType }),
    });
  }

  /** Throws ShortRead unless `bytes` more bytes are available. */
  need(bytes: number): void {
    if (this.end - this.pos < bytes) throw new ShortRead(this.pos, this.pos + bytes);
  }

  readByte(): number {
    if (this.pos >= this.end) throw new ShortRead(this.pos, this.pos + 1);
    return this.data[this.pos++] as number;
  }

  /** `bytes` bytes as a view into the input (valid until the reader compacts its buffer). */
  readView(bytes: number): Buffer {
    this.need(bytes);
    const view = this.data.subarray(this.pos, this.pos + bytes);
    this.pos += bytes;
    return view;
  }

  readInt64LE(): number {
    this.need(8);
    const value = this.data.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(value);
  }

  readUInt64LE(): bigint {
    this.need(8);
    const value = this.data.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  readInt32LE(): number {
    this.need(4);
    const value = this.data.readInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  readDoubleLE(): number {
    this.need(8);
    const value = this.data.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /**
   * rdbLoadLen: a length. Like Redis, a special-encoding byte here is not refused: its low six
   * bits are taken as the length.
   */
  readLength(): number {
    return this.readLengthOrEncoding().value;
  }

  /** rdbLoadLen as an exact unsigned 64-bit value (module type ids). */
  readLength64(): bigint {
    if (this.pos < this.end && this.data[this.pos] === RDB_64BITLEN) {
      this.pos += 1;
      this.need(8);
      const value = this.data.readBigUInt64BE(this.pos);
      this.pos += 8;
      return value;
    }
    return BigInt(this.readLength());
  }

  /** rdbLoadLenByRef: the result object is reused by the next call. */
  private readLengthOrEncoding(): LengthOrEncoding {
    const result = this.scratch;
    const first = this.readByte();
    const kind = first >> 6;
    result.encoded = false;
    if (kind === RDB_ENCVAL) {
      result.encoded = true;
      result.value = first & 0x3f;
    } else if (kind === 0) {
      result.value = first & 0x3f;
    } else if (kind === 1) {
      result.value = ((first & 0x3f) << 8) | this.readByte();
    } else if (first === RDB_32BITLEN) {
      this.need(4);
      result.value = this.data.readUInt32BE(this.pos);
      this.pos += 4;
    } else if (first === RDB_64BITLEN) {
      this.need(8);
      // Past 2^53 the value is approximate; no input is that long, so it ends as a short read,
      // which is how Redis reports an absurd length too.
      result.value = Number(this.data.readBigUInt64BE(this.pos));
      this.pos += 8;
    } else {
      throw this.corrupt(`Unknown length encoding ${kind} in rdbLoadLen()`);
    }
    return result;
  }

  /**
   * A string's bytes (rdbGenericLoadStringObject). A plain string comes back as a view into the
   * input; int and LZF forms as new Buffers. `fresh` tells which, so callers copy only views.
   */
  readBlob(): Buffer {
    const length = this.readLengthOrEncoding();
    if (!length.encoded) {
      this.fresh = false;
      return this.readView(length.value);
    }
    this.fresh = true;
    switch (length.value) {
      case RDB_ENC_INT8: {
        this.need(1);
        const value = this.data.readInt8(this.pos);
        this.pos += 1;
        return Buffer.from(String(value), 'latin1');
      }
      case RDB_ENC_INT16: {
        this.need(2);
        const value = this.data.readInt16LE(this.pos);
        this.pos += 2;
        return Buffer.from(String(value), 'latin1');
      }
      case RDB_ENC_INT32:
        return Buffer.from(String(this.readInt32LE()), 'latin1');
      case RDB_ENC_LZF:
        return this.readLzf();
      default:
        throw this.corrupt(`Unknown RDB string encoding type ${length.value}`);
    }
  }

  /** A string as a latin1 JS string (keys, fields, members, aux fields). */
  readLatin1(): string {
    const length = this.peekPlainLength();
    if (length >= 0) {
      const data = this.data;
      const start = this.pos;
      const end = start + length;
      this.pos = end;
      if (length > SHORT_STRING_BYTES) return data.toString('latin1', start, end);
      // Short keys are the common case; building them here skips a native call.
      let text = '';
      for (let i = start; i < end; i++) text += String.fromCharCode(data[i] as number);
      return text;
    }
    return this.readBlob().toString('latin1');
  }

  /** A string as a Buffer the caller owns. */
  readBuffer(): Buffer {
    const length = this.peekPlainLength();
    if (length >= 0) {
      const copy = Buffer.allocUnsafe(length);
      this.data.copy(copy, 0, this.pos, this.pos + length);
      this.pos += length;
      return copy;
    }
    const blob = this.readBlob();
    return this.fresh ? blob : Buffer.from(blob);
  }

  /**
   * The fast path for the common case: a plain string with a 6- or 14-bit length whose bytes are
   * all here. Consumes the length and returns it; otherwise consumes nothing and returns -1.
   */
  private peekPlainLength(): number {
    const data = this.data;
    const pos = this.pos;
    if (pos >= this.end) return -1;
    const first = data[pos] as number;
    const kind = first >> 6;
    if (kind === 0) {
      if (this.end - pos - 1 < first) return -1;
      this.pos = pos + 1;
      return first;
    }
    if (kind === 1 && pos + 1 < this.end) {
      const length = ((first & 0x3f) << 8) | (data[pos + 1] as number);
      if (this.end - pos - 2 < length) return -1;
      this.pos = pos + 2;
      return length;
    }
    return -1;
  }

  /** rdbLoadLzfStringObject: <len compressed> <len uncompressed> <compressed bytes>. */
  private readLzf(): Buffer {
    const compressedLength = this.readLength();
    const length = this.readLength();
    const compressed = this.readView(compressedLength);
    // A damaged length must not become a huge allocation: LZF cannot expand data more than this.
    if (length === 0 || length > compressedLength * LZF_EXPANSION_MAX) {
      throw this.corrupt('Invalid LZF compressed string');
    }
    const bytes = lzfDecompress(compressed, length);
    if (bytes === undefined) throw this.corrupt('Invalid LZF compressed string');
    return bytes;
  }
}
