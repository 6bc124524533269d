/**
 * RespDecoder: the client side of RESP. Reads RESP2 and RESP3 values from a byte stream that may be
 * split at any byte, as a replica reading its master or a harness client reading a server.
 *
 * It never recurses. Aggregates under construction live on an explicit stack of frames, bounded by
 * nestingDepthMax; a value completes the frame above it, which may complete the one above that.
 * Each call to next() consumes bytes or returns, so it always ends:
 *
 *   line-typed value (+ - : _ , # ()        -> deliver it
 *   blob (`$` `=` `!`) with its body here     -> deliver it
 *   blob whose body is still arriving         -> fill it (see input-buffer.ts), return incomplete
 *   aggregate header (* ~ > % |)              -> push a frame (or deliver an empty aggregate)
 *   deliver: top frame takes the value; when full it pops and is delivered in turn; an attribute
 *            frame, when full, becomes a frame waiting for the one value its entries describe
 *
 * Completed elements are consumed at once, so the buffer only ever holds the element being read.
 * Errors are sticky: the stream cannot be resynchronised, the connection must be closed.
 *
 * The replication handshake mixes RESP with raw bytes (`+FULLRESYNC <id> <offset>\r\n`, then an RDB
 * payload the replica reads by its own rules), so takeBuffered() hands back the unparsed bytes
 * between two values.
 */
import { assert } from '@replisim/base';
import { decodeScalar, LINE_TYPES } from './decode-scalar.js';
import { InputBuffer } from './input-buffer.js';
import { type RespLimits, resolveLimits } from './limits.js';
import { parseLongLong } from './parse-long-long.js';
import { DECODER_ERROR, decoderErrorUnknownType } from './protocol-errors.js';
import type { RespValue } from './value.js';

export type DecodeResult =
  | { kind: 'value'; value: RespValue }
  | { kind: 'incomplete' }
  | { kind: 'error'; message: string };

type AggregateType = 'array' | 'set' | 'push' | 'map' | 'attribute';

/** An aggregate waiting for `remaining` more elements (maps count keys and values). */
interface AggregateFrame {
  kind: 'aggregate';
  type: AggregateType;
  remaining: number;
  items: RespValue[];
}

/** A complete attribute waiting for the value it annotates. */
interface AttributedFrame {
  kind: 'attributed';
  entries: [RespValue, RespValue][];
}

type Frame = AggregateFrame | AttributedFrame;

/** What one step produced: a value, a newly opened frame, or what next() returns as is. */
type Step = DecodeResult | { kind: 'opened' };

const INCOMPLETE: DecodeResult = Object.freeze({ kind: 'incomplete' });
const OPENED: Step = Object.freeze({ kind: 'opened' });
const NULL_VALUE: RespValue = Object.freeze({ kind: 'null' });

const CR = 0x0d;
const LF = 0x0a;
const QUESTION_MARK = 0x3f;
const NO_BLOB = -1;

const AGGREGATE_TYPES: ReadonlyMap<number, AggregateType> = new Map([
  [0x2a, 'array'],
  [0x7e, 'set'],
  [0x3e, 'push'],
  [0x25, 'map'],
  [0x7c, 'attribute'],
] as const);

/** `$` bulk string, `=` verbatim string, `!` blob error. */
const BLOB_TYPES: ReadonlySet<number> = new Set([0x24, 0x3d, 0x21]);

/** findLine results that are not the index of a CR. */
const LINE_MISSING = -1;
const LINE_CUT = -2;
const LINE_BAD = -3;

export class RespDecoder {
  private readonly limits: RespLimits;
  private readonly input: InputBuffer = new InputBuffer();
  private readonly stack: Frame[] = [];
  /** Type byte of the blob whose body is being filled, or NO_BLOB. */
  private blobType = NO_BLOB;
  private failure: DecodeResult | null = null;

  constructor(limits?: Partial<RespLimits>) {
    this.limits = resolveLimits(limits);
  }

  /** Appends bytes. The chunk is kept by reference (bulks are views of it): do not reuse it. */
  feed(chunk: Buffer): void {
    this.input.feed(chunk);
  }

  bufferedBytes(): number {
    return this.input.bufferedBytes();
  }

