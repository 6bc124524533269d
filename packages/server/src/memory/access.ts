/**
 * Access tracking for eviction, OBJECT IDLETIME and OBJECT FREQ: the 24-bit `lru` field Redis 7.0
 * keeps in every robj (evict.c), kept here per key by the database (keyspace/database.ts).
 *
 * Under an LRU policy (and noeviction, random and TTL policies) the field is the LRU clock at the
 * last access: unix seconds (LRU_CLOCK_RESOLUTION 1000 ms) modulo 2^24, and the idle time is the
 * clock's distance to it, wrapping once. Under an LFU policy the same 24 bits hold the last
 * decrement time in minutes (16 bits) and a logarithmic counter (8 bits): a new key starts at
 * LFU_INIT_VAL 5; an access first decays the counter by one per lfu-decay-time minutes elapsed,
 * then increments it with probability 1 / ((counter - 5) x lfu-log-factor + 1), so it saturates at
 * 255 after about a million hits with the default factor 10. Switching policy at run time does not
 * convert the field, as in Redis: an LRU clock reads as some LFU counter until keys are touched.
 *
 * Time is the command's wall-clock instant and the draw comes from the Env's Random, so simulated
 * runs replay exactly. Redis reads its cached lruclock (refreshed by serverCron at hz); replisim
 * reads the instant itself, which can differ from Redis by less than one cron period.
 */
import type { Random } from '@replisim/base';

/** LRU_CLOCK_RESOLUTION: ms per LRU clock tick. */
export const LRU_CLOCK_RESOLUTION_MS = 1000;
/** LRU_CLOCK_MAX: the clock wraps at 24 bits. */
export const LRU_CLOCK_MAX: number = (1 << 24) - 1;
/** LFU_INIT_VAL: a new key's counter, so it survives a few samples before its first hits. */
export const LFU_INIT_VAL = 5;
/** The counter saturates at 255 (8 bits). */
const LFU_COUNTER_MAX = 255;
/** The decrement time keeps 16 bits of unix minutes. */
const LFU_MINUTES_MAX = 65535;

/** What an access needs to know of the configuration (maxmemory-policy, lfu-*). */
export interface AccessPolicy {
  /** An LFU maxmemory-policy is selected (allkeys-lfu, volatile-lfu). */
  readonly lfu: boolean;
  readonly lfuLogFactor: number;
  readonly lfuDecayTime: number;
  readonly random: Random;
}

/** getLRUClock: the LRU clock at `nowMs`. */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION_MS) & LRU_CLOCK_MAX;
}

/** LFUGetTimeInMinutes: 16 bits of unix minutes. */
function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60_000) & LFU_MINUTES_MAX;
}

/** The field of a key just created (createObject): the LRU clock, or now's minutes and LFU_INIT_VAL. */
export function initialAccess(lfu: boolean, nowMs: number): number {
  return lfu ? lfuMinutes(nowMs) * 256 + LFU_INIT_VAL : lruClock(nowMs);
}

/** estimateObjectIdleTime: ms since the access recorded in an LRU field (wrapping once). */
export function idleMs(field: number, nowMs: number): number {
  const clock = lruClock(nowMs);
  const ticks = clock >= field ? clock - field : clock + (LRU_CLOCK_MAX - field);
  return ticks * LRU_CLOCK_RESOLUTION_MS;
}

/** LFUDecrAndReturn: the counter after the decay owed since its last decrement time. */
export function lfuCounter(field: number, nowMs: number, decayTime: number): number {
  const ldt = Math.floor(field / 256);
  const counter = field & 255;
  const now = lfuMinutes(nowMs);
  const elapsed = now >= ldt ? now - ldt : LFU_MINUTES_MAX - ldt + now;
  const periods = decayTime > 0 ? Math.floor(elapsed / decayTime) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: a probabilistic increment, less likely the higher the counter. */
function lfuLogIncrement(counter: number, policy: AccessPolicy): number {
  if (counter === LFU_COUNTER_MAX) return LFU_COUNTER_MAX;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * policy.lfuLogFactor + 1);
  return policy.random.float() < p ? counter + 1 : counter;
}

/** The field after an access at `nowMs` (lookupKey's touch: updateLFU or the LRU clock). */
export function touchedAccess(field: number, policy: AccessPolicy, nowMs: number): number {
  if (!policy.lfu) return lruClock(nowMs);
  const counter = lfuLogIncrement(lfuCounter(field, nowMs, policy.lfuDecayTime), policy);
  return lfuMinutes(nowMs) * 256 + counter;
}

/**
 * objectSetLRUOrLFU (RESTORE's IDLETIME and FREQ): under an LFU policy a given frequency becomes
 * the counter with now as its decrement time; under any other a given idle time sets the LRU
 * clock that many seconds back (wrapping below 0). Undefined: leave the field as created.
 */
export function restoredAccess(
  lfu: boolean,
  frequency: number | undefined,
  idleSeconds: number | undefined,
  nowMs: number,
): number | undefined {
  if (lfu) return frequency === undefined ? undefined : lfuMinutes(nowMs) * 256 + frequency;
  if (idleSeconds === undefined) return undefined;
  const ticks = Math.floor((idleSeconds * 1000) / LRU_CLOCK_RESOLUTION_MS) % LRU_CLOCK_MAX;
  const absolute = lruClock(nowMs) - ticks;
  return absolute < 0 ? absolute + LRU_CLOCK_MAX : absolute;
}
