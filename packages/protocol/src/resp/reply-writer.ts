/**
 * The server's side of RESP output: encodes replies into one growing buffer per client, which the
 * server hands to the socket once per event (every reply of a pipeline in one write).
 *
 * Headers are ASCII written byte by byte straight into the buffer, with no intermediate strings.
 * Memory is a slab: take() returns a view of the pending bytes and later writes continue after
 * it, so handed-out bytes are never overwritten and nothing is copied. A slab that runs out is
 * replaced, never reused; a slab that grew for a big reply is dropped at the next take(), so the
 * writer shrinks back to its initial size after each flush.
 *
 * RESP3 types are downgraded for RESP2 clients as Redis 7.0 does (networking.c): maps become flat
 * arrays, sets and pushes arrays, doubles and big numbers bulk strings, booleans integers, verbatim
 * strings bulk strings, and both nulls become `$-1` or `*-1`.
 */
import { assert } from '@replisim/base';
import { formatDouble } from './format-double.js';

/** The RESP version a client speaks; HELLO switches it. */
export type ProtocolVersion = 2 | 3;

const REPLY_BYTES_INITIAL = 16 * 1024;

/** Room for a type byte, a sign, 20 digits and CRLF. */
const HEADER_BYTES_MAX = 24;

/** Bodies up to this size are copied byte by byte: cheaper than a native copy or encode call. */
const COPY_LOOP_BYTES_MAX = 16;
const ASCII_LOOP_CHARS_MAX = 64;

