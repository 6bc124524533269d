/**
 * LZF tests. Method: streams captured from redis-server 7.0.15 (DUMP payloads) pin the format in
 * both directions: we decompress them, and our compressor reproduces them byte for byte (it is a
 * port of Redis's lzf_c.c with the same settings). Round trips over random, repetitive and
 * long inputs check that everything compressed decompresses to the input, including when the
 * shared hash table still holds entries from earlier calls. Hand-made corrupt streams must be
 * refused, never read out of bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lzfCompress, lzfDecompress } from './lzf.js';

/** Compresses as rdbSaveLzfStringObject does: into len - 4 bytes, 0 meaning "not worth it". */
function compressLikeRedis(input: Uint8Array): Buffer | undefined {
  const output = Buffer.alloc(Math.max(0, input.length - 4));
  const length = lzfCompress(input, output);
  return length === 0 ? undefined : output.subarray(0, length);
}

/** Compares with Buffer.equals: toEqual walks a large Buffer index by index, far too slowly. */
function decompressesTo(stream: Uint8Array, expected: Uint8Array): boolean {
  return lzfDecompress(stream, expected.length)?.equals(expected) ?? false;
}

/** Streams from DUMP on redis-server 7.0.15, with the values that were SET. */
const REDIS_SAMPLES: readonly { name: string; value: Buffer; stream: string }[] = [
  {
    name: '44 x "a" (§2.7 sample: C3 09 2C ...)',
    value: Buffer.from('a'.repeat(44), 'latin1'),
    stream: '016161e01f00016161',
  },
  {
    name: '"value:12345" padded with zeros to 100 bytes',
    value: Buffer.concat([Buffer.from('value:12345', 'latin1'), Buffer.alloc(89)]),
    stream: '0b76616c75653a313233343500e04d00010000',
  },
  {
    name: 'repeats with a break and a digit run',
    value: Buffer.from(
      'abcabcabcabcabcabcabcabcabcabcXYZabcabcabcabcabcabc0123456789012345678901234567890123456789',
      'latin1',
    ),
    stream: '0361626361e011020258595ae0091d0930313233343536373839e01309013839',
  },
  {
    name: 'long runs past the 264-byte reference limit',
    value: Buffer.from(`${'x'.repeat(300)}${'y'.repeat(40)}${'x'.repeat(30)}`, 'latin1'),
    stream: '017878e0ff00e019000079e01e00e01349017878',
  },
];

