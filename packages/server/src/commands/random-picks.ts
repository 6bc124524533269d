/**
 * Random draws for HRANDFIELD, SRANDMEMBER and SPOP (and later ZRANDMEMBER), always through the
 * node's seeded Random so simulated runs replay exactly.
 *
 * Redis's reply order for distinct picks depends on its dict layout; here distinct picks come out
 * in the order a partial Fisher-Yates shuffle draws them, and picks with repetition are
 * independent uniform draws. Only the multiset of replies is comparable with Redis.
 */
import type { Random } from '@replisim/base';
import { ErrorReply } from './types.js';

/** `count` distinct elements of `items` (count < items.length), in draw order. */
export function pickDistinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  for (let i = 0; i < count && i < pool.length; i++) {
    const j = i + random.int(pool.length - i);
    const chosen = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = chosen;
    picked.push(chosen);
  }
  return picked;
}

/** One uniformly drawn element of a non-empty `items`. */
export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)] as T;
}

/** The smallest count HRANDFIELD/SRANDMEMBER accept: getRangeLongFromObjectOrReply(-LONG_MAX). */
export const RANDOM_COUNT_MIN: bigint = -(2n ** 63n - 1n);

/**
 * A deliberate limit: a negative count asks for -count picks with repetition, and Redis would try
 * to build a reply of that many elements whatever the count (exhausting memory for huge ones).
 * replisim refuses more than this many picks with OUT_OF_RANGE_PICKS instead.
 */
export const REPEATED_PICKS_MAX: number = 1 << 24;
export const OUT_OF_RANGE_PICKS: ErrorReply = new ErrorReply('ERR value is out of range');
