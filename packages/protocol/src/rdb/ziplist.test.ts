/**
 * Ziplist tests. Method: ziplists are built here by a small encoder that follows ziplist.c
 * (zipStorePrevEntryLength, zipStoreEntryEncoding, zipTryEncoding) or assembled by hand. Every
 * fixed blob in this file was RESTOREd into redis-server 7.0.15 (type 10, sanitize-dump-payload
 * yes): the valid ones loaded to exactly the elements we decode, each malformed one was refused
 * with "Bad data format". A fixture from Redis's own test suite (corrupt-dump.tcl) is read in its
 * repaired form and rejected as shipped. (A 600-blob random-mutation run against the real server
 * agreed with decodeZiplist/decodeZipmap on accept/reject for every blob; it needs the server, so
 * only its shapes are kept here.) */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalInt64 } from './int64-text.js';
import { decodeZiplist } from './ziplist.js';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[^0-9a-f]/gi, ''), 'hex');
}

/** zipTryEncoding + zipStoreEntryEncoding for one element: encoding byte(s) and data. */
function encodeBody(item: string): Buffer {
  const value = item.length < 32 ? parseCanonicalInt64(item) : undefined;
  if (value !== undefined) {
    const big = BigInt(value);
    const fixed = (encoding: number, bytes: number): Buffer => {
      const body = Buffer.alloc(1 + bytes);
      body[0] = encoding;
      let bits = BigInt.asUintN(bytes * 8, big);
      for (let index = 1; index <= bytes; index++) {
        body[index] = Number(bits & 255n);
        bits >>= 8n;
      }
      return body;
    };
    if (big >= 0n && big <= 12n) return Buffer.from([0xf1 + Number(big)]);
    if (big >= -128n && big <= 127n) return fixed(0xfe, 1);
    if (big >= -32768n && big <= 32767n) return fixed(0xc0, 2);
    if (big >= -8388608n && big <= 8388607n) return fixed(0xf0, 3);
    if (big >= -2147483648n && big <= 2147483647n) return fixed(0xd0, 4);
    return fixed(0xe0, 8);
  }
  const data = Buffer.from(item, 'latin1');
  const length = data.length;
  let header: Buffer;
  if (length <= 0x3f) header = Buffer.from([length]);
  else if (length <= 0x3fff) header = Buffer.from([0x40 | (length >>> 8), length & 0xff]);
  else {
    header = Buffer.alloc(5);
    header[0] = 0x80;
    header.writeUInt32BE(length, 1);
  }
  return Buffer.concat([header, data]);
}

