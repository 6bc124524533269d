/**
 * stringEncoding must name the encoding Redis 7.0.15 reports in OBJECT ENCODING for the same bytes
 * stored the same way. The expected values were captured from redis-server 7.0.15 (SET, then
 * OBJECT ENCODING; APPEND/SETRANGE/INCRBYFLOAT results for the recorded encodings).
 */
import { describe, expect, it } from 'vitest';
import { stringEncoding } from './encoding.js';

const stored = (text: string) => ({ type: 'string' as const, value: Buffer.from(text, 'latin1') });

describe('stringEncoding', () => {
  it.each([
    ['1', 'int'],
    ['0', 'int'],
    ['-5', 'int'],
    ['9223372036854775807', 'int'],
    ['-9223372036854775808', 'int'],
    ['9223372036854775808', 'embstr'],
    ['12345678901234567890', 'embstr'],
    ['-0', 'embstr'],
    ['007', 'embstr'],
    ['+1', 'embstr'],
    [' 1', 'embstr'],
    ['', 'embstr'],
    ['abc', 'embstr'],
    ['x'.repeat(44), 'embstr'],
    ['x'.repeat(45), 'raw'],
  ])('SET k %j -> %s', (text, expected) => {
    expect(stringEncoding(stored(text))).toBe(expected);
  });

  it('reports a recorded encoding as is (APPEND, SETRANGE, INCRBYFLOAT)', () => {
    expect(stringEncoding({ ...stored('12'), encoding: 'raw' })).toBe('raw');
    expect(stringEncoding({ ...stored('3000'), encoding: 'embstr' })).toBe('embstr');
  });
});
