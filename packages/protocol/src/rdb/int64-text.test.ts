/**
 * int64-text tests. Method: string2ll's accept/reject rules case by case, the number/bigint split
 * at 15/16 digits, and a property that every int64 survives text -> parse and bytes -> read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalInt64, readInt64LE, writeInt64LE } from './int64-text.js';

describe('parseCanonicalInt64', () => {
  it('accepts what string2ll accepts, from strings and Buffers alike', () => {
    const cases: readonly [string, number | bigint][] = [
      ['0', 0],
      ['7', 7],
      ['-7', -7],
      ['999999999999999', 999999999999999],
      ['-999999999999999', -999999999999999],
      ['1000000000000000', 1000000000000000n],
      ['9223372036854775807', 9223372036854775807n],
      ['-9223372036854775808', -9223372036854775808n],
    ];
    for (const [text, value] of cases) {
      expect(parseCanonicalInt64(text)).toBe(value);
      expect(parseCanonicalInt64(Buffer.from(text, 'latin1'))).toBe(value);
    }
  });

  it('refuses what string2ll refuses', () => {
    const refused = ['', '-', '-0', '00', '01', '+1', ' 1', '1 ', '1.0', '1e3', '0x1', '١'];
    refused.push('9223372036854775808', '-9223372036854775809', '99999999999999999999');
    refused.push('123456789012345678901');
    for (const text of refused) expect(parseCanonicalInt64(text), text).toBeUndefined();
  });

  it('round-trips every int64 through its text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (value) => {
        expect(BigInt(parseCanonicalInt64(String(value)) ?? Number.NaN)).toBe(value);
      }),
    );
  });
});

describe('readInt64LE / writeInt64LE', () => {
  it('round-trips every int64, as a number exactly when it is a safe integer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (value) => {
        const safe =
          value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
        const bytes = Buffer.alloc(10);
        writeInt64LE(bytes, safe ? Number(value) : value, 1);
        expect(bytes.readBigInt64LE(1)).toBe(value);
        const read = readInt64LE(bytes, 1);
        expect(BigInt(read)).toBe(value);
        if (typeof read === 'number') expect(Number.isSafeInteger(read)).toBe(true);
      }),
    );
  });

  it('writes the int64 limits and -1 as two-complement little-endian', () => {
    const bytes = Buffer.alloc(8);
    writeInt64LE(bytes, -1, 0);
    expect(bytes.toString('hex')).toBe('ffffffffffffffff');
    writeInt64LE(bytes, -(1n << 63n), 0);
    expect(bytes.toString('hex')).toBe('0000000000000080');
    writeInt64LE(bytes, Number.MIN_SAFE_INTEGER, 0);
    expect(bytes.readBigInt64LE(0)).toBe(BigInt(Number.MIN_SAFE_INTEGER));
  });
});
