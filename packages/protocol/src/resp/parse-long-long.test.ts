/**
 * parseLongLong against Redis's string2ll (util.c). Method: a table of inputs with the value Redis
 * accepts or NaN where it refuses, including the int64 edges compared digit by digit.
 */
import { describe, expect, it } from 'vitest';
import { parseLongLong } from './parse-long-long.js';

function parseText(text: string): number {
  const bytes = Buffer.from(`#${text}#`, 'latin1');
  return parseLongLong(bytes, 1, bytes.length - 1);
}

const CASES: [string, number][] = [
  ['0', 0],
  ['7', 7],
  ['-7', -7],
  ['1234567890', 1234567890],
  ['2147483647', 2147483647],
  ['9007199254740993', Number('9007199254740993')],
  ['9223372036854775807', Number('9223372036854775807')],
  ['-9223372036854775808', Number('-9223372036854775808')],
  ['', Number.NaN],
  ['-', Number.NaN],
  ['-0', Number.NaN],
  ['00', Number.NaN],
  ['01', Number.NaN],
  ['+1', Number.NaN],
  [' 1', Number.NaN],
  ['1 ', Number.NaN],
  ['1a', Number.NaN],
  ['9223372036854775808', Number.NaN],
  ['-9223372036854775809', Number.NaN],
  ['10000000000000000000', Number.NaN],
  ['99999999999999999999', Number.NaN],
  ['000000000000000000001', Number.NaN],
];

describe('parseLongLong (string2ll)', () => {
  it.each(CASES)('%j', (text, expected) => {
    expect(parseText(text)).toBe(expected);
  });
});
