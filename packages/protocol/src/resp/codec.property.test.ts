/**
 * Property tests for the whole codec. Goal: the readers give the same answer however the stream is
 * cut, the encoders and readers agree, and no input can make a reader throw or spin. Method:
 * fast-check generates values, commands and hostile byte streams; every stream is fed whole, in
 * random chunks, and one byte at a time.
 *
 * (a) encodeValue then RespDecoder gives the value back (RESP3: every kind; RESP2: the RESP2 kinds,
 *     and RESP3 values come back in the downgraded form Redis 7.0 sends to RESP2 clients).
 * (b) encodeCommand of binary argv, pipelined, parsed by RequestParser gives the argv back.
 * (c) random and mutated streams never make RequestParser or RespDecoder throw, every call returns,
 *     errors are sticky, and the results (other than "incomplete") do not depend on the chunking.
 * (d) ReplyWriter output, taken at random points, decodes to the values written.
 *
 * Runs are bounded (200-400 each) so the package's tests stay within a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RespDecoder } from './decoder.js';
import { encodeCommand, encodeValue } from './encoder.js';
import { formatDouble } from './format-double.js';
import type { RespLimits } from './limits.js';
import { type ProtocolVersion, ReplyWriter } from './reply-writer.js';
import { RequestParser } from './request-parser.js';
import type { RespValue } from './value.js';

// -------------------------------------------------------------------------------------------------
// Chunking
// -------------------------------------------------------------------------------------------------

/** How a stream is cut: whole, one byte at a time, or at random positions. */
type Cutting = { kind: 'whole' } | { kind: 'bytes' } | { kind: 'random'; cuts: number[] };

const cuttingArb: fc.Arbitrary<Cutting> = fc.oneof(
  fc.constant<Cutting>({ kind: 'whole' }),
  fc.constant<Cutting>({ kind: 'bytes' }),
  fc.array(fc.nat(), { maxLength: 12 }).map((cuts): Cutting => ({ kind: 'random', cuts })),
);

function chunksOf(bytes: Buffer, cutting: Cutting): Buffer[] {
  if (cutting.kind === 'whole') return [bytes];
  if (cutting.kind === 'bytes') return [...bytes].map((byte) => Buffer.from([byte]));
  const positions = [...new Set(cutting.cuts.map((cut) => cut % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let from = 0;
  for (const position of [...positions, bytes.length]) {
    chunks.push(bytes.subarray(from, position));
    from = position;
  }
  return chunks;
}

// -------------------------------------------------------------------------------------------------
// Running a reader over a whole stream
// -------------------------------------------------------------------------------------------------

/** A reader's results, "incomplete" left out; the last one may be an error. */
type Outcome = (string | RespValue)[];

interface Reader<T> {
  feed(chunk: Buffer): void;
  next(): { kind: 'incomplete' } | { kind: 'error'; message: string } | T;
}

/**
 * Feeds every chunk and drains the reader after each, with a call budget: a reader that returned
 * neither "incomplete" nor an error within it would be spinning. Stops at the first error, after
 * checking that the error is sticky.
 */
function run<T extends { kind: string }>(
  reader: Reader<T>,
  chunks: Buffer[],
  take: (result: T) => string | RespValue,
): { outcome: Outcome; failed: boolean } {
  const outcome: Outcome = [];
  const totalBytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  let budget = totalBytes + chunks.length + 8;
  for (const chunk of chunks) {
    reader.feed(chunk);
    for (;;) {
      budget--;
      if (budget < 0) throw new Error('reader returned more results than the bytes allow');
      const result = reader.next();
      if (result.kind === 'incomplete') break;
      if (result.kind === 'error' && 'message' in result) {
        outcome.push(`error: ${result.message}`);
        expect(reader.next()).toBe(result);
        return { outcome, failed: true };
      }
      outcome.push(take(result as T));
    }
  }
  return { outcome, failed: false };
}

function parseStream(bytes: Buffer, cutting: Cutting, limits?: Partial<RespLimits>): Outcome {
  const parser = new RequestParser(limits);
  const take = (result: { kind: 'command'; argv: Buffer[] }): string =>
    result.argv.map((arg) => arg.toString('hex')).join(' ');
  return run(parser, chunksOf(bytes, cutting), take).outcome;
}

function decodeStream(bytes: Buffer, cutting: Cutting, limits?: Partial<RespLimits>): Outcome {
  const decoder = new RespDecoder(limits);
  const take = (result: { kind: 'value'; value: RespValue }): RespValue => result.value;
  return run(decoder, chunksOf(bytes, cutting), take).outcome;
}

// -------------------------------------------------------------------------------------------------
// Values
// -------------------------------------------------------------------------------------------------

/** Status and error texts are byte strings: one char per byte (latin1), as the codec treats them. */
const lineText = fc.uint8Array({ maxLength: 20 }).map((bytes) =>
  Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\r\n]/g, ''),
);
const bytesArb = fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const formatArb = fc.oneof(
  fc.constantFrom('txt', 'mkd'),
  fc.uint8Array({ minLength: 3, maxLength: 3 }).map((b) => Buffer.from(b).toString('latin1')),
);

const resp2Scalar: fc.Arbitrary<RespValue> = fc.oneof(
  lineText.map((value): RespValue => ({ kind: 'simple', value })),
  lineText.map((value): RespValue => ({ kind: 'error', value })),
  int64.map((value): RespValue => ({ kind: 'integer', value })),
  bytesArb.map((value): RespValue => ({ kind: 'bulk', value })),
  fc.constant<RespValue>({ kind: 'null' }),
);

const resp3Scalar: fc.Arbitrary<RespValue> = fc.oneof(
  resp2Scalar,
  fc.double().map((value): RespValue => ({ kind: 'double', value })),
  fc.boolean().map((value): RespValue => ({ kind: 'boolean', value })),
  fc.bigInt().map((value): RespValue => ({ kind: 'bignum', value })),
  fc
    .tuple(formatArb, bytesArb)
    .map(([format, value]): RespValue => ({ kind: 'verbatim', format, value })),
  bytesArb.map((value): RespValue => ({ kind: 'blobError', value })),
);

const resp2Value: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    resp2Scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items): RespValue => ({ kind: 'array', items })),
  ),
})).value;

