/**
 * The server's side of RESP: turns a client's bytes into commands exactly as Redis 7.0's
 * networking.c does (processInputBuffer, processMultibulkBuffer, processInlineBuffer).
 *
 * A request starting with '*' is multibulk: `*<count>\r\n`, then `count` times
 * `$<len>\r\n<bytes>\r\n`. Anything else is an inline request: one line ending in \n (an \r before
 * it is dropped) split by splitArgs. Requests that carry no command are skipped, as in Redis: a
 * count <= 0 (`*0`, `*-1`, any valid negative number) and an empty or blank inline line.
 *
 * Redis's quirks are kept on purpose, because a client that works against Redis must work here:
 * - Lines are found by their '\r' (multibulk) or '\n' (inline). The byte after a '\r' is skipped
 *   unread, and so are the two bytes after a bulk body: `$3\r\nfooXY` is accepted as "foo".
 * - Redis looks for line ends with strchr, which stops at a NUL byte: a line with a NUL before its
 *   end never completes and ends up "too big" once more than inlineBytesMax bytes wait.
 * - Numbers follow string2ll (see parse-long-long.ts), so `*01`, `*+1`, `*-0` and `$ 3` are errors.
 * - A count or length line that is too long is "too big mbulk count string" or "too big bulk count
 *   string", not "too big inline request": those are the texts 7.0.15 sends.
 *
 * Limits are chunk-independent. Redis refuses a line once more than PROTO_INLINE_MAX_SIZE bytes
 * wait without its terminator, so its outcome depends on how reads split the input; here a line is
 * refused when its terminator is not among its first inlineBytesMax + 1 bytes, which is what Redis
 * does when bytes arrive one at a time (the strictest split). The query buffer limit is checked
 * only when the parser waits for more bytes: then every buffered byte belongs to the pending
 * request, which Redis would also hold in its query buffer. A server must check `bufferedBytes()`
 * itself for clients it stops parsing (blocked clients), as readQueryFromClient does on each read.
 *
 * Returned arguments are zero-copy views of the fed chunks (or of the parser's own buffers): a
 * server that keeps one beyond the command (as a key or value) should copy it, or it pins the whole
 * chunk. After an error the parser stays failed and returns the same error; the connection must be
 * closed.
 */
import { assert } from '@replisim/base';
import { InputBuffer, viewOf } from './input-buffer.js';
import { type RespLimits, resolveLimits } from './limits.js';
import { parseLongLong } from './parse-long-long.js';
import {
  PROTOCOL_ERROR,
  protocolErrorExpectedDollar,
  QUERY_BUFFER_LIMIT_MESSAGE,
} from './protocol-errors.js';
import { splitArgs } from './split-args.js';

/**
 * - command: one request; `argv` is never empty.
 * - incomplete: the buffered bytes hold no complete request yet; feed more.
 * - error: a protocol error, text without "-ERR " (see protocol-errors.ts); answer it and close.
 *   QUERY_BUFFER_LIMIT_MESSAGE is the one to close on without an answer, as Redis does.
 */
export type ParseResult =
  | { kind: 'command'; argv: Buffer[] }
  | { kind: 'incomplete' }
  | { kind: 'error'; message: string };

const INCOMPLETE: ParseResult = Object.freeze({ kind: 'incomplete' });

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const ASTERISK = 0x2a;
const DOLLAR = 0x24;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;

/** Digits the fast path reads: any 15-digit number is exact in a double. */
const FAST_DIGITS_MAX = 15;

/** Limits Redis applies to clients that still have to authenticate (authRequired in server.c). */
const UNAUTHENTICATED_MULTIBULK_LENGTH_MAX = 10;
const UNAUTHENTICATED_BULK_BYTES_MAX = 16384;

/** Returned by a step to say "no line yet": the caller decides between incomplete and too big. */
const LINE_MISSING = -1;

export class RequestParser {
  /**
   * Set while the client still has to AUTH (Redis's authRequired): multibulk counts above 10 and
   * bulk lengths above 16384 are then protocol errors, as in Redis 7.0.
   */
  authRequired = false;
  private readonly limits: RespLimits;
  private readonly input: InputBuffer = new InputBuffer();
  /** Arguments of a multibulk request read so far; null between requests. */
  private argv: Buffer[] | null = null;
  /** Redis's multibulklen: arguments still to read for `argv`. */
  private argsRemaining = 0;
  /** Where the count or length line just read ends (its CR). */
  private lineCr = 0;
  private failure: ParseResult | null = null;