  /**
   * Removes and returns every unparsed byte, for a caller that switches to raw reading. Only
   * between values: calling it with a value half read is a programmer error.
   */
  takeBuffered(): Buffer {
    assert(this.stack.length === 0, 'takeBuffered inside an aggregate');
    assert(this.blobType === NO_BLOB, 'takeBuffered inside a blob');
    return this.input.takeAll();
  }

  next(): DecodeResult {
    if (this.failure !== null) return this.failure;
    const result = this.nextValue();
    if (result.kind === 'error') this.failure = result;
    if (result.kind === 'incomplete' && this.bufferedBytes() > this.limits.queryBufferBytesMax) {
      this.failure = { kind: 'error', message: DECODER_ERROR.BUFFER_LIMIT };
      return this.failure;
    }
    return result;
  }

  private nextValue(): DecodeResult {
    for (;;) {
      const step = this.nextElement();
      if (step.kind === 'opened') continue;
      if (step.kind !== 'value') return step;
      const done = this.deliver(step.value);
      if (done !== null) return { kind: 'value', value: done };
    }
  }

  /** Reads one element: a scalar, a blob, or an aggregate header. */
  private nextElement(): Step {
    if (this.blobType !== NO_BLOB) return this.nextBlobFilled();
    const input = this.input;
    if (input.start === input.end) return INCOMPLETE;
    const lineStart = input.start;
    const type = input.bytes[lineStart] ?? 0;
    const aggregate = AGGREGATE_TYPES.get(type);
    const blob = BLOB_TYPES.has(type);
    if (aggregate === undefined && !blob && !LINE_TYPES.has(type)) {
      return error(decoderErrorUnknownType(type));
    }
    const cr = findLine(input, this.limits.inlineBytesMax);
    if (cr === LINE_CUT) return INCOMPLETE;
    if (cr === LINE_BAD) return error(DECODER_ERROR.EXPECTED_CRLF);
    if (cr === LINE_MISSING) {
      if (input.end - input.start > this.limits.inlineBytesMax)
        return error(DECODER_ERROR.TOO_BIG_LINE);
      return INCOMPLETE;
    }
    input.consumeTo(cr + 2);
    if (aggregate !== undefined) return this.openAggregate(aggregate, lineStart + 1, cr);
    if (blob) return this.nextBlob(type, lineStart + 1, cr);
    const value = decodeScalar(type, input.bytes, lineStart + 1, cr);
    return typeof value === 'string' ? error(value) : { kind: 'value', value };
  }

  /** Handles `<type><count>` for an aggregate whose header line was `bytes[start, end)`. */
  private openAggregate(type: AggregateType, start: number, end: number): Step {
    const bytes = this.input.bytes;
    if (end - start === 1 && bytes[start] === QUESTION_MARK)
      return error(DECODER_ERROR.STREAMED_TYPE);
    const count = parseLongLong(bytes, start, end);
    if (count === -1 && type === 'array') return { kind: 'value', value: NULL_VALUE };
    if (!(count >= 0 && count <= this.limits.multibulkLengthMax)) {
      return error(DECODER_ERROR.INVALID_LENGTH);
    }
    if (this.stack.length >= this.limits.nestingDepthMax)
      return error(DECODER_ERROR.NESTING_TOO_DEEP);
    const remaining = type === 'map' || type === 'attribute' ? count * 2 : count;
    if (remaining > 0) {
      this.stack.push({ kind: 'aggregate', type, remaining, items: [] });
      return OPENED;
    }
    if (type === 'attribute') {
      this.stack.push({ kind: 'attributed', entries: [] });
      return OPENED;
    }
    return { kind: 'value', value: closeAggregate(type, []) };
  }

  /** Handles a blob header `bytes[start, end)`: the body is either here or starts a fill. */
  private nextBlob(type: number, start: number, end: number): Step {
    const input = this.input;
    const bytes = input.bytes;
    if (end - start === 1 && bytes[start] === QUESTION_MARK)
      return error(DECODER_ERROR.STREAMED_TYPE);
    const length = parseLongLong(bytes, start, end);
    if (length === -1 && type === 0x24) return { kind: 'value', value: NULL_VALUE };
    if (!(length >= 0 && length <= this.limits.bulkBytesMax)) {
      return error(DECODER_ERROR.INVALID_LENGTH);
    }
    if (input.end - input.start < length + 2) {
      input.fillStart(length + 2);
      this.blobType = type;
      return INCOMPLETE;
    }
    const body = bytes.subarray(input.start, input.start + length + 2);
    input.consumeTo(input.start + length + 2);
    return closeBlob(type, body);
  }