const resp3Value: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => {
  const items = fc.array(tie('value'), { maxLength: 4 });
  const entries = fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 });
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      resp3Scalar,
      items.map((list): RespValue => ({ kind: 'array', items: list })),
      items.map((list): RespValue => ({ kind: 'set', items: list })),
      items.map((list): RespValue => ({ kind: 'push', items: list })),
      entries.map((list): RespValue => ({ kind: 'map', entries: list })),
      fc
        .tuple(entries, tie('value'))
        .map(([list, value]): RespValue => ({ kind: 'attribute', entries: list, value })),
    ),
  };
}).value;

/** What a RESP2 client receives for a value, as Redis 7.0 downgrades it. */
function downgrade(value: RespValue): RespValue {
  switch (value.kind) {
    case 'array':
    case 'set':
    case 'push':
      return { kind: 'array', items: value.items.map(downgrade) };
    case 'map':
      return { kind: 'array', items: value.entries.flat().map(downgrade) };
    case 'double':
      return { kind: 'bulk', value: Buffer.from(formatDouble(value.value)) };
    case 'boolean':
      return { kind: 'integer', value: value.value ? 1n : 0n };
    case 'bignum':
      return { kind: 'bulk', value: Buffer.from(value.value.toString()) };
    case 'verbatim':
      return { kind: 'bulk', value: value.value };
    case 'blobError':
      return { kind: 'error', value: value.value.toString('latin1').replace(/[\r\n]/g, ' ') };
    case 'attribute':
      return downgrade(value.value);
    default:
      return value;
  }
}

