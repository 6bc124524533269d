/**
 * The hand-written SHA-1 (sha1.ts) must be the standard one, or DEBUG DIGEST would stop matching
 * Redis's. Method: compare with node:crypto on inputs of every length across the padding edges
 * (55, 56, 63, 64 and 119, 120 bytes put the bit length in the same or the next block), on random
 * bytes and latin1 strings, and with the output written over the input (as mixDigest does).
 * SHA1_PROPERTY_RUNS=N runs more random cases.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1Into, sha1Latin1Into, sha1Uint32Into } from './sha1.js';

const RUNS = Number(process.env['SHA1_PROPERTY_RUNS'] ?? '300');

function reference(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

function ours(data: Uint8Array): string {
  const out = Buffer.alloc(20);
  sha1Into(data, out);
  return out.toString('hex');
}

describe('sha1', () => {
  it('matches node:crypto for every length from 0 to 300 bytes and a long input', () => {
    for (let length = 0; length <= 300; length++) {
      const data = Buffer.alloc(length);
      for (let i = 0; i < length; i++) data[i] = (i * 31 + length) & 0xff;
      expect(ours(data), `length ${length}`).toBe(reference(data));
    }
    const long = Buffer.alloc(100_000, 0xab);
    expect(ours(long)).toBe(reference(long));
    // Back to a short input after the scratch buffer grew: no stale bytes from the long one.
    expect(ours(Buffer.from('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('matches node:crypto on random bytes, latin1 strings and 32-bit numbers', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) }),
        fc.nat({ max: 0xffff_ffff }),
        (bytes, text, number) => {
          expect(ours(bytes)).toBe(reference(bytes));
          const out = Buffer.alloc(20);
          sha1Latin1Into(text, out);
          expect(out.toString('hex')).toBe(reference(Buffer.from(text, 'latin1')));
          sha1Uint32Into(number, out);
          const word = Buffer.alloc(4);
          word.writeUInt32BE(number);
          expect(out.toString('hex')).toBe(reference(word));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('hashes in place when the output is the input (mixDigest)', () => {
    const digest = Buffer.from('0123456789abcdefghij', 'latin1');
    const expected = reference(digest);
    sha1Into(digest, digest);
    expect(digest.toString('hex')).toBe(expected);
  });
});
