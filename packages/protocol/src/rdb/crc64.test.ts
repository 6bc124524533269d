/**
 * CRC64 tests. Method: the published check value and the trailer of the real 7.0.15 dump in §2.7
 * pin the parameters; a bit-by-bit BigInt implementation written from the definition (reflected
 * Jones polynomial, init 0, xorout 0) must agree with the sliced tables on random inputs of every
 * length around the 8-byte block size and at every memory alignment; and feeding the same bytes in pieces, split anywhere, must
 * give the one-shot value, since the RDB writer and reader checksum chunk by chunk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from './crc64.js';

const REFLECTED_POLY = 0x95ac9329ac4bc9b5n;
const MASK64 = (1n << 64n) - 1n;

/** The definition, one bit at a time: slow and obviously right. */
function referenceCrc64(data: Uint8Array): bigint {
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc & 1n) === 1n ? (crc >> 1n) ^ REFLECTED_POLY : crc >> 1n;
    }
  }
  return crc & MASK64;
}

describe('crc64', () => {
  it('gives the check value of "123456789" that crc64.c self-tests against', () => {
    expect(crc64(Buffer.from('123456789', 'latin1'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no bytes, and after reset', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    const crc = new Crc64();
    crc.update(Buffer.from('abc'));
    crc.reset();
    expect(crc.value).toBe(0n);
    crc.update(Buffer.from('123456789'));
    expect(crc.value).toBe(0xe9c6d914c4b8d9can);
  });

  it('matches the trailer Redis 7.0.15 wrote for a DUMP payload', () => {
    // DUMP of SET k "hello" from redis-server 7.0.15: type 0, string, RDB version 10, CRC64 LE.
    const payload = Buffer.from('000568656c6c6f0a00', 'hex');
    const trailer = Buffer.from('6372df766534200a', 'hex');
    expect(crc64(payload)).toBe(trailer.readBigUInt64LE(0));
  });

  it('agrees with the bit-by-bit definition on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 70 }), (data) => {
        expect(crc64(data)).toBe(referenceCrc64(data));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the definition on long inputs at every memory alignment (the word loop)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 256, maxLength: 1200 }),
        fc.nat({ max: 7 }),
        (bytes, offset) => {
          // Copy into a larger buffer at `offset` so the view starts at every alignment.
          const backing = new Uint8Array(bytes.length + 8);
          backing.set(bytes, offset);
          const view = backing.subarray(offset, offset + bytes.length);
          expect(crc64(view)).toBe(referenceCrc64(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the one-shot value at every split point of a stream', () => {
    const data = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 97 + 13) & 0xff));
    const whole = crc64(data);
    for (let split = 0; split <= data.length; split++) {
      const crc = new Crc64();
      crc.update(data, 0, split);
      crc.update(data, split);
      expect(crc.value).toBe(whole);
    }
  });

  it('gives the one-shot value however a random stream is cut', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (data, cuts) => {
          const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort(
            (a, b) => a - b,
          );
          const crc = new Crc64();
          let start = 0;
          for (const point of [...points, data.length]) {
            crc.update(data, start, point);
            start = point;
          }
          expect(crc.value).toBe(referenceCrc64(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a range outside the array', () => {
    const crc = new Crc64();
    expect(() => crc.update(new Uint8Array(4), 2, 5)).toThrow(RangeError);
    expect(() => crc.update(new Uint8Array(4), 3, 2)).toThrow(RangeError);
  });
});