  constructor(limits?: Partial<RespLimits>) {
    this.limits = resolveLimits(limits);
  }

  /** Appends bytes. The chunk is kept by reference (arguments are views of it): do not reuse it. */
  feed(chunk: Buffer): void {
    this.input.feed(chunk);
  }

  /** Unparsed bytes, including a partly received bulk: Redis's qbuf in CLIENT LIST. */
  bufferedBytes(): number {
    return this.input.bufferedBytes();
  }

  /** Parses the next request from the buffered bytes. */
  next(): ParseResult {
    if (this.failure !== null) return this.failure;
    const result = this.nextRequest();
    if (result.kind === 'error') this.failure = result;
    if (result.kind === 'incomplete' && this.bufferedBytes() > this.limits.queryBufferBytesMax) {
      this.failure = { kind: 'error', message: QUERY_BUFFER_LIMIT_MESSAGE };
      return this.failure;
    }
    return result;
  }

  /** Each turn of the loop consumes bytes or returns, so the loop ends. */
  private nextRequest(): ParseResult {
    for (;;) {
      if (this.argv !== null) return this.nextArguments(this.argv);
      const input = this.input;
      if (input.start === input.end) return INCOMPLETE;
      const result =
        input.bytes[input.start] === ASTERISK ? this.nextMultibulkHeader() : this.nextInline();
      if (result !== null) return result;
    }
  }

  /** Reads `*<count>\r\n`. Returns null when the request is skipped (count <= 0) or started. */
  private nextMultibulkHeader(): ParseResult | null {
    const input = this.input;
    let count = this.fastNumber(input.bytes, input.start, input.end);
    if (count < 0) {
      const cr = findLineEnd(input, CR, this.limits.inlineBytesMax);
      if (cr === LINE_MISSING) return this.lineMissing(PROTOCOL_ERROR.TOO_BIG_MBULK_COUNT_STRING);
      if (cr + 1 >= input.end) return INCOMPLETE;
      count = parseLongLong(input.bytes, input.start + 1, cr);
      this.lineCr = cr;
    }
    if (!(count <= this.limits.multibulkLengthMax)) {
      return error(PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH);
    }
    if (this.authRequired && count > UNAUTHENTICATED_MULTIBULK_LENGTH_MAX) {
      return error(PROTOCOL_ERROR.UNAUTHENTICATED_MULTIBULK_LENGTH);
    }
    input.consumeTo(this.lineCr + 2);
    if (count <= 0) return null;
    this.argv = [];
    this.argsRemaining = count;
    return null;
  }

  /** Reads bulk arguments until the request is complete or the bytes run out. */
  private nextArguments(argv: Buffer[]): ParseResult {
    const input = this.input;
    while (this.argsRemaining > 0) {
      if (input.fillActive()) {
        const filled = input.fillTake();
        if (filled === null) return INCOMPLETE;
        argv.push(viewOf(filled, 0, filled.length - 2));
        this.argsRemaining--;
        continue;
      }
      const length = this.nextBulkLength();
      if (typeof length !== 'number') return length;
      const bytesNeeded = length + 2;
      if (input.end - input.start < bytesNeeded) {
        input.fillStart(bytesNeeded);
        return INCOMPLETE;
      }
      argv.push(input.view(input.start, input.start + length));
      input.consumeTo(input.start + bytesNeeded);
      this.argsRemaining--;
    }
    this.argv = null;
    return { kind: 'command', argv };
  }

