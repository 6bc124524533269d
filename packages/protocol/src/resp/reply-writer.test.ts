/**
 * ReplyWriter's bytes for every reply type in RESP2 and RESP3, compared with what Redis 7.0 sends
 * (the RESP3 shapes were observed after HELLO 3 on redis-server 7.0.15: `_` nulls, `%` maps,
 * `=len\r\ntxt:` for CLIENT INFO, `,%.17g` doubles). Then the buffer contract: take() hands out
 * views that later writes never overwrite, and the writer grows and shrinks back.
 */
import { describe, expect, it } from 'vitest';
import { type ProtocolVersion, ReplyWriter } from './reply-writer.js';

function written(protocol: ProtocolVersion, write: (writer: ReplyWriter) => void): string {
  const writer = new ReplyWriter(64);
  writer.protocol = protocol;
  write(writer);
  return writer.take()?.toString('latin1') ?? '';
}

/** [name, write, RESP2 bytes, RESP3 bytes]. */
const REPLIES: [string, (writer: ReplyWriter) => void, string, string][] = [
  ['simple', (w) => w.simple('OK'), '+OK\r\n', '+OK\r\n'],
  ['error', (w) => w.error('ERR syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n'],
  ['error with CRLF', (w) => w.error('ERR a\r\nb'), '-ERR a  b\r\n', '-ERR a  b\r\n'],
  ['integer 0', (w) => w.integer(0), ':0\r\n', ':0\r\n'],
  ['integer', (w) => w.integer(-1234567890123), ':-1234567890123\r\n', ':-1234567890123\r\n'],
  [
    'integer bigint',
    (w) => w.integer(-(2n ** 63n)),
    ':-9223372036854775808\r\n',
    ':-9223372036854775808\r\n',
  ],
  [
    'integer big number',
    (w) => w.integer(2 ** 60),
    ':1152921504606846976\r\n',
    ':1152921504606846976\r\n',
  ],
  [
    'bulk buffer',
    (w) => w.bulk(Buffer.from([0, 13, 10])),
    '$3\r\n\x00\r\n\r\n',
    '$3\r\n\x00\r\n\r\n',
  ],
  ['bulk empty', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
  ['bulk byte string', (w) => w.bulk('\xe9'), '$1\r\n\xe9\r\n', '$1\r\n\xe9\r\n'],
  [
    'error quoting a byte >= 0x80',
    (w) => w.error("ERR unknown command 'S\xffT'"),
    "-ERR unknown command 'S\xffT'\r\n",
    "-ERR unknown command 'S\xffT'\r\n",
  ],
  ['nullBulk', (w) => w.nullBulk(), '$-1\r\n', '_\r\n'],
  ['nullArray', (w) => w.nullArray(), '*-1\r\n', '_\r\n'],
  ['arrayHeader', (w) => w.arrayHeader(12), '*12\r\n', '*12\r\n'],
  ['mapHeader', (w) => w.mapHeader(7), '*14\r\n', '%7\r\n'],
  ['setHeader', (w) => w.setHeader(0), '*0\r\n', '~0\r\n'],
  ['pushHeader', (w) => w.pushHeader(3), '*3\r\n', '>3\r\n'],
  ['double', (w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
  ['double inf', (w) => w.double(Number.NEGATIVE_INFINITY), '$4\r\n-inf\r\n', ',-inf\r\n'],
  ['boolean', (w) => w.boolean(true), ':1\r\n', '#t\r\n'],
  ['boolean false', (w) => w.boolean(false), ':0\r\n', '#f\r\n'],
  ['verbatim', (w) => w.verbatim('a\nb'), '$3\r\na\nb\r\n', '=7\r\ntxt:a\nb\r\n'],
  ['verbatim mkd', (w) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
  [
    'bigNumber',
    (w) => w.bigNumber('-123456789012345678901234567890'),
    '$31\r\n-123456789012345678901234567890\r\n',
    '(-123456789012345678901234567890\r\n',
  ],
  ['raw', (w) => w.raw(Buffer.from('+x\r\n')), '+x\r\n', '+x\r\n'],
];

describe('ReplyWriter bytes', () => {
  it.each(REPLIES)('%s', (_name, write, resp2, resp3) => {
    expect(written(2, write)).toBe(resp2);
    expect(written(3, write)).toBe(resp3);
  });

  it('refuses a simple string with CR or LF (it would break the stream)', () => {
    expect(() => written(2, (w) => w.simple('a\r\nb'))).toThrow(/CR or LF/);
  });

  it('refuses integers a RESP integer cannot carry', () => {
    expect(() => written(2, (w) => w.integer(1.5))).toThrow();
    expect(() => written(2, (w) => w.integer(2n ** 63n))).toThrow();
  });
});

describe('ReplyWriter buffer', () => {
  it('returns null when nothing is pending and counts pending bytes', () => {
    const writer = new ReplyWriter(64);
    expect(writer.take()).toBeNull();
    writer.simple('OK');
    writer.integer(42);
    expect(writer.bytesPending()).toBe(10);
    expect(writer.take()?.toString()).toBe('+OK\r\n:42\r\n');
    expect(writer.bytesPending()).toBe(0);
    expect(writer.take()).toBeNull();
  });

  it('never overwrites bytes it handed out', () => {
    const writer = new ReplyWriter(64);
    const taken: [Buffer, string][] = [];
    for (let i = 0; i < 200; i++) {
      writer.bulk(`value-${i}`);
      if (i % 3 === 0) writer.integer(i);
      if (i % 7 === 0) {
        const bytes = writer.take();
        if (bytes !== null) taken.push([bytes, bytes.toString('latin1')]);
      }
    }
    for (const [bytes, text] of taken) expect(bytes.toString('latin1')).toBe(text);
  });

  it('grows for a big reply and keeps earlier pending bytes', () => {
    const writer = new ReplyWriter(64);
    writer.simple('first');
    const big = Buffer.alloc(100_000, 0x62);
    writer.bulk(big);
    const out = writer.take();
    expect(out?.length).toBe(8 + 9 + 100_000 + 2);
    expect(out?.subarray(0, 17).toString()).toBe('+first\r\n$100000\r\n');
    writer.simple('after');
    expect(writer.take()?.toString()).toBe('+after\r\n');
  });
});
