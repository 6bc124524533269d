/**
 * A point-in-time snapshot of every database, serialized in bounded slices on the event loop: the
 * forkless BGSAVE of DESIGN.md Principle 3.
 *
 * Redis forks and lets the kernel's copy-on-write pages keep the child's view frozen. Node cannot
 * fork, so this object keeps the view frozen per key instead (as Dragonfly does):
 *
 * - The snapshot point is the constructor. It records the time, the replication offset, and per
 *   non-empty database its size and expires count (RESIZEDB) and a live iterator over its keys. It
 *   copies nothing, so starting costs O(databases), not O(keys).
 * - `step(budget)` serializes keys until the budget (keys, bytes or monotonic ms) is spent. The
 *   caller yields to the event loop between steps, so clients are served while a save runs.
 * - Before anything changes a key the snapshot has not written yet, `preserve(db, key)` writes
 *   the key's current value, which is still its value at the snapshot point. For the database being
 *   written the record goes straight into the writer; for a later one it is encoded now and held
 *   until that database's section starts. Every key is written exactly once: `done` remembers, per
 *   pending database, the keys already written and the keys born after the snapshot point (seen
 *   when they were created, because creation also calls `preserve` first, when the key is absent).
 *   The invariant is: a key stored now and absent from `done` holds its value from the snapshot
 *   point, with its expiry from then too.
 * - `preserveDatabase(db)` does that for every pending key of `db` at once, before FLUSHDB.
 *
 * A JS Map iterator survives deletes and inserts during iteration (deleted entries are skipped,
 * new ones are visited), so the live iterator sees every key that existed at the snapshot point and
 * is still there, plus newer keys, which `done` skips.
 *
 * The output is pulled with `take()` by a separate sink (the disk file today, replica sockets
 * later), so the producer never knows where its bytes go.
 */
import { assert } from '@replisim/base';
import { encodeKeyRecord, type RdbReplicationInfo, RdbWriter } from '@replisim/protocol';
import type { ChangeObserver, Database } from '../keyspace/database.js';
import { toRdbValue } from './rdb-values.js';

/** How much one `step` may do; it stops at the first limit reached. */
export interface SliceBudget {
  readonly keysMax: number;
  readonly bytesMax: number;
  /** Monotonic ms; the simulated clock does not move inside an event, so keys and bytes bound it there. */
  readonly msMax: number;
}

/** About 0.5 ms of work, 64 KB of output or 4096 keys per slice. */
export const SLICE_BUDGET_DEFAULT: SliceBudget = { keysMax: 4096, bytesMax: 64 * 1024, msMax: 0.5 };

/** The clock is read once per this many keys, to keep the check cheap. */
const CLOCK_CHECK_KEYS = 32;

export interface SnapshotOptions {
  readonly databases: readonly Database[];
  readonly redisVersion: string;
  readonly wallMs: number;
  readonly usedMemory: number;
  /** The replication offset at the snapshot point (node.propagation.offset). */
  readonly replicationOffset: number;
  /**
   * The repl-* AUX fields, for a node with replication state (replicas, a backlog). A node without
   * leaves it out, and Redis writes no repl-* fields then either (§1.6).
   */
  readonly replication?: RdbReplicationInfo;
  readonly compression: boolean;
  readonly checksum: boolean;
  readonly monotonicMs: () => number;
}

/** One database that had keys at the snapshot point and whose section is not finished. */
interface PendingDatabase {
  readonly db: Database;
  readonly size: number;
  readonly expires: number;
  readonly keys: Iterator<string>;
  /** Keys written already, or born after the snapshot point. */
  readonly done: Set<string>;
  /** Pre-images encoded before this database's section started, written when it starts. */
  readonly held: Buffer[];
}

export class Snapshot implements ChangeObserver {
  readonly ctimeMs: number;
  readonly replicationOffset: number;
  /** Keys at the snapshot point (current_save_keys_total). */
  readonly keysTotal: number;
  /** Keys written so far, by slices and by pre-images (current_save_keys_processed). */
  keysProcessed = 0;
  private readonly writer: RdbWriter;
  private readonly compression: boolean;
  private readonly monotonicMs: () => number;
  /** By database index, in the order their sections are written. */
  private readonly pending = new Map<number, PendingDatabase>();
  /** The database whose section is being written, if any. */
  private current: PendingDatabase | undefined;
  private finishedFlag = false;