describe('lzfDecompress', () => {
  it('reads the §2.7 sample by hand: "aa", a 40-byte copy from 1 back, "aa"', () => {
    const stream = Buffer.from([0x01, 0x61, 0x61, 0xe0, 0x1f, 0x00, 0x01, 0x61, 0x61]);
    expect(lzfDecompress(stream, 44)?.toString('latin1')).toBe('a'.repeat(44));
  });

  for (const sample of REDIS_SAMPLES) {
    it(`decompresses what Redis wrote: ${sample.name}`, () => {
      const stream = Buffer.from(sample.stream, 'hex');
      expect(lzfDecompress(stream, sample.value.length)).toEqual(sample.value);
    });
  }

  it('refuses a stream that ends short of or runs past the expected length', () => {
    const stream = Buffer.from('016161e01f00016161', 'hex');
    expect(lzfDecompress(stream, 45)).toBeUndefined();
    expect(lzfDecompress(stream, 43)).toBeUndefined();
  });

  it('refuses a back-reference before the start of the output', () => {
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x01]), 4)).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0x20, 0x00]), 3)).toBeUndefined();
  });

  it('refuses a literal run or reference cut off by the end of the input', () => {
    expect(lzfDecompress(Buffer.from([0x04, 0x61, 0x62]), 5)).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0xe0]), 20)).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0xe0, 0x01]), 20)).toBeUndefined();
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0x20]), 4)).toBeUndefined();
  });

  it('refuses a length no stream of that size could reach, without allocating it', () => {
    // 3 bytes of back-reference expand to at most 264; a 4 GB claim is refused up front.
    const stream = Buffer.from([0x00, 0x61, 0xe0, 0xff, 0x00]);
    expect(lzfDecompress(stream, 1 + 264)?.length).toBe(265);
    expect(lzfDecompress(stream, 0xffff_ffff)).toBeUndefined();
    expect(lzfDecompress(stream, -1)).toBeUndefined();
    expect(lzfDecompress(stream, 1.5)).toBeUndefined();
  });

  it('decompresses nothing to nothing', () => {
    expect(lzfDecompress(new Uint8Array(0), 0)).toEqual(Buffer.alloc(0));
    expect(lzfDecompress(new Uint8Array(0), 1)).toBeUndefined();
  });

  it('never throws on random streams, and whatever it returns has the asked length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 300 }), (stream, length) => {
        const result = lzfDecompress(stream, length);
        if (result !== undefined) expect(result.length).toBe(length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('lzfCompress', () => {
  for (const sample of REDIS_SAMPLES) {
    it(`writes the bytes Redis writes: ${sample.name}`, () => {
      expect(compressLikeRedis(sample.value)?.toString('hex')).toBe(sample.stream);
    });
  }

  it('returns 0 when the output does not fit, and for empty input or output', () => {
    const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff));
    expect(lzfCompress(random, Buffer.alloc(60))).toBe(0);
    expect(lzfCompress(new Uint8Array(0), Buffer.alloc(10))).toBe(0);
    expect(lzfCompress(Buffer.from('aaaa'), new Uint8Array(0))).toBe(0);
    // 'abc' is one 4-byte literal run, but like liblzf the tail check wants room for 3 more bytes
    // than it has written, so it needs 5 bytes of output.
    expect(lzfCompress(Buffer.from('abc'), Buffer.alloc(5))).toBe(4);
    expect(lzfCompress(Buffer.from('abc'), Buffer.alloc(4))).toBe(0);
  });

  it('never writes past the output it was given', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat({ max: 320 }),
        (input, room) => {
          const output = Buffer.alloc(room + 8, 0xee);
          const length = lzfCompress(input, output.subarray(0, room));
          expect(length).toBeLessThanOrEqual(room);
          expect(output.subarray(room).every((byte) => byte === 0xee)).toBe(true);
          if (length > 0) expect(decompressesTo(output.subarray(0, length), input)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  const repetitive = fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.nat({ max: 70_000 }))
    .map(([unit, length]) => {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = unit[i % unit.length] as number;
      return bytes;
    });
  const mixed = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        repetitive.map((b) => b.subarray(0, 500)),
      ),
      {
        maxLength: 20,
      },
    )
    .map((parts) => Buffer.concat(parts));

  it('round-trips random, repetitive and mixed inputs of 0 to 70000 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), repetitive, mixed), (input) => {
        const output = Buffer.alloc(input.length + 64);
        const length = lzfCompress(input, output);
        if (input.length === 0) {
          expect(length).toBe(0);
          return;
        }
        expect(length).toBeGreaterThan(0);
        expect(decompressesTo(output.subarray(0, length), input)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is not misled by hash entries left by earlier calls', () => {
    // Same-looking inputs back to back: a stale entry treated as live would copy garbage.
    const first = Buffer.from('0123456789'.repeat(10), 'latin1');
    const second = Buffer.from(`Z${'0123456789'.repeat(3)}`, 'latin1');
    const output = Buffer.alloc(200);
    for (let round = 0; round < 3; round++) {
      for (const input of [first, second, second.subarray(1)]) {
        const length = lzfCompress(input, output);
        expect(decompressesTo(output.subarray(0, length), input)).toBe(true);
      }
    }
  });

  it('keeps working after its position counter wraps (about 2^31 bytes compressed)', () => {
    // Mostly zeros so the 2 GB go by quickly; the varied tail still needs literals and matches.
    const input = Buffer.alloc(1 << 20);
    for (let i = input.length - 4096; i < input.length; i++) input[i] = (i * 31) % 7;
    const output = Buffer.alloc(input.length);
    for (let round = 0; round < 2100; round++) {
      input[0] = round & 0xff;
      const length = lzfCompress(input, output);
      if (round % 300 === 0 || round >= 2040) {
        expect(decompressesTo(output.subarray(0, length), input)).toBe(true);
      }
    }
  });
});
