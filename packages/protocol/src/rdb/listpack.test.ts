/**
 * Listpack tests. Method: byte-exact comparison with blobs redis-server 7.0.15 wrote (the §2.7
 * samples, and a list node DUMPed from RPUSH of every integer-encoding boundary and several
 * strings that only look numeric), so the builder makes Redis's bytes and the decoder reads them;
 * a round-trip property over elements drawn around every encoding boundary; and a catalogue of
 * malformed blobs that lpValidateIntegrity(deep) rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeListpack,
  LISTPACK_COUNT_UNKNOWN,
  ListpackBuilder,
  listpackEntrySize,
} from './listpack.js';

function build(elements: readonly (Buffer | string)[]): Buffer {
  const builder = new ListpackBuilder();
  for (const element of elements) builder.push(element);
  return builder.finish();
}

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[^0-9a-f]/gi, ''), 'hex');
}

/** A string entry: its encoding bytes, the text, its backlen bytes. */
function stringEntry(head: string, text: string, backlen: string): string {
  return `${head}${Buffer.from(text, 'latin1').toString('hex')}${backlen}`;
}

/**
 * Each element with the entry (encoding + data + backlen) redis-server 7.0.15 wrote for it, cut
 * from one DUMPed list node (RPUSH of all of them in this order).
 */
const REDIS_ENTRIES: readonly (readonly [string, string])[] = [
  ['0', '0001'],
  ['1', '0101'],
  ['127', '7f01'],
  ['128', 'c08002'],
  ['-1', 'dfff02'],
  ['4095', 'cfff02'],
  ['4096', 'f1001003'],
  ['-4096', 'd00002'],
  ['-4097', 'f1ffef03'],
  ['32767', 'f1ff7f03'],
  ['32768', 'f200800004'],
  ['-32768', 'f1008003'],
  ['-32769', 'f2ff7fff04'],
  ['8388607', 'f2ffff7f04'],
  ['8388608', 'f30000800005'],
  ['-8388608', 'f200008004'],
  ['-8388609', 'f3ffff7fff05'],
  ['2147483647', 'f3ffffff7f05'],
  ['2147483648', 'f4000000800000000009'],
  ['-2147483648', 'f30000008005'],
  ['-2147483649', 'f4ffffff7fffffffff09'],
  ['9007199254740993', 'f4010000000000200009'],
  ['9223372036854775807', 'f4ffffffffffffff7f09'],
  ['-9223372036854775808', 'f4000000000000008009'],
  ['9223372036854775808', stringEntry('93', '9223372036854775808', '14')],
  ['-9223372036854775809', stringEntry('94', '-9223372036854775809', '15')],
  ['-0', '822d3003'],
  ['007', '8330303704'],
  ['+5', '822b3503'],
  [' 5', '82203503'],
  ['5 ', '82352003'],
  ['1e3', '8331653304'],
  ['', '8001'],
  ['x'.repeat(63), stringEntry('bf', 'x'.repeat(63), '40')],
  ['y'.repeat(64), stringEntry('e040', 'y'.repeat(64), '42')],
  ['z'.repeat(127), stringEntry('e07f', 'z'.repeat(127), '0181')],
  ['w'.repeat(128), stringEntry('e080', 'w'.repeat(128), '0182')],
  ['99999999999999999999', stringEntry('94', '99999999999999999999', '15')],
  ['-', '812d02'],
];

