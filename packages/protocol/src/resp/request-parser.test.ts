/**
 * RequestParser against the behaviour of redis-server 7.0.15. Method: every case in the first table
 * was sent to a real 7.0.15 on one connection and its outcome recorded: the commands it ran (seen
 * from their replies), then either more waiting or a protocol error and a closed connection. The
 * remaining tests cover what a wire probe cannot show well: limits, zero-copy views, bulks split
 * across chunks, the sticky error, the query buffer limit.
 */
import { describe, expect, it } from 'vitest';
import type { RespLimits } from './limits.js';
import { PROTOCOL_ERROR, QUERY_BUFFER_LIMIT_MESSAGE } from './protocol-errors.js';
import { type ParseResult, RequestParser } from './request-parser.js';

/** The outcome of a stream: commands as latin1 strings, then 'incomplete' or the error text. */
interface Outcome {
  commands: string[][];
  end: string;
}

function parse(input: string | Buffer, limits?: Partial<RespLimits>, chunkBytes = 0): Outcome {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const parser = new RequestParser(limits);
  const commands: string[][] = [];
  const step = chunkBytes > 0 ? chunkBytes : Math.max(1, bytes.length);
  let last: ParseResult = { kind: 'incomplete' };
  for (let at = 0; at < bytes.length || at === 0; at += step) {
    parser.feed(bytes.subarray(at, at + step));
    for (last = parser.next(); last.kind === 'command'; last = parser.next()) {
      commands.push(last.argv.map((arg) => arg.toString('latin1')));
    }
    if (last.kind === 'error') break;
  }
  return { commands, end: last.kind === 'error' ? last.message : 'incomplete' };
}

const ping = ['PING'];

/** [input, commands run, then 'incomplete' or the error]: all observed on redis-server 7.0.15. */
const WIRE_CASES: [string, string[][], string][] = [
  ['*3\r\n$3\r\nfoo', [], 'incomplete'],
  ['*0\r\nPING\r\n', [ping], 'incomplete'],
  ['*-1\r\nPING\r\n', [ping], 'incomplete'],
  ['*-5\r\n*1\r\n$4\r\nPING\r\n', [ping], 'incomplete'],
  ['*-9223372036854775808\r\nPING\r\n', [ping], 'incomplete'],
  ['*-9223372036854775809\r\nPING\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*2147483648\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*2147483647\r\n', [], 'incomplete'],
  ['*abc\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*\r\nPING\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*+1\r\n$4\r\nPING\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*01\r\n$4\r\nPING\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*-0\r\nPING\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*000000000000000000001\r\n', [], PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH],
  ['*1\rX$4\r\nPING\r\n', [ping], 'incomplete'],
  ['*1\r\n$4\rXPING\r\n', [ping], 'incomplete'],
  ['*1\r\n$4\r\nPINGXY*1\r\n$4\r\nPING\r\n', [ping, ping], 'incomplete'],
  ['*1\r\n$4\r\nPING\r', [], 'incomplete'],
  ['*1\r\nfoo\r\n', [], "Protocol error: expected '$', got 'f'"],
  ['*1\r\n\r\n', [], "Protocol error: expected '$', got '\r'"],
  ['*1\r\n\xe9\r\n', [], "Protocol error: expected '$', got '\xe9'"],
  ['*1\r\n$-1\r\n', [], PROTOCOL_ERROR.INVALID_BULK_LENGTH],
  ['*1\r\n$536870913\r\n', [], PROTOCOL_ERROR.INVALID_BULK_LENGTH],
  ['*1\r\n$536870912\r\n', [], 'incomplete'],
  ['*1\r\n$01\r\n', [], PROTOCOL_ERROR.INVALID_BULK_LENGTH],
  ['*1\r\n$ 1\r\n', [], PROTOCOL_ERROR.INVALID_BULK_LENGTH],
  ['*1\r\n$100000000000000000000\r\n', [], PROTOCOL_ERROR.INVALID_BULK_LENGTH],
  ['*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', [['ECHO', '']], 'incomplete'],
  ['\r\n\n   \r\nPING\r\n', [ping], 'incomplete'],
  ['ECHO "a"b\r\n', [], PROTOCOL_ERROR.UNBALANCED_QUOTES],
  ["ECHO 'a\r\n", [], PROTOCOL_ERROR.UNBALANCED_QUOTES],
  ['ECHO "a\\\r\n', [], PROTOCOL_ERROR.UNBALANCED_QUOTES],
  ['ECHO x"y z"w\r\n', [], PROTOCOL_ERROR.UNBALANCED_QUOTES],
  ['ECHO a\vb\r\n', [['ECHO', 'a\vb']], 'incomplete'],
  ['\vECHO\v "a"\v\r\n', [['ECHO\v', 'a']], 'incomplete'],
  ['ECHO a\rb\n', [['ECHO', 'a', 'b']], 'incomplete'],
  ['ECHO "\\xzz"\n', [['ECHO', 'xzz']], 'incomplete'],
  ['ECHO a\n\rPING\n', [['ECHO', 'a'], ping], 'incomplete'],
  ['ECHO a\x00b\r\nPING\r\n', [], 'incomplete'],
  ['*1\x00\r\n$4\r\nPING\r\n', [], 'incomplete'],
];

