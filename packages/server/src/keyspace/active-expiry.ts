/**
 * Active expiry: the background half of key expiry, Redis 7.0's activeExpireCycle (expire.c) in its
 * slow, cron-driven form. Lazy expiry (Database.lookup) only removes keys that are touched; this
 * removes the ones nobody reads, so memory and DBSIZE do not grow without bound.
 *
 * Each cycle walks the databases round-robin from where the last cycle stopped. Per database it
 * repeats a loop: look at up to `keysPerLoop` keys that have a TTL (20 at active-expire-effort 1,
 * plus 5 per effort step), delete the expired ones through `Database.lookup`, the same path as lazy
 * expiry (so the node's onExpired hook counts them, invalidates WATCH and propagates DEL), and go
 * again while more than `staleAcceptablePercent` (10% at effort 1, minus 1 per step) of the sample
 * had expired. It stops for good when the cycle's time budget is used: 25% of the cron period (plus
 * 2% per effort step), measured on the monotonic clock.
 *
 * Sampling: Redis 6+ does not draw random keys here; it walks the expires dict with a persistent
 * cursor (db->expires_cursor), so successive cycles cover every volatile key. The same is done with
 * a live iterator over the database's TTL map per database, restarted when it runs out; a Map
 * iterator stays valid across insertions and deletions. No randomness is needed, so none is drawn.
 *
 * Bounded work: simulated time does not move while an event runs, so the time budget alone would
 * never stop a cycle in the simulator. `ACTIVE_EXPIRE_CYCLE_LOOPS_MAX` caps the loops of one cycle,
 * so a cycle looks at no more than loops x keysPerLoop keys (1280 at effort 1) wherever it runs.
 * Redis checks its clock only every 16 loops; the cap plays that role deterministically.
 *
 * Replicas never expire actively (their databases have `deleteExpired` off): the master's DELs do.
 */
import type { Database } from './database.js';

/** ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: keys looked at per loop at effort 1. */
export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
/** ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC: share of the cron period a cycle may use, at effort 1. */
export const ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25;
/** ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE: loop again while more than this % of a sample expired. */
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10;
/** Loops per cycle at most, over all databases (see "Bounded work" above). */
export const ACTIVE_EXPIRE_CYCLE_LOOPS_MAX = 64;

export interface ActiveExpiryParams {
  /** active-expire-effort, 1 to 10. */
  readonly effort: number;
  /** The cron frequency (config hz): the budget is a share of 1000 / hz ms. */
  readonly hz: number;
}

/** What a cycle did, for tests and INFO-like counters. */
export interface ActiveExpiryCycleResult {
  readonly sampled: number;
  readonly expired: number;
  readonly loops: number;
  /** The cycle stopped on its time budget or loop cap rather than running out of stale keys. */
  readonly budgetExhausted: boolean;
}

type Cursor = Iterator<[string, number]>;

/** The derived limits of expire.c for an effort (1..10). */
export function activeExpiryLimits(params: ActiveExpiryParams): {
  keysPerLoop: number;
  staleAcceptablePercent: number;
  budgetMs: number;
} {
  const effort = Math.min(9, Math.max(0, params.effort - 1));
  const keysPerLoop =
    ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP + Math.floor(ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP / 4) * effort;
  const timePercent = ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC + 2 * effort;
  const budgetMs = (timePercent * 1000) / Math.max(1, params.hz) / 100;
  return {
    keysPerLoop,
    staleAcceptablePercent: ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE - effort,
    budgetMs,
  };
}

export class ActiveExpiry {
  /** Where each database's walk over its TTL map stands (Redis's expires_cursor). */
  private readonly cursors = new Map<Database, Cursor>();
  /** The database the next cycle starts with (Redis's static current_db). */
  private nextDb = 0;

  /**
   * Runs one cycle over `databases` at wall-clock `nowMs`, reading `monotonicMs` for the budget.
   * Deletes only through `Database.lookup`, so hooks fire exactly as for lazy expiry.
   */
  cycle(
    databases: readonly Database[],
    nowMs: number,
    monotonicMs: () => number,
    params: ActiveExpiryParams,
  ): ActiveExpiryCycleResult {
    const limits = activeExpiryLimits(params);
    const startMs = monotonicMs();
    let sampled = 0;
    let expired = 0;
    let loops = 0;
    let budgetExhausted = false;
    for (let visited = 0; visited < databases.length && !budgetExhausted; visited++) {
      const index = this.nextDb % databases.length;
      const db = databases[index];
      this.nextDb = index + 1;
      if (db === undefined || !db.deleteExpired) continue;
      for (;;) {
        if (db.expiringCount() === 0) break;
        if (loops >= ACTIVE_EXPIRE_CYCLE_LOOPS_MAX || monotonicMs() - startMs > limits.budgetMs) {
          budgetExhausted = true;
          // Resume with this database next time: it may still hold stale keys.
          this.nextDb = index;
          break;
        }
        loops++;
        const sample = this.sampleLoop(db, nowMs, limits.keysPerLoop);
        sampled += sample.sampled;
        expired += sample.expired;
        const stale =
          sample.sampled === 0 ||
          (sample.expired * 100) / sample.sampled > limits.staleAcceptablePercent;
        if (!stale) break;
      }
    }
    return { sampled, expired, loops, budgetExhausted };
  }

  /** Looks at up to `keysPerLoop` keys with a TTL, continuing the database's walk. */
  private sampleLoop(
    db: Database,
    nowMs: number,
    keysPerLoop: number,
  ): { sampled: number; expired: number } {
    const want = Math.min(keysPerLoop, db.expiringCount());
    let sampled = 0;
    let expired = 0;
    let restarts = 0;
    let cursor = this.cursors.get(db) ?? db.expiringKeys();
    while (sampled < want) {
      const next = cursor.next();
      if (next.done === true) {
        // The walk wrapped around; one restart per loop is enough to fill a sample.
        if (restarts++ > 0) break;
        cursor = db.expiringKeys();
        continue;
      }
      const [key, deadlineMs] = next.value;
      sampled++;
      if (deadlineMs < nowMs) {
        db.lookup(key, nowMs);
        expired++;
      }
    }
    this.cursors.set(db, cursor);
    return { sampled, expired };
  }

  /** Drops a database's walk (after FLUSHDB, say); the next cycle starts it afresh. */
  forget(db: Database): void {
    this.cursors.delete(db);
  }
}
