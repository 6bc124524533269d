/**
 * maxmemory eviction: Redis 7.0's performEvictions (evict.c), run before every command while
 * maxmemory is set (commands/dispatch.ts), right after CONFIG SET maxmemory, and from a timer while
 * an eviction run had to stop early.
 *
 * When used_memory minus what is not counted for eviction (replicas' output buffers) exceeds
 * maxmemory, keys are deleted until the excess is freed, chosen by maxmemory-policy:
 * - noeviction: nothing is deleted; the result is `fail`, and the dispatcher refuses commands
 *   flagged denyoom with -OOM.
 * - allkeys-lru / volatile-lru, allkeys-lfu / volatile-lfu, volatile-ttl: Redis's approximation.
 *   Each round samples maxmemory-samples keys per database (all keys, or only keys with a TTL for
 *   volatile-*) into an eviction pool of EVPOOL_SIZE (16) candidates ordered by score (idle time;
 *   255 minus the LFU counter; or how soon the TTL ends), which persists across calls; the best
 *   candidate that still exists is deleted. With a large sample the choice approaches true LRU
 *   (LFU, TTL); with 5 samples it is an approximation, as in Redis.
 * - allkeys-random / volatile-random: one random key, visiting the databases round-robin.
 * The volatile policies never delete a key without a TTL; when none is left the result is `fail`.
 *
 * Each eviction deletes the key, counts it (evicted_keys), invalidates WATCH, and propagates
 * `DEL key` on its own (not wrapped in MULTI), as propagateDeletion + propagatePendingCommands do.
 *
 * Bounded work: every 16 evictions Redis checks the time spent against a limit derived from
 * maxmemory-eviction-tenacity (500 us at the default 10, unlimited at 100) and, past it, stops and
 * continues from a timer (evictionTimeProc) while commands run (`running`: not refused). Simulated
 * time does not move inside an event, so replisim also stops after EVICTION_KEYS_PER_US x that
 * many microseconds' worth of evictions; on a real clock whichever comes first wins.
 *
 * Replicas do not evict while replica-ignore-maxmemory is yes (the default): their master's DELs
 * arrive through the stream. Nor does a node while it loads a dataset.
 */
import type { TimerId } from '@replisim/base';
import type { MaxmemoryPolicy } from '../config/server-config.js';
import type { Database } from '../keyspace/database.js';
import type { ServerNode } from '../node.js';
import { idleMs, lfuCounter } from './access.js';
import { notCountedForEvictBytes, usedMemoryBytes } from './used-memory.js';

/** EVPOOL_SIZE: candidates kept across calls. */
export const EVPOOL_SIZE = 16;
/** Evictions between two checks of the time limit (Redis: keys_freed % 16). */
const EVICTIONS_PER_CHECK = 16;
/** The deterministic stand-in for the time limit: evictions allowed per microsecond of it. */
const EVICTION_KEYS_PER_US = 1;
/** maxmemory-eviction-tenacity at which the time limit disappears. */
const TENACITY_UNLIMITED = 100;

/** performEvictions' outcome: EVICT_OK, EVICT_RUNNING, EVICT_FAIL. */
export type EvictionResult = 'ok' | 'running' | 'fail';

interface PoolEntry {
  /** The score: a greater value is a better candidate. */
  readonly idle: number;
  readonly key: string;
  readonly dbIndex: number;
}

/** Whether the policy samples into the pool (LRU, LFU, TTL) rather than drawing at random. */
function usesPool(policy: MaxmemoryPolicy): boolean {
  return policy !== 'allkeys-random' && policy !== 'volatile-random' && policy !== 'noeviction';
}

function allKeys(policy: MaxmemoryPolicy): boolean {
  return policy.startsWith('allkeys-');
}

/** evictionTimeLimitUs: linear to 500 us at tenacity 10, then 15% more per step. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < TENACITY_UNLIMITED) return Math.floor(500 * 1.15 ** (tenacity - 10));
  return Number.POSITIVE_INFINITY;
}

/** What getMaxmemoryState reports: whether memory is over the limit, and by how much. */
export interface MaxmemoryState {
  readonly used: number;
  /** Bytes to free to be back under maxmemory (0 when under it). */
  readonly toFree: number;
}

export function maxmemoryState(node: ServerNode): MaxmemoryState {
  const used = usedMemoryBytes(node);
  const maxmemory = Number(node.config.maxmemory);
  if (maxmemory === 0 || used <= maxmemory) return { used, toFree: 0 };
  const counted = Math.max(0, used - notCountedForEvictBytes(node));
  return { used, toFree: Math.max(0, counted - maxmemory) };
}

export class Evictor {
  private readonly node: ServerNode;
  /** The eviction pool, best candidate last; undefined entries are empty. */
  private readonly pool: (PoolEntry | undefined)[] = new Array(EVPOOL_SIZE).fill(undefined);
  /** The database the random policies try first next time (Redis's static next_db). */
  private nextDb = 0;
  /** evictionTimeProc is scheduled or running (isEvictionProcRunning). */
  private procRunning = false;
  private procTimer: TimerId | undefined;

  constructor(node: ServerNode) {
    this.node = node;
  }

  /** isPerformEvictions: not while loading, not on a replica that ignores maxmemory. */
  private allowed(): boolean {
    const node = this.node;
    if (node.loading !== undefined) return false;
    return !(node.replicaLink !== undefined && node.config.replicaIgnoreMaxmemory);
  }

