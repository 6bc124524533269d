/**
 * Unique values for writes, drawn from the run's seeded random source through nanoid's
 * `customRandom`, so every write's value is distinct (a read names the write it saw) and a run
 * replays exactly. Also gives run ids for run folders.
 */
import type { Random } from '@replisim/base';
import { customRandom, urlAlphabet } from 'nanoid';

/** 10 characters of nanoid's 64-letter alphabet: 60 bits, unique within any run. */
export const VALUE_ID_CHARS = 10;

/** A generator of unique ids from `random`. */
export function uniqueIds(random: Random, size: number = VALUE_ID_CHARS): () => string {
  return customRandom(urlAlphabet, size, (bytes) => random.bytes(bytes));
}