describe('ListpackBuilder', () => {
  it('writes the §2.7 hash listpack: f, v', () => {
    expect(build(['f', 'v'])).toEqual(hex('0d000000 0200 8166 02 8176 02 ff'));
  });

  it('writes the §2.7 zset listpack: a 1 b 2.5', () => {
    expect(build(['a', '1', 'b', '2.5'])).toEqual(
      hex('14000000 0400 8161 02 0101 8162 02 83322e35 04 ff'),
    );
  });

  it('writes the §2.7 quicklist node: a b 1 (Buffers as well as strings)', () => {
    expect(build([Buffer.from('a'), 'b', Buffer.from('1')])).toEqual(
      hex('0f000000 0300 8161 02 8162 02 0101 ff'),
    );
  });

  it('writes every integer and string boundary as Redis does', () => {
    const entries = REDIS_ENTRIES.map(([, entry]) => entry).join('');
    const body = hex(entries);
    const total = 6 + body.length + 1;
    const header = Buffer.alloc(6);
    header.writeUInt32LE(total, 0);
    header.writeUInt16LE(REDIS_ENTRIES.length, 4);
    const expected = Buffer.concat([header, body, Buffer.from([0xff])]);
    expect(total).toBe(626); // the node redis-server 7.0.15 DUMPed
    expect(build(REDIS_ENTRIES.map(([element]) => element)).equals(expected)).toBe(true);
  });

  it('sizes every entry as it writes it', () => {
    for (const [element, entry] of REDIS_ENTRIES) {
      expect(listpackEntrySize(element), element.slice(0, 20)).toBe(hex(entry).length);
      expect(listpackEntrySize(Buffer.from(element, 'latin1'))).toBe(hex(entry).length);
    }
  });

  it('uses the 12-bit and 32-bit string forms and 2- and 3-byte backlens as Redis does', () => {
    // Heads and tails of single-element list nodes DUMPed from redis-server 7.0.15.
    const cases: readonly [string, string, string][] = [
      ['a'.repeat(4095), '0a100000 0100 efff', '2081 ff'],
      ['b'.repeat(4096), '0e100000 0100 f000100000', '2085 ff'],
      ['c'.repeat(16377), '07400000 0100 f0f93f0000', '7ffe ff'],
      ['d'.repeat(16378), '09400000 0100 f0fa3f0000', '00ffff ff'],
    ];
    for (const [element, head, tail] of cases) {
      const expected = Buffer.concat([hex(head), Buffer.from(element, 'latin1'), hex(tail)]);
      expect(build([element]).equals(expected), `${element.length} bytes`).toBe(true);
    }
  });

  it('reports the size the listpack would have, and the count', () => {
    const builder = new ListpackBuilder();
    expect(builder.byteLength).toBe(7);
    builder.push('hello');
    builder.push('12345');
    expect(builder.count).toBe(2);
    expect(builder.byteLength).toBe(7 + listpackEntrySize('hello') + listpackEntrySize('12345'));
    const blob = builder.finish();
    expect(blob.length).toBe(7 + 7 + 4);
    expect(builder.count).toBe(0);
    expect(builder.byteLength).toBe(7);
    builder.push('x');
    expect(builder.finish()).toEqual(hex('0a000000 0100 8178 02 ff'));
    expect(decodeListpack(blob).map(String)).toEqual(['hello', '12345']);
  });

  it('writes count 65535 ("unknown") from 65535 elements on, and still decodes', () => {
    for (const count of [65534, 65535, 70000]) {
      const builder = new ListpackBuilder();
      for (let index = 0; index < count; index++) builder.push(String(index % 100));
      const blob = builder.finish();
      expect(blob.readUInt16LE(4)).toBe(Math.min(count, LISTPACK_COUNT_UNKNOWN));
      expect(decodeListpack(blob).length).toBe(count);
    }
  });
});