describe('(a) encodeValue then RespDecoder', () => {
  it('gives RESP3 values back, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.array(resp3Value, { minLength: 1, maxLength: 4 }),
        cuttingArb,
        (values, cutting) => {
          const bytes = Buffer.concat(values.map((value) => encodeValue(value, 3)));
          expect(decodeStream(bytes, cutting)).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives RESP2 values back, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.array(resp2Value, { minLength: 1, maxLength: 4 }),
        cuttingArb,
        (values, cutting) => {
          const bytes = Buffer.concat(values.map((value) => encodeValue(value, 2)));
          expect(decodeStream(bytes, cutting)).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives RESP3 values encoded for RESP2 back in their downgraded form', () => {
    fc.assert(
      fc.property(resp3Value, cuttingArb, (value, cutting) => {
        expect(decodeStream(encodeValue(value, 2), cutting)).toEqual([downgrade(value)]);
      }),
      { numRuns: 200 },
    );
  });
});

// -------------------------------------------------------------------------------------------------
// Commands
// -------------------------------------------------------------------------------------------------

const argvArb = fc.array(bytesArb, { minLength: 1, maxLength: 8 });

describe('(b) encodeCommand then RequestParser', () => {
  it('gives pipelined binary commands back, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.array(argvArb, { minLength: 1, maxLength: 5 }),
        cuttingArb,
        (commands, cutting) => {
          const bytes = Buffer.concat(commands.map((argv) => encodeCommand(argv)));
          const expected = commands.map((argv) => argv.map((arg) => arg.toString('hex')).join(' '));
          expect(parseStream(bytes, cutting)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// -------------------------------------------------------------------------------------------------
// Hostile input
// -------------------------------------------------------------------------------------------------

/** Bytes that steer the readers into their interesting branches. */
const PROTOCOL_BYTES = Buffer.from('*$+-:_,#(=!%~>|?\r\n\r\n0123456789-1 "\'\\xa\x00\t\v');

/** Pieces of well-formed and nearly well-formed RESP, glued at random into a token soup. */
const tokenArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...'*$%~>|=!'), fc.integer({ min: -2, max: 8 }))
    .map(([type, n]) => `${type}${n}\r\n`),
  fc.constantFrom('+OK\r\n', ':12\r\n', '_\r\n', ',1.5\r\n', '#t\r\n', '(99\r\n', '-ERR x\r\n'),
  fc.constantFrom('PING', 'SET k v', '"a b"', "'c d'", '"\\x41\\n"', 'txt:', 'abc'),
  fc.constantFrom('\r\n', '\r\n', '\n', '\r', ' ', '*', '$', '*99999999999\r\n', '$-1\r\n'),
  fc.constantFrom(...PROTOCOL_BYTES).map((byte) => String.fromCharCode(byte)),
);

const noiseArb = fc.oneof(
  fc.uint8Array({ maxLength: 120 }).map((array) => Buffer.from(array)),
  fc.array(tokenArb, { maxLength: 30 }).map((tokens) => Buffer.from(tokens.join(''), 'latin1')),
);

type Mutation = { at: number; kind: 'flip' | 'insert' | 'delete' | 'truncate'; byte: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
  byte: fc.oneof(fc.constantFrom(...PROTOCOL_BYTES), fc.nat({ max: 255 })),
});

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const mutation of mutations) {
    const at = mutation.at % (out.length + 1);
    const byte = Buffer.from([mutation.byte]);
    if (mutation.kind === 'flip' && at < out.length) out[at] = mutation.byte;
    if (mutation.kind === 'insert')
      out = Buffer.concat([out.subarray(0, at), byte, out.subarray(at)]);
    if (mutation.kind === 'delete')
      out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    if (mutation.kind === 'truncate') out = out.subarray(0, at);
  }
  return out;
}

const requestStreamArb = fc.oneof(
  noiseArb,
  fc
    .tuple(
      fc.array(argvArb, { minLength: 1, maxLength: 3 }),
      fc.array(mutationArb, { maxLength: 4 }),
    )
    .map(([commands, mutations]) =>
      mutate(Buffer.concat(commands.map((argv) => encodeCommand(argv))), mutations),
    ),
);

const replyStreamArb = fc.oneof(
  noiseArb,
  fc
    .tuple(
      fc.array(resp3Value, { minLength: 1, maxLength: 3 }),
      fc.array(mutationArb, { maxLength: 4 }),
    )
    .map(([values, mutations]) =>
      mutate(Buffer.concat(values.map((value) => encodeValue(value, 3))), mutations),
    ),
);

/** Small limits so that the limit branches run on short inputs. */
const SMALL_LIMITS: Partial<RespLimits> = {
  inlineBytesMax: 16,
  bulkBytesMax: 32,
  multibulkLengthMax: 6,
  nestingDepthMax: 3,
};

