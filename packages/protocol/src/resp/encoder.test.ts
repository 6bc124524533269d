/**
 * Encoder unit tests: the exact bytes of commands and of values in each protocol, including the
 * RESP3 types that ReplyWriter has no method for (blob errors, attributes) and their RESP2 forms.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommand, encodedCommandBytes, encodeValue } from './encoder.js';
import type { RespValue } from './value.js';

function text(value: RespValue, protocol: 2 | 3): string {
  return encodeValue(value, protocol).toString('latin1');
}

describe('encodeCommand', () => {
  it('writes a multibulk request, strings as byte strings (latin1)', () => {
    expect(encodeCommand(['SET', 'k', Buffer.from([0, 255])]).toString('latin1')).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\x00\xff\r\n',
    );
    expect(encodeCommand(['\xe9']).toString('latin1')).toBe('*1\r\n$1\r\n\xe9\r\n');
    expect(encodeCommand([]).toString('latin1')).toBe('*0\r\n');
  });

  it('writes multi-digit counts and lengths', () => {
    const argv = Array.from({ length: 12 }, (_, i) => 'x'.repeat(i * 10));
    const expected = `*12\r\n${argv.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('')}`;
    expect(encodeCommand(argv).toString('latin1')).toBe(expected);
  });
});

describe('encodedCommandBytes', () => {
  it('is the length encodeCommand produces, without encoding', () => {
    const cases: (Buffer | string)[][] = [
      [],
      ['PING'],
      ['SET', 'k', Buffer.from([0, 255])],
      ['é', '日本語', ''],
      Array.from({ length: 10 }, () => Buffer.alloc(9)),
      Array.from({ length: 101 }, (_, i) => Buffer.alloc(i * 7)),
      [Buffer.alloc(99_999), 'x'.repeat(100_000)],
    ];
    for (const argv of cases) {
      expect(encodedCommandBytes(argv)).toBe(encodeCommand(argv).length);
    }
  });
});

describe('encodeValue', () => {
  const one: RespValue = { kind: 'integer', value: 1n };

  it('writes nested aggregates in wire order', () => {
    const value: RespValue = {
      kind: 'map',
      entries: [
        [
          { kind: 'simple', value: 'a' },
          { kind: 'set', items: [one, { kind: 'null' }] },
        ],
      ],
    };
    expect(text(value, 3)).toBe('%1\r\n+a\r\n~2\r\n:1\r\n_\r\n');
    expect(text(value, 2)).toBe('*2\r\n+a\r\n*2\r\n:1\r\n$-1\r\n');
  });

  it('writes blob errors, verbatim strings and attributes', () => {
    const blobError: RespValue = { kind: 'blobError', value: Buffer.from('ERR a\r\nb') };
    expect(text(blobError, 3)).toBe('!8\r\nERR a\r\nb\r\n');
    expect(text(blobError, 2)).toBe('-ERR a  b\r\n');
    const verbatim: RespValue = { kind: 'verbatim', format: 'mkd', value: Buffer.from('# t') };
    expect(text(verbatim, 3)).toBe('=7\r\nmkd:# t\r\n');
    expect(text(verbatim, 2)).toBe('$3\r\n# t\r\n');
    const attribute: RespValue = {
      kind: 'attribute',
      entries: [[{ kind: 'simple', value: 'ttl' }, one]],
      value: { kind: 'array', items: [one] },
    };
    expect(text(attribute, 3)).toBe('|1\r\n+ttl\r\n:1\r\n*1\r\n:1\r\n');
    expect(text(attribute, 2)).toBe('*1\r\n:1\r\n');
  });

  it('encodes a deeply nested value without recursion', () => {
    let value: RespValue = one;
    for (let i = 0; i < 100_000; i++) value = { kind: 'array', items: [value] };
    expect(encodeValue(value, 2).length).toBe(100_000 * 4 + 4);
  });
});