describe('RequestParser matches redis-server 7.0.15 on the wire', () => {
  it.each(WIRE_CASES)('%j', (input, commands, end) => {
    expect(parse(input)).toEqual({ commands, end });
    expect(parse(input, undefined, 1)).toEqual({ commands, end });
  });
});

describe('RequestParser line limits (PROTO_INLINE_MAX_SIZE)', () => {
  const max = 64 * 1024;

  it('waits for an inline line of inlineBytesMax bytes, refuses one byte more', () => {
    expect(parse('a'.repeat(max)).end).toBe('incomplete');
    expect(parse('a'.repeat(max + 1)).end).toBe(PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST);
    expect(parse(`${'a'.repeat(max)}\n`).commands).toEqual([['a'.repeat(max)]]);
  });

  it('refuses a line whose newline comes too late, however the bytes arrive', () => {
    const line = `${'a'.repeat(max + 1)}\n`;
    expect(parse(line).end).toBe(PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST);
    expect(parse(line, undefined, 16 * 1024).end).toBe(PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST);
  });

  it('says "too big mbulk count string" and "too big bulk count string" for header lines', () => {
    expect(parse(`*${'1'.repeat(max)}`).end).toBe(PROTOCOL_ERROR.TOO_BIG_MBULK_COUNT_STRING);
    expect(parse(`*${'1'.repeat(max - 1)}`).end).toBe('incomplete');
    expect(parse(`*1\r\n$${'1'.repeat(max)}`).end).toBe(PROTOCOL_ERROR.TOO_BIG_BULK_COUNT_STRING);
  });

  it('ends a NUL-stalled inline request as too big once enough bytes wait (as strchr does)', () => {
    const stalled = `ECHO a\x00${'b'.repeat(max)}`;
    expect(parse(stalled).end).toBe(PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST);
  });

  it('searches a line arriving byte by byte once, not once per byte', () => {
    // 64 KiB one byte at a time: rescanning from the line start would take billions of steps.
    const parser = new RequestParser();
    const byte = Buffer.from('a');
    let result: ParseResult = { kind: 'incomplete' };
    for (let i = 0; i <= max && result.kind === 'incomplete'; i++) {
      parser.feed(byte);
      result = parser.next();
    }
    expect(result).toEqual({ kind: 'error', message: PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST });
  });

  it('applies a smaller inlineBytesMax', () => {
    expect(parse('PING PING\r\n', { inlineBytesMax: 10 }).commands).toEqual([['PING', 'PING']]);
    expect(parse('PING PING P\r\n', { inlineBytesMax: 10 }).end).toBe(
      PROTOCOL_ERROR.TOO_BIG_INLINE_REQUEST,
    );
  });
});

