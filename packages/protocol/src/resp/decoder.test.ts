/**
 * RespDecoder unit tests. Method: each RESP2/RESP3 type decoded from its wire form, whole and byte
 * by byte; then each malformed form with the error it must give; then the limits, the sticky error
 * and takeBuffered() as the replica uses it (a status line followed by raw payload bytes).
 */
import { describe, expect, it } from 'vitest';
import { type DecodeResult, RespDecoder } from './decoder.js';
import type { RespLimits } from './limits.js';
import { DECODER_ERROR } from './protocol-errors.js';
import type { RespValue } from './value.js';

/** Decodes every value in `text`, fed `chunkBytes` at a time (0: all at once). */
function decodeAll(text: string, chunkBytes = 0, limits?: Partial<RespLimits>): DecodeResult[] {
  const bytes = Buffer.from(text, 'latin1');
  const decoder = new RespDecoder(limits);
  const results: DecodeResult[] = [];
  const step = chunkBytes > 0 ? chunkBytes : Math.max(1, bytes.length);
  for (let at = 0; at < bytes.length; at += step) {
    decoder.feed(bytes.subarray(at, at + step));
    for (let result = decoder.next(); ; result = decoder.next()) {
      if (result.kind === 'incomplete') break;
      results.push(result);
      if (result.kind === 'error') return results;
    }
  }
  return results;
}

function decodeOne(text: string): RespValue {
  const whole = decodeAll(text);
  expect(decodeAll(text, 1)).toEqual(whole);
  const [first] = whole;
  if (first?.kind !== 'value') throw new Error(`no value: ${JSON.stringify(first)}`);
  return first.value;
}

function decodeError(text: string, limits?: Partial<RespLimits>): string {
  const last = decodeAll(text, 0, limits).at(-1);
  return last?.kind === 'error' ? last.message : `no error: ${JSON.stringify(last)}`;
}

const bulk = (text: string): RespValue => ({ kind: 'bulk', value: Buffer.from(text, 'latin1') });
const int = (value: bigint): RespValue => ({ kind: 'integer', value });