  /** performEvictions: frees memory down to maxmemory if the policy allows (see module doc). */
  perform(): EvictionResult {
    if (!this.allowed()) return 'ok';
    const node = this.node;
    const toFree = maxmemoryState(node).toFree;
    if (toFree === 0) return 'ok';
    const policy = node.config.maxmemoryPolicy;
    if (policy === 'noeviction') return 'fail';
    const limitUs = evictionTimeLimitUs(node.config.maxmemoryEvictionTenacity);
    const keysMax = Math.max(EVICTIONS_PER_CHECK, limitUs * EVICTION_KEYS_PER_US);
    const startMs = node.env.clock.monotonicMs();
    let freed = 0;
    let evicted = 0;
    while (freed < toFree) {
      const victim = usesPool(policy) ? this.pickFromPool(policy) : this.pickRandom(policy);
      if (victim === undefined) return 'fail';
      const { db, key } = victim;
      const before = db.memoryBytes();
      db.delete(key);
      freed += before - db.memoryBytes();
      node.keyEvicted(db, key);
      evicted++;
      if (evicted % EVICTIONS_PER_CHECK === 0) {
        const elapsedUs = (node.env.clock.monotonicMs() - startMs) * 1000;
        if (elapsedUs > limitUs || evicted >= keysMax) {
          this.startProc();
          break;
        }
      }
    }
    return this.procRunning ? 'running' : 'ok';
  }

  /** Stops the eviction timer (the node stops). */
  stop(): void {
    if (this.procTimer !== undefined) this.node.env.timers.cancel(this.procTimer);
    this.procTimer = undefined;
    this.procRunning = false;
  }

  /** startEvictionTimeProc: keep evicting from a timer, between commands. */
  private startProc(): void {
    if (this.procRunning) return;
    this.procRunning = true;
    this.scheduleProc();
  }

  private scheduleProc(): void {
    this.procTimer = this.node.env.timers.after(0, () => {
      this.procTimer = undefined;
      if (this.node.isStopped) return;
      if (this.perform() === 'running') this.scheduleProc();
      else this.procRunning = false;
    });
  }

  /** The pool's best candidate that still exists, refilling the pool from every database. */
  private pickFromPool(policy: MaxmemoryPolicy): { db: Database; key: string } | undefined {
    const volatileOnly = !allKeys(policy);
    for (;;) {
      let total = 0;
      for (const db of this.node.databases) {
        const table = db.slotTable(volatileOnly);
        if (table.size === 0) continue;
        total += table.size;
        this.populate(db, policy, volatileOnly);
      }
      if (total === 0) return undefined;
      // From the best candidate down; each is removed, ghosts (keys gone since) are skipped.
      for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
        const entry = this.pool[k];
        if (entry === undefined) continue;
        this.pool[k] = undefined;
        const db = this.node.databases[entry.dbIndex];
        if (db === undefined) continue;
        const exists = volatileOnly
          ? db.expiryOf(entry.key) !== undefined
          : db.peek(entry.key) !== undefined;
        if (exists) return { db, key: entry.key };
      }
    }
  }

  /** evictionPoolPopulate: scores maxmemory-samples sampled keys and keeps the best 16. */
  private populate(db: Database, policy: MaxmemoryPolicy, volatileOnly: boolean): void {
    const node = this.node;
    const nowMs = node.env.clock.wallMs();
    const samples = db
      .slotTable(volatileOnly)
      .sample(node.env.random, node.config.maxmemorySamples);
    for (const key of samples) {
      const idle = this.score(db, key, policy, nowMs);
      if (idle !== undefined) this.insert({ idle, key, dbIndex: db.index });
    }
  }

  private score(
    db: Database,
    key: string,
    policy: MaxmemoryPolicy,
    nowMs: number,
  ): number | undefined {
    if (policy === 'volatile-ttl') {
      const deadline = db.expiryOf(key);
      // The sooner the expiry, the better the candidate.
      return deadline === undefined ? undefined : Number.MAX_SAFE_INTEGER - deadline;
    }
    const field = db.accessOf(key);
    if (field === undefined) return undefined;
    if (policy.endsWith('-lfu'))
      return 255 - lfuCounter(field, nowMs, this.node.config.lfuDecayTime);
    return idleMs(field, nowMs);
  }

  /** The pool insertion of evictionPoolPopulate: ascending scores, dropping the worst when full. */
  private insert(entry: PoolEntry): void {
    // As in Redis, a key sampled again may sit in the pool twice; the second copy is a ghost later.
    const pool = this.pool;
    let k = 0;
    while (k < EVPOOL_SIZE && pool[k] !== undefined && (pool[k] as PoolEntry).idle < entry.idle)
      k++;
    if (k === 0 && pool[EVPOOL_SIZE - 1] !== undefined) return;
    if (k < EVPOOL_SIZE && pool[k] === undefined) {
      pool[k] = entry;
      return;
    }
    if (pool[EVPOOL_SIZE - 1] === undefined) {
      // Room on the right: shift k.. right by one.
      pool.splice(k, 0, entry);
      pool.length = EVPOOL_SIZE;
      return;
    }
    // Full: drop the worst (leftmost) and insert at k - 1.
    pool.shift();
    pool.splice(k - 1, 0, entry);
  }

  /** allkeys-random / volatile-random: a random key of the next database that has one. */
  private pickRandom(policy: MaxmemoryPolicy): { db: Database; key: string } | undefined {
    const databases = this.node.databases;
    const volatileOnly = policy === 'volatile-random';
    for (let i = 0; i < databases.length; i++) {
      this.nextDb = (this.nextDb + 1) % databases.length;
      const db = databases[this.nextDb];
      if (db === undefined) continue;
      const table = db.slotTable(volatileOnly);
      if (table.size === 0) continue;
      return { db, key: table.randomKey(this.node.env.random) };
    }
    return undefined;
  }
}
