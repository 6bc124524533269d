/**
 * Intset tests. Method: blobs redis-server 7.0.15 wrote (DUMP of SADD) at each width boundary must
 * come out of encodeIntset byte for byte and decode back to the members; a property round-trips
 * random int64 sets; malformed blobs are rejected for the reason intsetValidateIntegrity gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIntset, encodeIntset } from './intset.js';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[^0-9a-f]/gi, ''), 'hex');
}

/** SADD arguments and the intset Redis 7.0.15 DUMPed for them. */
const REDIS_INTSETS: readonly (readonly [string[], string])[] = [
  [['3', '1', '2'], '02000000 03000000 0100 0200 0300'], // the §2.7 sample
  [['-32768', '32767'], '02000000 02000000 0080 ff7f'],
  [['-32769', '5', '32767'], '04000000 03000000 ff7fffff 05000000 ff7f0000'],
  [['-2147483648', '2147483647', '0'], '04000000 03000000 00000080 00000000 ffffff7f'],
  [
    ['2147483648', '-1', '9223372036854775807', '-9223372036854775808', '9007199254740993'],
    '08000000 05000000 0000000000000080 ffffffffffffffff 0000008000000000 0100000000002000' +
      ' ffffffffffffff7f',
  ],
];

function sortedNumerically(members: readonly string[]): string[] {
  return [...members].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

describe('encodeIntset', () => {
  for (const [members, blob] of REDIS_INTSETS) {
    it(`writes what Redis writes for {${members.join(', ')}}`, () => {
      expect(encodeIntset(members).toString('hex')).toBe(hex(blob).toString('hex'));
      expect(encodeIntset(members.map((member) => Buffer.from(member))).equals(hex(blob))).toBe(
        true,
      );
    });
  }

  it('refuses members that are not canonical int64 text, duplicates and an empty set', () => {
    for (const bad of ['1.5', '+1', '01', '-0', ' 1', '', '9223372036854775808']) {
      expect(() => encodeIntset(['1', bad])).toThrow(/not a canonical int64/);
    }
    expect(() => encodeIntset(['7', '3', '7'])).toThrow(/appears twice/);
    expect(() => encodeIntset(['9223372036854775807', '9223372036854775807'])).toThrow(
      /appears twice/,
    );
    expect(() => encodeIntset([])).toThrow(/at least one member/);
  });
});

describe('decodeIntset', () => {
  for (const [members, blob] of REDIS_INTSETS) {
    it(`reads what Redis wrote for {${members.join(', ')}}`, () => {
      expect(decodeIntset(hex(blob))).toEqual(sortedNumerically(members));
    });
  }

  it('reads a blob that sits inside a larger buffer', () => {
    const outer = Buffer.concat([hex('aabbcc'), hex('02000000 02000000 0100 0200')]);
    expect(decodeIntset(outer.subarray(3))).toEqual(['1', '2']);
  });

  it('accepts a wider encoding than needed, as Redis does', () => {
    expect(decodeIntset(hex('08000000 01000000 0500000000000000'))).toEqual(['5']);
  });

  const malformed: readonly [string, string, RegExp][] = [
    ['no header', '02000000 0100', /no header/],
    ['encoding 3', '03000000 01000000 010000', /unknown encoding 3/],
    ['encoding 0', '00000000 00000000', /unknown encoding 0/],
    ['a length larger than the blob', '02000000 03000000 0100 0200', /does not fill/],
    ['a length smaller than the blob', '02000000 01000000 0100 0200', /does not fill/],
    ['no members', '02000000 00000000', /empty/],
    ['a duplicate', '02000000 02000000 0100 0100', /not strictly ascending at member 1/],
    ['descending members', '04000000 02000000 02000000 01000000', /not strictly ascending/],
    [
      'descending int64 members',
      '08000000 02000000 ffffffffffffff7f 0000000000000080',
      /ascending/,
    ],
  ];
  for (const [name, blob, reason] of malformed) {
    it(`rejects an intset with ${name}`, () => {
      expect(() => decodeIntset(hex(blob))).toThrow(reason);
    });
  }
});

describe('intset round trip', () => {
  const member = fc.oneof(
    fc.integer({ min: -40000, max: 40000 }).map(BigInt),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
    fc.constantFrom(-(1n << 63n), (1n << 63n) - 1n, -(1n << 31n), (1n << 31n) - 1n, 1n << 31n),
  );

  it('decodes what it encodes, ascending, at the narrowest width', () => {
    fc.assert(
      fc.property(fc.uniqueArray(member, { minLength: 1, maxLength: 40 }), (values) => {
        const members = values.map(String);
        const blob = encodeIntset(members);
        expect(decodeIntset(blob)).toEqual(sortedNumerically(members));
        const fits = (bits: bigint) =>
          values.every((v) => v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n));
        const width = fits(16n) ? 2 : fits(32n) ? 4 : 8;
        expect(blob.readUInt32LE(0)).toBe(width);
        expect(blob.length).toBe(8 + width * values.length);
      }),
      { numRuns: 300 },
    );
  });
});