describe('RespDecoder values', () => {
  it('decodes the RESP2 types', () => {
    expect(decodeOne('+OK\r\n')).toEqual({ kind: 'simple', value: 'OK' });
    expect(decodeOne('-ERR no\r\n')).toEqual({ kind: 'error', value: 'ERR no' });
    expect(decodeOne(':-42\r\n')).toEqual(int(-42n));
    expect(decodeOne(':9223372036854775807\r\n')).toEqual(int(2n ** 63n - 1n));
    expect(decodeOne('$5\r\na\r\nb!\r\n')).toEqual(bulk('a\r\nb!'));
    expect(decodeOne('$0\r\n\r\n')).toEqual(bulk(''));
    expect(decodeOne('$-1\r\n')).toEqual({ kind: 'null' });
    expect(decodeOne('*-1\r\n')).toEqual({ kind: 'null' });
    expect(decodeOne('*0\r\n')).toEqual({ kind: 'array', items: [] });
    expect(decodeOne('*2\r\n:1\r\n*1\r\n$1\r\nx\r\n')).toEqual({
      kind: 'array',
      items: [int(1n), { kind: 'array', items: [bulk('x')] }],
    });
  });

  it('decodes the RESP3 types', () => {
    expect(decodeOne('_\r\n')).toEqual({ kind: 'null' });
    expect(decodeOne(',1.5\r\n')).toEqual({ kind: 'double', value: 1.5 });
    expect(decodeOne(',-inf\r\n')).toEqual({ kind: 'double', value: Number.NEGATIVE_INFINITY });
    expect(decodeOne(',nan\r\n')).toEqual({ kind: 'double', value: Number.NaN });
    expect(decodeOne(',1e+20\r\n')).toEqual({ kind: 'double', value: 1e20 });
    expect(decodeOne('#t\r\n')).toEqual({ kind: 'boolean', value: true });
    expect(decodeOne('(-123456789012345678901234567890\r\n')).toEqual({
      kind: 'bignum',
      value: -123456789012345678901234567890n,
    });
    expect(decodeOne('=7\r\ntxt:a\nb\r\n')).toEqual({
      kind: 'verbatim',
      format: 'txt',
      value: Buffer.from('a\nb'),
    });
    expect(decodeOne('!3\r\nERR\r\n')).toEqual({ kind: 'blobError', value: Buffer.from('ERR') });
    expect(decodeOne('~1\r\n+a\r\n')).toEqual({
      kind: 'set',
      items: [{ kind: 'simple', value: 'a' }],
    });
    expect(decodeOne('>2\r\n+a\r\n:1\r\n')).toEqual({
      kind: 'push',
      items: [{ kind: 'simple', value: 'a' }, int(1n)],
    });
    expect(decodeOne('%1\r\n+k\r\n%0\r\n')).toEqual({
      kind: 'map',
      entries: [
        [
          { kind: 'simple', value: 'k' },
          { kind: 'map', entries: [] },
        ],
      ],
    });
  });

  it('wraps the value after an attribute, also inside aggregates', () => {
    const ttl: [RespValue, RespValue] = [{ kind: 'simple', value: 'ttl' }, int(3n)];
    expect(decodeOne('|1\r\n+ttl\r\n:3\r\n:7\r\n')).toEqual({
      kind: 'attribute',
      entries: [ttl],
      value: int(7n),
    });
    expect(decodeOne('*2\r\n|0\r\n:1\r\n|1\r\n+ttl\r\n:3\r\n*0\r\n')).toEqual({
      kind: 'array',
      items: [
        { kind: 'attribute', entries: [], value: int(1n) },
        { kind: 'attribute', entries: [ttl], value: { kind: 'array', items: [] } },
      ],
    });
  });

  it('decodes the HELLO 3 reply of redis-server 7.0.15', () => {
    const hello =
      '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n' +
      '$5\r\nproto\r\n:3\r\n' +
      '$2\r\nid\r\n:63\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n' +
      '$7\r\nmodules\r\n*0\r\n';
    const value = decodeOne(hello);
    expect(value.kind === 'map' && value.entries.length).toBe(7);
  });

  it('returns several pipelined values in order', () => {
    const results = decodeAll('+OK\r\n:1\r\n$-1\r\n', 2);
    expect(results.map((result) => result.kind === 'value' && result.value.kind)).toEqual([
      'simple',
      'integer',
      'null',
    ]);
  });
});

