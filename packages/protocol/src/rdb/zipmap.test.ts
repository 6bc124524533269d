/**
 * Zipmap tests. Method: hand-assembled zipmaps following zipmap.c, each RESTOREd into
 * redis-server 7.0.15 as type 9 (sanitize-dump-payload yes): the valid ones loaded to the pairs we
 * decode, the malformed ones were refused with "Bad data format". One blob Redis refuses is
 * accepted here on purpose: a duplicate field, which rdbLoadObject rejects while converting, not
 * zipmapValidateIntegrity, so it is the RDB reader's check.
 */
import { describe, expect, it } from 'vitest';
import { decodeZipmap } from './ziplist.js';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[^0-9a-f]/gi, ''), 'hex');
}

function decodeText(blob: string): string[] {
  return decodeZipmap(hex(blob)).map((item) => item.toString('latin1'));
}

/** One pair with a field and value of 254+ bytes: 5-byte lengths, and `free` slack after it. */
function longPair(fieldLength: number, valueLength: number, free: number): Buffer {
  const length = (n: number): Buffer => {
    if (n < 254) return Buffer.from([n]);
    const bytes = Buffer.alloc(5);
    bytes[0] = 254;
    bytes.writeUInt32LE(n, 1);
    return bytes;
  };
  return Buffer.concat([
    Buffer.from([1]),
    length(fieldLength),
    Buffer.alloc(fieldLength, 'k'),
    length(valueLength),
    Buffer.from([free]),
    Buffer.alloc(valueLength, 'v'),
    Buffer.alloc(free, '*'),
    Buffer.from([0xff]),
  ]);
}

describe('decodeZipmap', () => {
  it('reads pairs and skips the free bytes after a value', () => {
    // name => redis (2 free bytes "**"), n => 12.
    expect(decodeText('02 04 6e616d65 05 02 7265646973 2a2a 01 6e 02 00 3132 ff')).toEqual([
      'name',
      'redis',
      'n',
      '12',
    ]);
  });

  it('reads a count of 254 as "count them"', () => {
    expect(decodeText('fe 03 616263 01 00 78 ff')).toEqual(['abc', 'x']);
  });

  it('reads 5-byte lengths for fields and values of 254 bytes or more', () => {
    const items = decodeZipmap(longPair(260, 300, 1));
    expect(items.map((item) => item.length)).toEqual([260, 300]);
    expect(items[0]?.every((byte) => byte === 0x6b)).toBe(true);
    expect(items[1]?.every((byte) => byte === 0x76)).toBe(true);
  });

  it('leaves duplicate fields to the caller, as zipmapValidateIntegrity does', () => {
    expect(decodeText('02 01 61 01 00 62 01 61 01 00 63 ff')).toEqual(['a', 'b', 'a', 'c']);
  });

  const malformed: readonly [string, string, RegExp][] = [
    ['no pairs', '00 ff', /empty/],
    ['a wrong count', '03 01 61 01 00 62 ff', /says 3 pairs, found 1/],
    ['no terminator', '01 01 61 01 00 62 fe', /end with 0xFF/],
    ['a field running past the end', '01 09 61 01 00 62 ff', /past the end/],
    ['a value running past the end', '01 01 61 05 00 62 ff', /past the end/],
    ['free bytes running past the end', '01 01 61 01 07 62 ff', /past the end/],
    ['a single byte', 'ff', /too short/],
  ];
  for (const [name, blob, reason] of malformed) {
    it(`rejects a zipmap with ${name}`, () => {
      expect(() => decodeZipmap(hex(blob))).toThrow(reason);
    });
  }

  it('rejects a 5-byte length cut off by the end', () => {
    const blob = longPair(260, 300, 0).subarray(0, 4);
    blob[blob.length - 1] = 0xff;
    expect(() => decodeZipmap(blob)).toThrow(/past the end/);
  });
});