  private nextBlobFilled(): Step {
    const body = this.input.fillTake();
    if (body === null) return INCOMPLETE;
    const type = this.blobType;
    this.blobType = NO_BLOB;
    return closeBlob(type, body);
  }

  /**
   * Hands a complete value to the frame on top of the stack, closing every frame it completes.
   * Returns the top-level value once there is one, else null. Bounded by the stack depth.
   */
  private deliver(value: RespValue): RespValue | null {
    let current = value;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) return current;
      if (top.kind === 'attributed') {
        this.stack.pop();
        current = { kind: 'attribute', entries: top.entries, value: current };
        continue;
      }
      top.items.push(current);
      top.remaining--;
      if (top.remaining > 0) return null;
      this.stack.pop();
      if (top.type === 'attribute') {
        this.stack.push({ kind: 'attributed', entries: pairs(top.items) });
        return null;
      }
      current = closeAggregate(top.type, top.items);
    }
  }
}

/**
 * Finds the CR of the line starting at `input.start`, looking at no more than inlineBytesMax + 1
 * bytes. A line must end in CRLF and hold neither CR nor LF. Returns the CR's index, LINE_MISSING
 * (no CR yet), LINE_CUT (CR is the last byte so far) or LINE_BAD. Like the request parser, it
 * remembers how far it searched in vain (input.scanned).
 */
function findLine(input: InputBuffer, inlineBytesMax: number): number {
  const bytes = input.bytes;
  const stop = Math.min(input.end, input.start + inlineBytesMax + 1);
  for (let pos = input.start + input.scanned; pos < stop; pos++) {
    const byte = bytes[pos];
    if (byte === LF) return LINE_BAD;
    if (byte !== CR) continue;
    if (pos + 1 >= input.end) {
      input.scanned = pos - input.start;
      return LINE_CUT;
    }
    return bytes[pos + 1] === LF ? pos : LINE_BAD;
  }
  input.scanned = stop - input.start;
  return LINE_MISSING;
}

/** Builds a blob value from its body plus the CRLF after it. */
function closeBlob(type: number, body: Buffer): Step {
  const length = body.length - 2;
  if (body[length] !== CR || body[length + 1] !== LF) return error(DECODER_ERROR.EXPECTED_CRLF);
  const value = body.subarray(0, length);
  if (type === 0x24) return { kind: 'value', value: { kind: 'bulk', value } };
  if (type === 0x21) return { kind: 'value', value: { kind: 'blobError', value } };
  if (length < 4 || value[3] !== 0x3a) return error(DECODER_ERROR.INVALID_VERBATIM);
  const format = value.toString('latin1', 0, 3);
  return { kind: 'value', value: { kind: 'verbatim', format, value: value.subarray(4) } };
}

function closeAggregate(type: Exclude<AggregateType, 'attribute'>, items: RespValue[]): RespValue {
  switch (type) {
    case 'array':
      return { kind: 'array', items };
    case 'set':
      return { kind: 'set', items };
    case 'push':
      return { kind: 'push', items };
    case 'map':
      return { kind: 'map', entries: pairs(items) };
  }
}

/** [k1, v1, k2, v2, ...] to [[k1, v1], [k2, v2], ...]. */
function pairs(items: RespValue[]): [RespValue, RespValue][] {
  assert(items.length % 2 === 0, 'a map holds keys and values');
  const entries: [RespValue, RespValue][] = [];
  for (let i = 0; i < items.length; i += 2) {
    const key = items[i];
    const value = items[i + 1];
    assert(key !== undefined, 'a key within bounds');
    assert(value !== undefined, 'a value within bounds');
    entries.push([key, value]);
  }
  return entries;
}

function error(message: string): DecodeResult {
  return { kind: 'error', message };
}