describe('RespDecoder errors', () => {
  it.each([
    ['?x\r\n', "Protocol error: unknown type byte '?'"],
    ['+OK\n', DECODER_ERROR.EXPECTED_CRLF],
    ['+OK\rX', DECODER_ERROR.EXPECTED_CRLF],
    ['$3\r\nabcd\r\n', DECODER_ERROR.EXPECTED_CRLF],
    ['$-2\r\n', DECODER_ERROR.INVALID_LENGTH],
    ['$01\r\n', DECODER_ERROR.INVALID_LENGTH],
    ['%-1\r\n', DECODER_ERROR.INVALID_LENGTH],
    ['*?\r\n', DECODER_ERROR.STREAMED_TYPE],
    ['$?\r\n', DECODER_ERROR.STREAMED_TYPE],
    [':1.5\r\n', DECODER_ERROR.INVALID_INTEGER],
    [':9223372036854775808\r\n', DECODER_ERROR.INVALID_INTEGER],
    [',0x10\r\n', DECODER_ERROR.INVALID_DOUBLE],
    [', 1\r\n', DECODER_ERROR.INVALID_DOUBLE],
    ['#x\r\n', DECODER_ERROR.INVALID_BOOLEAN],
    ['(1.0\r\n', DECODER_ERROR.INVALID_BIG_NUMBER],
    ['_x\r\n', DECODER_ERROR.INVALID_NULL],
    ['=3\r\ntxt\r\n', DECODER_ERROR.INVALID_VERBATIM],
    ['=4\r\ntxt-\r\n', DECODER_ERROR.INVALID_VERBATIM],
  ])('%j', (text, message) => {
    expect(decodeError(text)).toBe(message);
  });

  it('applies the limits', () => {
    expect(decodeError('$11\r\n', { bulkBytesMax: 10 })).toBe(DECODER_ERROR.INVALID_LENGTH);
    expect(decodeError('*4\r\n', { multibulkLengthMax: 3 })).toBe(DECODER_ERROR.INVALID_LENGTH);
    expect(decodeError('%2\r\n', { multibulkLengthMax: 1 })).toBe(DECODER_ERROR.INVALID_LENGTH);
    expect(decodeError(`+${'a'.repeat(11)}`, { inlineBytesMax: 10 })).toBe(
      DECODER_ERROR.TOO_BIG_LINE,
    );
    expect(decodeAll(`+${'a'.repeat(9)}\r\n`, 0, { inlineBytesMax: 10 })[0]?.kind).toBe('value');
  });

  it('searches a line arriving byte by byte once, not once per byte', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('+'));
    let kinds = '';
    for (let i = 0; i < 60_000; i++) {
      decoder.feed(Buffer.from('a'));
      const kind = decoder.next().kind;
      if (kind !== 'incomplete') kinds += kind;
    }
    expect(kinds).toBe('');
    decoder.feed(Buffer.from('\r'));
    expect(decoder.next().kind).toBe('incomplete');
    decoder.feed(Buffer.from('\n'));
    const result = decoder.next();
    expect(
      result.kind === 'value' && result.value.kind === 'simple' && result.value.value.length,
    ).toBe(60_000);
  });

  it('limits nesting without recursion, even far past the limit', () => {
    expect(decodeAll(`${'*1\r\n'.repeat(3)}:1\r\n`, 0, { nestingDepthMax: 3 })[0]?.kind).toBe(
      'value',
    );
    expect(decodeError(`${'*1\r\n'.repeat(4)}:1\r\n`, { nestingDepthMax: 3 })).toBe(
      DECODER_ERROR.NESTING_TOO_DEEP,
    );
    expect(decodeError('*1\r\n'.repeat(100_000))).toBe(DECODER_ERROR.NESTING_TOO_DEEP);
  });

  it('fails once a partial element holds more than queryBufferBytesMax bytes', () => {
    expect(decodeError(`$100\r\n${'a'.repeat(60)}`, { queryBufferBytesMax: 50 })).toBe(
      DECODER_ERROR.BUFFER_LIMIT,
    );
  });

  it('keeps returning the same error', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('?\r\n'));
    const first = decoder.next();
    decoder.feed(Buffer.from('+OK\r\n'));
    expect(decoder.next()).toBe(first);
  });
});

describe('RespDecoder takeBuffered', () => {
  it('hands back the raw bytes after a value, as the replica reads FULLRESYNC then the RDB', () => {
    const decoder = new RespDecoder();
    decoder.feed(
      Buffer.from('+FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 0\r\n$5\r\nREDIS'),
    );
    const status = decoder.next();
    expect(status.kind === 'value' && status.value).toEqual({
      kind: 'simple',
      value: 'FULLRESYNC 8de1787ba490483314a4d30f1c628bc5025eb761 0',
    });
    expect(decoder.takeBuffered().toString()).toBe('$5\r\nREDIS');
    expect(decoder.bufferedBytes()).toBe(0);
    decoder.feed(Buffer.from('+CONTINUE\r\n'));
    expect(decoder.next().kind).toBe('value');
  });

  it('refuses to run inside a value', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('*2\r\n:1\r\n'));
    expect(decoder.next().kind).toBe('incomplete');
    expect(() => decoder.takeBuffered()).toThrow(/inside an aggregate/);
  });
});
