/**
 * The trace hash computes 64-bit FNV-1a on two 32-bit halves; this checks it against a BigInt
 * implementation of the textbook algorithm and against the published test vector for "a".
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/create-random.js';
import { TraceHash } from './trace-hash.js';

function fnv1a64(bytes: number[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

describe('TraceHash', () => {
  it('matches the FNV-1a 64 test vector for "a"', () => {
    const hash = new TraceHash();
    hash.byte(0x61);
    expect(hash.hex()).toBe('af63dc4c8601ec8c');
  });

  it('matches a BigInt FNV-1a 64 on random byte strings', () => {
    const random = createRandom(5);
    for (let round = 0; round < 50; round++) {
      const bytes = Array.from(random.bytes(random.int(64)));
      const hash = new TraceHash();
      for (const byte of bytes) hash.byte(byte);
      expect(hash.hex()).toBe(fnv1a64(bytes));
    }
  });
});