const CR = 0x0d;
const LF = 0x0a;
const CRLF_LINE = /[\r\n]/;
const CRLF_ALL = /[\r\n]/g;
const BIG_NUMBER = /^-?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class ReplyWriter {
  /** Starts as RESP2, like every new Redis connection. */
  protocol: ProtocolVersion = 2;
  private readonly slabBytes: number;
  private slab: Buffer;
  /** First byte not yet taken. */
  private start = 0;
  /** Next byte to write. */
  private pos = 0;

  constructor(initialBytes: number = REPLY_BYTES_INITIAL) {
    assert(Number.isSafeInteger(initialBytes), 'initialBytes must be an integer');
    assert(initialBytes >= HEADER_BYTES_MAX, 'initialBytes must hold at least one header');
    this.slabBytes = initialBytes;
    this.slab = Buffer.allocUnsafe(initialBytes);
  }

  /** `+text`. Status texts come from the server, not from clients: they cannot hold CR or LF. */
  simple(text: string): void {
    // Short ASCII texts (+OK, +QUEUED, ...) are copied and checked in one pass.
    const length = text.length;
    if (length <= ASCII_LOOP_CHARS_MAX) {
      this.reserve(length + 3);
      const slab = this.slab;
      let pos = this.pos;
      slab[pos++] = 0x2b;
      let i = 0;
      for (; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80 || code === CR || code === LF) break;
        slab[pos++] = code;
      }
      if (i === length) {
        slab[pos++] = CR;
        slab[pos++] = LF;
        this.pos = pos;
        return;
      }
    }
    assert(!CRLF_LINE.test(text), 'a simple string cannot contain CR or LF');
    this.line(0x2b, text);
  }

  /** `-text`, where text starts with the error code. CR and LF become spaces, as in Redis. */
  error(text: string): void {
    this.line(0x2d, CRLF_LINE.test(text) ? text.replace(CRLF_ALL, ' ') : text);
  }

  integer(n: number | bigint): void {
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      this.header(0x3a, n);
      return;
    }
    const value = typeof n === 'bigint' ? n : BigInt(n);
    assert(value >= INT64_MIN && value <= INT64_MAX, 'a RESP integer is a signed 64-bit value');
    this.line(0x3a, value.toString());
  }

  bulk(value: Buffer | string): void {
    if (typeof value === 'string') {
      this.bulkString(value);
      return;
    }
    const length = value.length;
    this.reserve(HEADER_BYTES_MAX + length + 2);
    this.header(0x24, length);
    const slab = this.slab;
    let pos = this.pos;
    if (length <= COPY_LOOP_BYTES_MAX) {
      for (let i = 0; i < length; i++) slab[pos++] = value[i] ?? 0;
    } else {
      slab.set(value, pos);
      pos += length;
    }
    slab[pos++] = CR;
    slab[pos++] = LF;
    this.pos = pos;
  }

  nullBulk(): void {
    if (this.protocol === 3) this.ascii('_\r\n');
    else this.ascii('$-1\r\n');
  }

  nullArray(): void {
    if (this.protocol === 3) this.ascii('_\r\n');
    else this.ascii('*-1\r\n');
  }

  arrayHeader(length: number): void {
    this.header(0x2a, length);
  }

  /** RESP3 `%pairs`; RESP2 an array of 2 * pairs elements, keys and values interleaved. */
  mapHeader(pairs: number): void {
    if (this.protocol === 3) this.header(0x25, pairs);
    else this.header(0x2a, pairs * 2);
  }

  setHeader(length: number): void {
    this.header(this.protocol === 3 ? 0x7e : 0x2a, length);
  }

  pushHeader(length: number): void {
    this.header(this.protocol === 3 ? 0x3e : 0x2a, length);
  }

  /** RESP3 `,<%.17g>`; RESP2 the same text as a bulk string (see format-double.ts). */
  double(value: number): void {
    if (this.protocol === 3) this.line(0x2c, formatDouble(value));
    else this.bulkString(formatDouble(value));
  }

  boolean(value: boolean): void {
    if (this.protocol === 3) this.ascii(value ? '#t\r\n' : '#f\r\n');
    else this.ascii(value ? ':1\r\n' : ':0\r\n');
  }

  /** RESP3 `=len\r\nfmt:text`, with a three-byte format (`txt`, `mkd`); RESP2 a bulk string. */
  verbatim(text: string, format = 'txt'): void {
    if (this.protocol === 2) {
      this.bulkString(text);
      return;
    }
    assert(Buffer.byteLength(format) === 3, 'a verbatim format is three bytes');
    this.bulkString(`${format}:${text}`, 0x3d);
  }

  /** RESP3 `(digits`; RESP2 a bulk string, as Redis's addReplyBigNum. */
  bigNumber(digits: string): void {
    assert(BIG_NUMBER.test(digits), 'a big number is an optional minus and digits');
    if (this.protocol === 3) this.line(0x28, digits);
    else this.bulkString(digits);
  }

  /** Bytes that are already RESP (a cached reply, a proxied stream). */
  raw(bytes: Buffer): void {
    this.reserve(bytes.length);
    this.slab.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  bytesPending(): number {
    return this.pos - this.start;
  }

  /**
   * Drops what was written after bytesPending() returned `pendingBytes` (CLIENT REPLY OFF/SKIP
   * silencing a command's reply). Bytes already taken stay sent.
   */
  discardFrom(pendingBytes: number): void {
    assert(pendingBytes >= 0, 'a pending count is never negative');
    this.pos = Math.max(this.start, Math.min(this.pos, this.start + pendingBytes));
  }

  /**
   * Returns the pending bytes and forgets them, or null when there are none. The view stays valid
   * for good: later writes go past it or into a new slab.
   */
  take(): Buffer | null {
    if (this.pos === this.start) return null;
    const taken = this.slab.subarray(this.start, this.pos);
    if (this.slab.length > this.slabBytes || this.slab.length - this.pos < HEADER_BYTES_MAX) {
      this.slab = Buffer.allocUnsafe(this.slabBytes);
      this.pos = 0;
    }
    this.start = this.pos;
    return taken;
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding helpers
  // ---------------------------------------------------------------------------------------------

  /** `<type><n>\r\n` for a non-negative safe integer, or a negative one for `:`. */
  private header(type: number, n: number): void {
    assert(Number.isSafeInteger(n), 'a header carries an integer');
    assert(n >= 0 || type === 0x3a, 'only integer replies are negative');
    this.reserve(HEADER_BYTES_MAX);
    const slab = this.slab;
    let pos = this.pos;
    slab[pos++] = type;
    let value = n;
    if (value < 0) {
      slab[pos++] = 0x2d;
      value = -value;
    }
    if (value < 10) {
      slab[pos++] = 0x30 + value;
    } else {
      let digits = 1;
      for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
      for (let at = pos + digits - 1; at >= pos; at--) {
        slab[at] = 0x30 + (value % 10);
        value = Math.floor(value / 10);
      }
      pos += digits;
    }
    slab[pos++] = CR;
    slab[pos++] = LF;
    this.pos = pos;
  }

  /** `<type><text>\r\n`, text as a byte string (see `text`). */
  private line(type: number, text: string): void {
    this.reserve(text.length + 3);
    this.slab[this.pos++] = type;
    this.text(text);
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /**
   * Writes text as a byte string: each char is one byte (latin1), the convention the server uses for
   * everything that came from a client (keys, arguments quoted back in errors), so bytes >= 0x80
   * round-trip exactly. Short ASCII text (most replies) is copied without a native call.
   */
  private text(text: string): void {
    const slab = this.slab;
    const start = this.pos;
    if (text.length <= ASCII_LOOP_CHARS_MAX) {
      let pos = start;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) {
          pos = -1;
          break;
        }
        slab[pos++] = code;
      }
      if (pos >= 0) {
        this.pos = pos;
        return;
      }
    }
    this.pos = start + slab.write(text, start, 'latin1');
  }

  /** `$len\r\ntext\r\n` (or another blob type), text as a byte string (see `text`). */
  private bulkString(text: string, type = 0x24): void {
    const length = text.length;
    this.reserve(HEADER_BYTES_MAX + length + 2);
    this.header(type, length);
    this.text(text);
    this.slab[this.pos++] = CR;
    this.slab[this.pos++] = LF;
  }

  /** A short constant ASCII reply. */
  private ascii(text: string): void {
    this.reserve(text.length);
    this.text(text);
  }

  /** Makes room for `bytes` more bytes, moving pending bytes to a new, bigger slab if needed. */
  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.slab.length) return;
    const pending = this.pos - this.start;
    const capacity = Math.max(this.slabBytes, 2 * (pending + bytes));
    const slab = Buffer.allocUnsafe(capacity);
    this.slab.copy(slab, 0, this.start, this.pos);
    this.slab = slab;
    this.start = 0;
    this.pos = pending;
  }
}