/** A ziplist of `items` as ziplist.c builds it by pushing each at the tail. */
function buildZiplist(items: readonly string[]): Buffer {
  const entries: Buffer[] = [];
  let previousSize = 0;
  let offset = 10;
  let tail = 10;
  for (const item of items) {
    let prevlen: Buffer;
    if (previousSize < 254) prevlen = Buffer.from([previousSize]);
    else {
      prevlen = Buffer.alloc(5);
      prevlen[0] = 0xfe;
      prevlen.writeUInt32LE(previousSize, 1);
    }
    const entry = Buffer.concat([prevlen, encodeBody(item)]);
    tail = offset;
    offset += entry.length;
    previousSize = entry.length;
    entries.push(entry);
  }
  const header = Buffer.alloc(10);
  header.writeUInt32LE(offset + 1, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(Math.min(items.length, 0xffff), 8);
  return Buffer.concat([header, ...entries, Buffer.from([0xff])]);
}

/** Every encoding ziplist.c has, in the list RESTOREd into Redis 7.0.15 as type 10. */
const ENCODING_TOUR: readonly string[] = [
  '0',
  '12',
  '13',
  '-1',
  '127',
  '128',
  '-128',
  '-129',
  '32767',
  '32768',
  '-32768',
  '-32769',
  '8388607',
  '8388608',
  '-8388608',
  '-8388609',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-0',
  '007',
  'x'.repeat(63),
  'y'.repeat(64),
  'z'.repeat(300),
  'after300',
  'w'.repeat(16384),
  '',
  '1234567890123456789012345678901',
];

describe('decodeZiplist', () => {
  it('reads a hand-assembled ziplist byte by byte', () => {
    // "ab", 5 (immediate F6), -200 (int16), then "x": prevlens 0, 4, 2, 4.
    const blob = hex('18000000 14000000 0400 00 02 6162 04 f6 02 c0 38ff 04 01 78 ff');
    expect(decodeZiplist(blob).map(String)).toEqual(['ab', '5', '-200', 'x']);
  });

  it('reads every encoding (the list Redis loaded to the same elements)', () => {
    const blob = buildZiplist(ENCODING_TOUR);
    // The 5-byte prevlen after the 300-byte string, the 14- and 32-bit string lengths.
    expect(blob.includes(hex('fe2f010000 08'))).toBe(true);
    expect(blob.includes(hex('412c'))).toBe(true);
    expect(blob.includes(hex('8000004000'))).toBe(true);
    expect(decodeZiplist(blob).map((item) => item.toString('latin1'))).toEqual(ENCODING_TOUR);
  });

  it('reads the corrupt-dump.tcl hash ziplist once repaired, and rejects it as shipped', () => {
    // tests/integration/corrupt-dump.tcl "hash with valid zip list header, invalid entry len":
    // the third entry's length byte 0x14 runs past the end; 0x02 is the valid original.
    const shipped = hex('1b000000 16000000 0400 000261 00 04026200 04146300 04026400 ff');
    const repaired = hex('1b000000 16000000 0400 000261 00 04026200 04026300 04026400 ff');
    expect(decodeZiplist(repaired).map((item) => item.toString('latin1'))).toEqual([
      'a\0',
      'b\0',
      'c\0',
      'd\0',
    ]);
    expect(() => decodeZiplist(shipped)).toThrow(/runs past the end/);
  });

  it('reads an empty ziplist and a 65535 ("count them") header', () => {
    expect(decodeZiplist(hex('0b000000 0a000000 0000 ff'))).toEqual([]);
    const blob = buildZiplist(['a', 'b']);
    blob.writeUInt16LE(0xffff, 8);
    expect(decodeZiplist(blob).map(String)).toEqual(['a', 'b']);
  });

  it('reads any 10xxxxxx byte as a 32-bit string length, as ZIP_ENTRY_ENCODING does', () => {
    const blob = hex('14000000 0a000000 0100 00 8500000003 616263 ff');
    expect(decodeZiplist(blob).map(String)).toEqual(['abc']);
  });

  /** Each valid base mutated one way; Redis rejected each of these shapes on RESTORE. */
  const malformed: readonly [string, string, RegExp][] = [
    ['shorter than a header', '0a000000 0a000000 00 ff', /shorter than a header/],
    [
      'zlbytes not the blob size',
      '1a000000 15000000 0400 00026162 04f6 02c038ff 040178 ff',
      /says 26 bytes/,
    ],
    ['no terminator', '18000000 14000000 0400 00026162 04f6 02c038ff 040178 fe', /end with 0xFF/],
    [
      'zltail past the end',
      '18000000 18000000 0400 00026162 04f6 02c038ff 040178 ff',
      /past the end/,
    ],
    [
      'zltail not at the last entry',
      '18000000 10000000 0400 00026162 04f6 02c038ff 040178 ff',
      /not the last entry/,
    ],
    [
      'a wrong prevlen',
      '18000000 14000000 0400 00026162 05f6 02c038ff 040178 ff',
      /prevlen 5, expected 4/,
    ],
    [
      'a wrong first prevlen',
      '18000000 14000000 0400 01026162 04f6 02c038ff 040178 ff',
      /prevlen 1, expected 0/,
    ],
    [
      'too many entries declared',
      '18000000 14000000 0500 00026162 04f6 02c038ff 040178 ff',
      /says 5 entries, found 4/,
    ],
    [
      'an unknown encoding 0xc1',
      '18000000 14000000 0400 00026162 04f6 02c138ff 040178 ff',
      /unknown encoding 0xc1/,
    ],
    [
      'a string running past the end',
      '18000000 14000000 0400 00026162 04f6 02c038ff 040578 ff',
      /runs past the end/,
    ],
    ['an int64 cut short', '12000000 0a000000 0100 00 e0010203 0405 ff', /runs past the end/],
    ['a 5-byte prevlen cut short', '0e000000 0a000000 0100 fe0100 ff', /runs past the end/],
    ['a 32-bit length cut short', '0f000000 0a000000 0100 00 800000 ff', /runs past the end/],
  ];
  for (const [name, blob, reason] of malformed) {
    it(`rejects a ziplist with ${name}`, () => {
      expect(() => decodeZiplist(hex(blob))).toThrow(reason);
    });
  }

  const element = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 80 }),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
    fc.integer({ min: -300, max: 300 }).map(String),
    fc.constantFrom(63, 64, 253, 254, 300, 16383, 16384).map((length) => 'q'.repeat(length)),
  );

  it('decodes every ziplist ziplist.c would build', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 25 }), (items) => {
        expect(decodeZiplist(buildZiplist(items)).map((item) => item.toString('latin1'))).toEqual(
          items,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('throws only Error on mutated blobs', () => {
    const base = buildZiplist(['a', '12', '-129', 'x'.repeat(70), '300', 'bb', '8388608']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 3 }), (edits) => {
        const blob = Buffer.from(base);
        for (const [at, byte] of edits) blob[at % blob.length] = byte;
        try {
          decodeZiplist(blob);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});