describe('RequestParser multibulk', () => {
  it('parses binary arguments, including CR, LF and NUL bytes', () => {
    const value = Buffer.from([0, 13, 10, 255, 36, 42]);
    const bytes = Buffer.concat([
      Buffer.from('*2\r\n$3\r\nSET\r\n$6\r\n'),
      value,
      Buffer.from('\r\n'),
    ]);
    const parser = new RequestParser();
    parser.feed(bytes);
    const result = parser.next();
    expect(result.kind === 'command' && result.argv[1]).toEqual(value);
  });

  it('returns views of the fed chunk when a bulk is whole in it (zero copy)', () => {
    const chunk = Buffer.from('*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n');
    const parser = new RequestParser();
    parser.feed(chunk);
    const result = parser.next();
    if (result.kind !== 'command') throw new Error(result.kind);
    expect(result.argv[1]?.buffer).toBe(chunk.buffer);
    expect(result.argv[1]?.byteOffset).toBe(chunk.byteOffset + 17);
  });

  it('collects a bulk split over many chunks and counts it as buffered', () => {
    const value = Buffer.alloc(100_000, 0x61);
    const bytes = Buffer.concat([
      Buffer.from('*2\r\n$3\r\nSET\r\n$100000\r\n'),
      value,
      Buffer.from('\r\n'),
    ]);
    const parser = new RequestParser();
    let result: ParseResult = { kind: 'incomplete' };
    for (let at = 0; at < bytes.length; at += 1000) {
      parser.feed(bytes.subarray(at, at + 1000));
      result = parser.next();
      if (result.kind !== 'command') expect(result.kind).toBe('incomplete');
      if (at === 50_000) expect(parser.bufferedBytes()).toBe(50_000 + 1000 - 22);
    }
    expect(result.kind === 'command' && result.argv[1]).toEqual(value);
    expect(parser.bufferedBytes()).toBe(0);
  });

  it('takes chunks fed after a bulk completes without being parsed (the node was paused)', () => {
    // Issue 9 item 1: a client's big bulk was half sent when another client's DEBUG SLEEP paused
    // the node; the rest of the bulk, then two more chunks arrived before the parser ran again.
    // The second chunk used to trip "window must be empty during a fill" and end the process.
    const parser = new RequestParser();
    parser.feed(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n'));
    parser.feed(Buffer.alloc(1000, 0x61));
    expect(parser.next().kind).toBe('incomplete');
    parser.feed(Buffer.concat([Buffer.alloc(99_000, 0x61), Buffer.from('\r\nPING\r\n')]));
    parser.feed(Buffer.from('PING\r\n'));
    const set = parser.next();
    expect(set.kind === 'command' && set.argv.map((arg) => arg.length)).toEqual([3, 1, 100_000]);
    expect(parser.next()).toEqual({ kind: 'command', argv: [Buffer.from('PING')] });
    expect(parser.next()).toEqual({ kind: 'command', argv: [Buffer.from('PING')] });
    expect(parser.next().kind).toBe('incomplete');
    expect(parser.bufferedBytes()).toBe(0);
  });

  it('refuses a bulk longer than bulkBytesMax and a count above multibulkLengthMax', () => {
    expect(parse('*1\r\n$11\r\n', { bulkBytesMax: 10 }).end).toBe(
      PROTOCOL_ERROR.INVALID_BULK_LENGTH,
    );
    expect(parse('*1\r\n$10\r\n', { bulkBytesMax: 10 }).end).toBe('incomplete');
    expect(parse('*4\r\n', { multibulkLengthMax: 3 }).end).toBe(
      PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH,
    );
  });

  it('parses a pipeline whole and byte by byte to the same commands', () => {
    const pipeline = '*1\r\n$4\r\nPING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*0\r\n';
    const expected = { commands: [ping, ping, ['ECHO', 'hi']], end: 'incomplete' };
    expect(parse(pipeline)).toEqual(expected);
    expect(parse(pipeline, undefined, 1)).toEqual(expected);
    expect(parse(pipeline, undefined, 3)).toEqual(expected);
  });
});

describe('RequestParser authRequired (Redis 7.0 limits before AUTH)', () => {
  function parseUnauthenticated(input: string): string {
    const parser = new RequestParser();
    parser.authRequired = true;
    parser.feed(Buffer.from(input, 'latin1'));
    const result = parser.next();
    return result.kind === 'error' ? result.message : result.kind;
  }

  it('refuses counts above 10 and bulks above 16384 bytes, as observed on 7.0.15', () => {
    expect(parseUnauthenticated('*11\r\n')).toBe(PROTOCOL_ERROR.UNAUTHENTICATED_MULTIBULK_LENGTH);
    expect(parseUnauthenticated('*10\r\n$16385\r\n')).toBe(
      PROTOCOL_ERROR.UNAUTHENTICATED_BULK_LENGTH,
    );
    expect(parseUnauthenticated('*1\r\n$16384\r\n')).toBe('incomplete');
  });
});

describe('RequestParser errors and the query buffer limit', () => {
  it('keeps returning the same error after a protocol error', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('*x\r\n'));
    const first = parser.next();
    parser.feed(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    expect(parser.next()).toBe(first);
    expect(first).toEqual({ kind: 'error', message: PROTOCOL_ERROR.INVALID_MULTIBULK_LENGTH });
  });

  it('fails a pending request over queryBufferBytesMax, with the log line as message', () => {
    const parser = new RequestParser({ queryBufferBytesMax: 100 });
    parser.feed(Buffer.from('*2\r\n$3\r\nSET\r\n$200\r\n'));
    parser.feed(Buffer.alloc(90, 0x61));
    expect(parser.next().kind).toBe('incomplete');
    parser.feed(Buffer.alloc(20, 0x61));
    expect(parser.next()).toEqual({ kind: 'error', message: QUERY_BUFFER_LIMIT_MESSAGE });
    expect(parser.bufferedBytes()).toBeGreaterThan(100);
  });

  it('never refuses complete requests, however many arrive in one chunk', () => {
    const many = '*1\r\n$4\r\nPING\r\n'.repeat(100);
    expect(parse(many, { queryBufferBytesMax: 100 }).commands).toHaveLength(100);
  });

  it('does not allocate a declared bulk up front', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('*1\r\n$536870912\r\nabc'));
    expect(parser.next().kind).toBe('incomplete');
    expect(parser.bufferedBytes()).toBe(3);
  });
});
