/**
 * The x87 long double emulation must print what Redis 7.0.15 on x86-64 printed for the same
 * INCRBYFLOAT sequences. Method: each case is a chain of increments starting from a missing key
 * (0), and the expected texts were captured from redis-server 7.0.15 with redis-cli. A second group
 * checks what strtold rejects, and properties check that integers up to 2^64 and short decimals
 * below 10 print back exactly as typed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLongDouble,
  formatLongDouble,
  type LongDouble,
  parseLongDouble,
} from './long-double.js';

function parse(text: string): LongDouble {
  const value = parseLongDouble(Buffer.from(text, 'latin1'));
  if (value === undefined) throw new Error(`${text} did not parse`);
  return value;
}

/** Runs INCRBYFLOAT's arithmetic: each increment added to the previous result. */
function chain(...increments: string[]): string[] {
  let current = parse('0');
  return increments.map((increment) => {
    const sum = addLongDouble(current, parse(increment));
    if (sum === undefined) return 'NaN or Infinity';
    current = sum;
    return formatLongDouble(sum);
  });
}

describe('long double arithmetic as INCRBYFLOAT prints it', () => {
  it.each([
    [
      ['0.1', '0.2', '0.3', '-0.6'],
      ['0.1', '0.3', '0.6', '0'],
    ],
    [
      ['1.1', '2.2'],
      ['1.1', '3.3'],
    ],
    [['1e-10'], ['0.0000000001']],
    [
      ['123456789.123456789', '987654321.987654321'],
      ['123456789.12345678899873747', '1111111111.11111110995989293'],
    ],
    [['-5.5e-3'], ['-0.0055']],
    [
      ['18446744073709551615', '1'],
      ['18446744073709551615', '18446744073709551616'],
    ],
    [
      ['0.1e1', '10.5'],
      ['1', '11.5'],
    ],
    [['251.85'], ['251.85000000000000001']],
    [['1.23456789012345678901234567890e-5'], ['0.00001234567890123']],
    [
      ['3.0e3', '5.0e3'],
      ['3000', '8000'],
    ],
    [['1e30'], ['1000000000000000000024696061952']],
    [['12345678901234567890123'], ['12345678901234567889920']],
    [['3.14159265358979323846264338'], ['3.14159265358979324']],
    [['-1e-20'], ['0']],
    [
      ['1e-17', '5e-18'],
      ['0.00000000000000001', '0.00000000000000002'],
    ],
    [['2.5e-17'], ['0.00000000000000002']],
    [['1.0000000000000000001'], ['1']],
    [
      ['+.5', '1.', '-7'],
      ['0.5', '1.5', '-5.5'],
    ],
    [
      ['0x1p-3', '0X.8P1'],
      ['0.125', '1.125'],
    ],
    [['1e-4940'], ['0']],
    [['inf'], ['NaN or Infinity']],
    [
      ['1.18e4932', '1.18e4932'],
      [expect.stringMatching(/^118\d{4930}$/), 'NaN or Infinity'],
    ],
  ])('%j', (increments, expected) => {
    expect(chain(...increments)).toEqual(expected);
  });

  it('prints 1e400 with all its digits, as Redis does', () => {
    const [text] = chain('1e400');
    expect(text).toMatch(/^10000000000000000000281880683947586514586453433629052038625910693539/);
    expect(text).toHaveLength(401);
  });
});

describe('parseLongDouble rejects what string2ld rejects', () => {
  it.each([
    '',
    ' 1',
    '1 ',
    '.',
    '1e',
    '1e+',
    'nan',
    'NaN',
    '-nan',
    'abc',
    '0x',
    '0x1p',
    '1e5000',
    '-1e5000',
    '1e-5000',
    '1\u00002',
    '++1',
    '1..2',
    'x'.repeat(5120),
  ])('%j', (text) => {
    expect(parseLongDouble(Buffer.from(text, 'latin1'))).toBeUndefined();
  });

  it.each(['0', '-0', '00', '0e99999', 'inf', '-Infinity', '1e-4950', '0x10', '5.'])(
    'accepts %j',
    (text) => {
      expect(parseLongDouble(Buffer.from(text, 'latin1'))).toBeDefined();
    },
  );
});

describe('round trips', () => {
  it('prints integers up to 2^64 exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        (n) => formatLongDouble(parse(n.toString())) === n.toString(),
      ),
    );
  });

  // Below 10 the 17 printed decimals are within the 64-bit mantissa's precision, so a short
  // decimal prints back as typed; above, Redis prints the binary value's digits (251.85 gives
  // 251.85000000000000001, which the table above pins).
  it('prints short decimals below 10 back as typed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -99999, max: 99999 }),
        fc.integer({ min: 4, max: 9 }),
        (n, scale) => {
          const text = (n / 10 ** scale).toFixed(scale).replace(/\.?0+$/, '');
          const expected = text === '-0' || text === '' ? '0' : text;
          return formatLongDouble(parse(text)) === expected;
        },
      ),
    );
  });
});