describe('(c) hostile streams', () => {
  it('RequestParser never throws and answers the same whatever the cutting', () => {
    fc.assert(
      fc.property(requestStreamArb, cuttingArb, fc.boolean(), (bytes, cutting, small) => {
        const limits = small ? SMALL_LIMITS : undefined;
        const whole = parseStream(bytes, { kind: 'whole' }, limits);
        expect(parseStream(bytes, cutting, limits)).toEqual(whole);
        expect(parseStream(bytes, { kind: 'bytes' }, limits)).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('RespDecoder never throws and answers the same whatever the cutting', () => {
    fc.assert(
      fc.property(replyStreamArb, cuttingArb, fc.boolean(), (bytes, cutting, small) => {
        const limits = small ? SMALL_LIMITS : undefined;
        const whole = decodeStream(bytes, { kind: 'whole' }, limits);
        expect(decodeStream(bytes, cutting, limits)).toEqual(whole);
        expect(decodeStream(bytes, { kind: 'bytes' }, limits)).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });
});

// -------------------------------------------------------------------------------------------------
// ReplyWriter
// -------------------------------------------------------------------------------------------------

/** A value plus the choices of how to write it: string or Buffer, number or bigint, which null. */
interface WriteChoice {
  value: RespValue;
  asString: boolean;
  takeAfter: boolean;
}

/** Values ReplyWriter can write through its own methods (no blob errors, no attributes). */
const writableValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => {
  const items = fc.array(tie('value'), { maxLength: 4 });
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      resp2Scalar,
      fc.double().map((value): RespValue => ({ kind: 'double', value })),
      fc.boolean().map((value): RespValue => ({ kind: 'boolean', value })),
      fc.bigInt().map((value): RespValue => ({ kind: 'bignum', value })),
      fc
        .tuple(fc.constantFrom('txt', 'mkd'), lineText)
        .map(
          ([format, text]): RespValue => ({ kind: 'verbatim', format, value: Buffer.from(text) }),
        ),
      items.map((list): RespValue => ({ kind: 'array', items: list })),
      items.map((list): RespValue => ({ kind: 'set', items: list })),
      fc
        .array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 })
        .map((list): RespValue => ({ kind: 'map', entries: list })),
    ),
  };
}).value;

/** Writes `value` with the writer's methods, picking among equivalent calls by `asString`. */
function writeWith(writer: ReplyWriter, value: RespValue, asString: boolean): void {
  switch (value.kind) {
    case 'simple':
      writer.simple(value.value);
      return;
    case 'error':
      writer.error(value.value);
      return;
    case 'integer': {
      const small = value.value >= -(2n ** 53n) + 1n && value.value <= 2n ** 53n - 1n;
      writer.integer(small && asString ? Number(value.value) : value.value);
      return;
    }
    case 'bulk':
      writer.bulk(value.value);
      return;
    case 'null':
      if (asString) writer.nullBulk();
      else writer.nullArray();
      return;
    case 'double':
      writer.double(value.value);
      return;
    case 'boolean':
      writer.boolean(value.value);
      return;
    case 'bignum':
      writer.bigNumber(value.value.toString());
      return;
    case 'verbatim':
      writer.verbatim(value.value.toString('latin1'), value.format);
      return;
    case 'array':
      writer.arrayHeader(value.items.length);
      for (const item of value.items) writeWith(writer, item, !asString);
      return;
    case 'set':
      writer.setHeader(value.items.length);
      for (const item of value.items) writeWith(writer, item, !asString);
      return;
    case 'map':
      writer.mapHeader(value.entries.length);
      for (const item of value.entries.flat()) writeWith(writer, item, !asString);
      return;
    default:
      throw new Error(`not writable: ${value.kind}`);
  }
}

describe('(d) ReplyWriter output decodes to the values written', () => {
  const choiceArb: fc.Arbitrary<WriteChoice> = fc.record({
    value: writableValue,
    asString: fc.boolean(),
    takeAfter: fc.boolean(),
  });

  it.each([2, 3] as const)('RESP%i', (protocol: ProtocolVersion) => {
    fc.assert(
      fc.property(
        fc.array(choiceArb, { minLength: 1, maxLength: 6 }),
        cuttingArb,
        (choices, cutting) => {
          const writer = new ReplyWriter(32);
          writer.protocol = protocol;
          const taken: Buffer[] = [];
          for (const choice of choices) {
            writeWith(writer, choice.value, choice.asString);
            const bytes = choice.takeAfter ? writer.take() : null;
            if (bytes !== null) taken.push(bytes);
          }
          const rest = writer.take();
          if (rest !== null) taken.push(rest);
          const expected = choices.map((choice) =>
            protocol === 3 ? choice.value : downgrade(choice.value),
          );
          expect(decodeStream(Buffer.concat(taken), cutting)).toEqual(expected);
        },
      ),
      { numRuns: 250 },
    );
  });
});