describe('decodeListpack', () => {
  it('reads the §2.7 samples', () => {
    expect(decodeListpack(hex('0d000000 0200 8166 02 8176 02 ff')).map(String)).toEqual(['f', 'v']);
    expect(
      decodeListpack(hex('14000000 0400 8161 02 0101 8162 02 83322e35 04 ff')).map(String),
    ).toEqual(['a', '1', 'b', '2.5']);
  });

  it('reads every boundary entry Redis wrote back to the element', () => {
    const blob = build(REDIS_ENTRIES.map(([element]) => element));
    expect(decodeListpack(blob).map((element) => element.toString('latin1'))).toEqual(
      REDIS_ENTRIES.map(([element]) => element),
    );
  });

  it('accepts integers in wider encodings than needed, as Redis does', () => {
    // 5 as a 13-bit int and as an int64: valid listpacks, just not what Redis would write.
    expect(decodeListpack(hex('0c000000 0200 c005 02 0101 ff')).map(String)).toEqual(['5', '1']);
    expect(decodeListpack(hex('11000000 0100 f40500000000000000 09 ff')).map(String)).toEqual([
      '5',
    ]);
  });

  it('returns copies, not views of the blob', () => {
    const blob = build(['abc']);
    const [element] = decodeListpack(blob);
    blob[7] = 0x7a;
    expect(element?.toString()).toBe('abc');
  });

  /** Each with the blob and the words the error must contain, so it fails for that reason. */
  const malformed: readonly [string, string, RegExp][] = [
    ['shorter than a header', '0600000000ff', /shorter than a header/],
    ['header total larger than the blob', '0e000000 0200 8166 02 8176 02 ff', /says 14 bytes/],
    ['header total smaller than the blob', '0c000000 0200 8166 02 8176 02 ff', /says 12 bytes/],
    ['no terminator', '0d000000 0200 8166 02 8176 02 fe', /does not end with 0xFF/],
    ['count too high', '0d000000 0300 8166 02 8176 02 ff', /says 3 entries, found 2/],
    ['count too low', '0d000000 0100 8166 02 8176 02 ff', /says 1 entries, found 2/],
    ['string running into the terminator', '0b000000 0100 8566 02 ff ff', /runs past the end/],
    ['backlen too small', '0d000000 0200 8166 01 8176 02 ff', /backlen 1, expected 2/],
    ['backlen too large', '0d000000 0200 8166 02 8176 03 ff', /backlen 3, expected 2/],
    ['backlen continuing into the data', '0b000000 0100 8266 67 83 ff', /backlen \d+, expected 3/],
    ['unknown encoding 0xf5', '09000000 0100 f5 01 ff', /unknown encoding 0xf5/],
    ['int64 cut short', '0c000000 0100 f4010203 04 ff', /runs past the end/],
    ['32-bit string length past the end', '0e000000 0100 f0ffffff7f 61 06 ff', /past the end/],
    ['a terminator before the end', '0c000000 0100 0101 ff 0101 ff', /unknown encoding 0xff/],
  ];
  for (const [name, blob, reason] of malformed) {
    it(`rejects a listpack with ${name}`, () => {
      expect(() => decodeListpack(hex(blob))).toThrow(reason);
    });
  }

  it('never throws anything but Error on random and mutated blobs', () => {
    const valid = build(['f', 'v', '12345', 'x'.repeat(70), '-70000']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }), (edits) => {
        const blob = Buffer.from(valid);
        for (const [at, byte] of edits) blob[at % blob.length] = byte;
        try {
          decodeListpack(blob);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('listpack round trip', () => {
  const boundaries = [
    0, 127, 128, 4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769, 8388607, 8388608, -8388608,
    -8388609, 2147483647, 2147483648, -2147483648, -2147483649,
  ];
  const integerText = fc.oneof(
    fc.constantFrom(...boundaries).map(String),
    fc.integer({ min: -10000, max: 10000 }).map(String),
    fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
    fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808'),
  );
  const lookalike = fc.constantFrom('-0', '00', '+1', ' 1', '1 ', '0x10', '1.5', '-', '');
  const text = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 70 }),
    fc.constantFrom(63, 64, 127, 128, 4095, 4096, 16377, 16378).map((length) => 's'.repeat(length)),
  );
  const element = fc.oneof(integerText, lookalike, text);

  it('decodes what it encodes, and sizes it exactly', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 30 }), fc.boolean(), (elements, asBuffers) => {
        const builder = new ListpackBuilder();
        let size = 7;
        for (const item of elements) {
          builder.push(asBuffers ? Buffer.from(item, 'latin1') : item);
          size += listpackEntrySize(item);
        }
        expect(builder.byteLength).toBe(size);
        const blob = builder.finish();
        expect(blob.length).toBe(size);
        expect(decodeListpack(blob).map((item) => item.toString('latin1'))).toEqual(elements);
      }),
      { numRuns: 300 },
    );
  });
});
