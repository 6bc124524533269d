/**
 * `createRandom(seed)`: the one way to turn a user-facing seed into a `Random`.
 *
 * Seeds come from command lines, scenario files and fast-check, so three spellings are accepted and
 * mapped to one 64-bit value: a safe integer, a bigint (its low 64 bits), or a string. A string of
 * decimal digits or `0x` hex is read as that number, so `--seed 42` and `seed: 42` replay the same run;
 * any other string is hashed with FNV-1a 64 over its UTF-8 bytes.
 */
import { assert } from '../assert.js';
import type { Random } from '../env.js';
import { Xoshiro128 } from './xoshiro128.js';

export type Seed = number | bigint | string;

const FNV64_OFFSET = 0xcbf2_9ce4_8422_2325n;
const FNV64_PRIME = 0x100_0000_01b3n;
const MASK_64 = 0xffff_ffff_ffff_ffffn;
const NUMERIC_SEED = /^(?:0x[0-9a-f]+|[0-9]+)$/i;

/** A deterministic generator: the same seed always gives the same stream. */
export function createRandom(seed: Seed): Random {
  return Xoshiro128.fromSeed(seedToU64(seed));
}

/** The unsigned 64-bit value a seed stands for. */
export function seedToU64(seed: Seed): bigint {
  if (typeof seed === 'number') {
    assert(Number.isSafeInteger(seed), 'a numeric seed must be a safe integer');
    return BigInt.asUintN(64, BigInt(seed));
  }
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (NUMERIC_SEED.test(seed)) return BigInt.asUintN(64, BigInt(seed));
  let hash = FNV64_OFFSET;
  for (const byte of new TextEncoder().encode(seed)) {
    hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK_64;
  }
  return hash;
}

/** An integer in [min, max], both inclusive; the usual shape of a latency range. */
export function randomBetween(random: Random, min: number, max: number): number {
  assert(Number.isInteger(min), 'randomBetween min must be an integer');
  assert(Number.isInteger(max), 'randomBetween max must be an integer');
  assert(min <= max, 'randomBetween needs min <= max');
  if (min === max) return min;
  return min + random.int(max - min + 1);
}