  constructor(options: SnapshotOptions) {
    this.ctimeMs = options.wallMs;
    this.replicationOffset = options.replicationOffset;
    this.compression = options.compression;
    this.monotonicMs = options.monotonicMs;
    this.writer = new RdbWriter({ compression: options.compression, checksum: options.checksum });
    this.writer.header({
      redisVersion: options.redisVersion,
      ctimeSeconds: Math.floor(options.wallMs / 1000),
      usedMemory: options.usedMemory,
      ...(options.replication === undefined ? {} : { replication: options.replication }),
    });
    let total = 0;
    for (const db of options.databases) {
      const size = db.size();
      // rdbSaveRio skips empty databases: no SELECTDB for them.
      if (size === 0) continue;
      total += size;
      this.pending.set(db.index, {
        db,
        size,
        expires: db.expiringCount(),
        keys: db.keys(),
        done: new Set(),
        held: [],
      });
    }
    this.keysTotal = total;
  }

  get finished(): boolean {
    return this.finishedFlag;
  }

  /** Bytes produced and not taken yet. */
  get pendingBytes(): number {
    return this.writer.pendingBytes;
  }

  /** Every byte produced so far. */
  get totalBytes(): number {
    return this.writer.totalBytes;
  }

  /** The bytes produced since the last take. */
  take(): Buffer {
    return this.writer.take();
  }

  /**
   * Serializes keys until `budget` is spent or the snapshot is complete (then the EOF and checksum
   * are written and `finished` is true). Returns the number of keys written.
   */
  step(budget: SliceBudget): number {
    assert(!this.finishedFlag, 'step() after the snapshot finished');
    const startMs = this.monotonicMs();
    const startBytes = this.writer.totalBytes;
    let written = 0;
    while (written < budget.keysMax && this.writer.totalBytes - startBytes < budget.bytesMax) {
      if (written % CLOCK_CHECK_KEYS === CLOCK_CHECK_KEYS - 1) {
        if (this.monotonicMs() - startMs >= budget.msMax) break;
      }
      const section = this.current ?? this.openNextSection();
      if (section === undefined) {
        this.writer.finish();
        this.finishedFlag = true;
        break;
      }
      const next = section.keys.next();
      if (next.done === true) {
        this.pending.delete(section.db.index);
        this.current = undefined;
        continue;
      }
      if (section.done.has(next.value)) continue;
      this.writeKey(section, next.value);
      written++;
    }
    return written;
  }

  /** ChangeObserver: `key` of `db` is about to change, be created or be deleted. */
  beforeKeyChange(db: Database, key: string): void {
    const section = this.pending.get(db.index);
    if (section === undefined || section.db !== db || section.done.has(key)) return;
    if (db.peek(key) === undefined) {
      // Born after the snapshot point (or recreated after a preserved delete): never written.
      section.done.add(key);
      return;
    }
    this.preserveKey(section, key);
  }

  /** ChangeObserver: `db` is about to be emptied; every pending key is written first. */
  beforeClear(db: Database): void {
    const section = this.pending.get(db.index);
    if (section === undefined || section.db !== db) return;
    for (const key of db.keys()) {
      if (!section.done.has(key)) this.preserveKey(section, key);
    }
  }

  /** The key's value from the snapshot point, written now (current section) or held for later. */
  private preserveKey(section: PendingDatabase, key: string): void {
    if (section === this.current) {
      this.writeKey(section, key);
      return;
    }
    const value = section.db.peek(key);
    assert(value !== undefined, 'preserveKey needs a stored key');
    section.done.add(key);
    section.held.push(
      encodeKeyRecord(key, toRdbValue(value), section.db.expiryOf(key), {
        compression: this.compression,
      }),
    );
    this.keysProcessed++;
  }

  private writeKey(section: PendingDatabase, key: string): void {
    const value = section.db.peek(key);
    assert(value !== undefined, 'writeKey needs a stored key');
    section.done.add(key);
    this.writer.key(key, toRdbValue(value), section.db.expiryOf(key));
    this.keysProcessed++;
  }

  /** Starts the next pending database's section: SELECTDB, RESIZEDB, then its held pre-images. */
  private openNextSection(): PendingDatabase | undefined {
    const next = this.pending.values().next();
    if (next.done === true) return undefined;
    const section = next.value;
    this.current = section;
    this.writer.selectDb(section.db.index, section.size, section.expires);
    for (const record of section.held.splice(0)) this.writer.raw(record);
    return section;
  }
}
