/**
 * The Random of a real process: the seeded PRNG, seeded once from the operating system.
 *
 * Real mode needs no replay, so the seed comes from crypto's randomBytes; that is allowed here, in
 * src/real/, and nowhere else. The seed is returned too, so a process can log it.
 */
import { randomBytes } from 'node:crypto';
import type { Random } from '../env.js';
import { createRandom } from '../random/create-random.js';

export function createRealSeed(): bigint {
  return randomBytes(8).readBigUInt64LE(0);
}

export function createRealRandom(seed: bigint = createRealSeed()): Random {
  return createRandom(seed);
}