  /** Reads `$<len>\r\n` and returns len, or what to return instead (incomplete or an error). */
  private nextBulkLength(): number | ParseResult {
    const input = this.input;
    const lineStart = input.start;
    let length = -1;
    if (input.bytes[lineStart] === DOLLAR)
      length = this.fastNumber(input.bytes, lineStart, input.end);
    if (length < 0) {
      const cr = findLineEnd(input, CR, this.limits.inlineBytesMax);
      if (cr === LINE_MISSING) return this.lineMissing(PROTOCOL_ERROR.TOO_BIG_BULK_COUNT_STRING);
      if (cr + 1 >= input.end) return INCOMPLETE;
      const first = input.bytes[lineStart] ?? NUL;
      if (first !== DOLLAR) return error(protocolErrorExpectedDollar(first));
      length = parseLongLong(input.bytes, lineStart + 1, cr);
      this.lineCr = cr;
    }
    if (!(length >= 0 && length <= this.limits.bulkBytesMax)) {
      return error(PROTOCOL_ERROR.INVALID_BULK_LENGTH);
    }
    if (this.authRequired && length > UNAUTHENTICATED_BULK_BYTES_MAX) {
      return error(PROTOCOL_ERROR.UNAUTHENTICATED_BULK_LENGTH);
    }
    input.consumeTo(this.lineCr + 2);
    return length;
  }

  /**
   * The fast path for the count and length lines clients actually send: after the type byte, a
   * lone 0 or 1 to 15 digits without a leading zero, then CR and at least one more byte. Returns
   * the number and sets lineCr, or -1 to take the general path. On every line it accepts, the
   * general path (findLineEnd, then parseLongLong) gives the same number, so it changes no outcome.
   */
  private fastNumber(bytes: Buffer, lineStart: number, end: number): number {
    const first = bytes[lineStart + 1] ?? NUL;
    if (first === DIGIT_0) {
      if (lineStart + 3 >= end || bytes[lineStart + 2] !== CR) return -1;
      this.lineCr = lineStart + 2;
      return 0;
    }
    if (first < DIGIT_1 || first > DIGIT_9) return -1;
    const last = Math.min(end - 1, lineStart + FAST_DIGITS_MAX + 2);
    let value = 0;
    for (let pos = lineStart + 1; pos < last; pos++) {
      const byte = bytes[pos] ?? NUL;
      if (byte === CR) {
        this.lineCr = pos;
        return value;
      }
      if (byte < DIGIT_0 || byte > DIGIT_9) return -1;
      value = value * 10 + (byte - DIGIT_0);
    }
    return -1;
  }

  /** Reads one inline line. Returns null when the line is blank (Redis skips it). */
  private nextInline(): ParseResult | null {
    const input = this.input;
    const lineStart = input.start;
    const lf = findLineEnd(input, LF, this.limits.inlineBytesMax);
    if (lf === LINE_MISSING) return this.lineMissing(PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST);
    const lineEnd = lf > lineStart && input.bytes[lf - 1] === CR ? lf - 1 : lf;
    const argv = splitArgs(input.bytes, lineStart, lineEnd);
    if (argv === null) return error(PROTOCOL_ERROR.UNBALANCED_QUOTES);
    input.consumeTo(lf + 1);
    if (argv.length === 0) return null;
    return { kind: 'command', argv };
  }

  /** No terminator among the first inlineBytesMax + 1 bytes: too big once that many wait. */
  private lineMissing(tooBig: string): ParseResult {
    const input = this.input;
    return input.end - input.start > this.limits.inlineBytesMax ? error(tooBig) : INCOMPLETE;
  }
}

/**
 * Finds `terminator` from `input.start` the way strchr does (a NUL byte ends the search), looking
 * at no more than inlineBytesMax + 1 bytes. Returns its index or LINE_MISSING. Bytes searched in
 * vain are remembered (input.scanned), so a line arriving byte by byte is searched once, not once
 * per byte.
 */
function findLineEnd(input: InputBuffer, terminator: number, inlineBytesMax: number): number {
  const bytes = input.bytes;
  const stop = Math.min(input.end, input.start + inlineBytesMax + 1);
  for (let pos = input.start + input.scanned; pos < stop; pos++) {
    const byte = bytes[pos];
    if (byte === terminator) return pos;
    if (byte === NUL) {
      input.scanned = pos - input.start;
      return LINE_MISSING;
    }
  }
  input.scanned = stop - input.start;
  return LINE_MISSING;
}

function error(message: string): ParseResult {
  assert(message.startsWith('Protocol error: '), 'protocol errors carry their prefix');
  return { kind: 'error', message };
}
