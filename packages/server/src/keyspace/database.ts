/**
 * One numbered database: a map from key to value, a map from key to its expiry instant, and a slot
 * table that gives SCAN stable cursors and RANDOMKEY O(1) picks.
 *
 * Keys are latin1 strings: each byte of the client's key becomes one UTF-16 code unit, so binary
 * keys round-trip exactly and Map lookups stay fast. Values are the typed variants of values.ts.
 *
 * There is one read path, `lookup(key, nowMs)`, and it applies lazy expiry: a key whose deadline has
 * passed is deleted and reported missing, and `onExpired` tells the node (stats, DEL propagation,
 * WATCH). Every command passes one `nowMs` for its whole run, as Redis's commandTimeSnapshot does,
 * so a command never sees a key both alive and dead. `peek` reads without expiring (DEBUG, snapshots).
 *
 * Slots (slot-table.ts): every key has a slot, which gives SCAN stable cursors and RANDOMKEY and
 * eviction O(1) random picks; keys with a TTL also have a slot in a second table, so the volatile-*
 * eviction policies sample among them only, as Redis samples its expires dict.
 *
 * Memory (memory/value-bytes.ts): the database keeps its share of used_memory up to date on every
 * change, in O(1) for strings: each key is charged its dict entry, key and value as Redis 7.0
 * allocates them, plus the bucket arrays of the main and expires dicts (grown as dict.c grows them,
 * shrunk by `resizeTables` from the cron as tryResizeHashTables does). A collection is measured
 * when stored; after in-place changes (`collectionChanged`, called for every modified key) it is
 * re-measured only when it is small, changed encoding, or its size or change count moved by a
 * quarter since the last measure; in between its charge scales with its element count. That keeps
 * the cost amortized O(1) per changed element at the price of lagging behind in-place growth of
 * elements (a field value replaced by a longer one) until the next measure.
 *
 * Access (memory/access.ts): each key has Redis's 24-bit lru field (LRU clock or LFU counter),
 * kept on the stored value object itself (`lru`, as in Redis's robj) so a touch is one property
 * write, not a second map lookup; * set when created and updated by `lookup` unless the caller asks not to touch (TYPE, EXISTS, TTL,
 * OBJECT) or a snapshot is running (Redis skips touches while a child exists); `peek` never
 * touches.
 */
import { assert } from '@replisim/base';
import { type AccessPolicy, initialAccess, lruClock, touchedAccess } from '../memory/access.js';
import {
  DICT_ENTRY_BYTES,
  elementCount,
  keyBytes,
  stringValueBytes,
  valueBytes,
} from '../memory/value-bytes.js';
import { SlotTable } from './slot-table.js';
import type { RedisValue } from './values.js';

export type { RedisValue } from './values.js';

/**
 * A collection this small is re-measured at every change (it costs little); a larger one only
 * as below, so a command changing one element of a big collection stays O(1) amortized.
 */
const REMEASURE_ALWAYS_ELEMENTS_MAX = 16;
/** Otherwise it is re-measured once its size or its changes moved by 1/this of the last measure. */
const REMEASURE_FRACTION = 4;
/** DICT_HT_INITIAL_SIZE: a dict's first table. */
const DICT_TABLE_SIZE_MIN = 4;
/** HASHTABLE_MIN_FILL: the cron shrinks a table filled below this percentage. */
const HASHTABLE_MIN_FILL_PERCENT = 10;
/** One bucket pointer. */
const DICT_BUCKET_BYTES = 8;

export interface DatabaseHooks {
  /** A key was found expired by lazy or active expiry and deleted (on a master). */
  readonly onExpired: (db: Database, key: string) => void;
  /**
   * Asked when an expired key is met while `expiryPaused` is set: whether a client pause is still
   * in force (it may have just run out). Absent, the flag alone decides.
   */
  readonly pauseInForce?: () => boolean;
  /**
   * The access-tracking policy and the clock for keys created outside a command's lookup; absent
   * (a scratch database), keys are tracked as under an LRU policy at time 0.
   */
  readonly access?: {
    readonly policy: () => AccessPolicy;
    readonly nowMs: () => number;
  };
}

/** The charge of one collection: what was measured, when, and what it is charged now. */
interface CollectionCharge {
  bytes: number;
  measuredBytes: number;
  measuredCount: number;
  measuredEncoding: string;
  changes: number;
}

/** A dict's bucket array as dict.c sizes it: grown on insert past its size, shrunk by the cron. */
class DictTable {
  size = 0;

  grow(used: number): void {
    if (used <= this.size) return;
    let size = Math.max(DICT_TABLE_SIZE_MIN, this.size);
    while (size < used) size *= 2;
    this.size = size;
  }

  shrink(used: number): void {
    if (
      this.size <= DICT_TABLE_SIZE_MIN ||
      (used * 100) / this.size >= HASHTABLE_MIN_FILL_PERCENT
    ) {
      return;
    }
    let size = DICT_TABLE_SIZE_MIN;
    while (size < used) size *= 2;
    this.size = size;
  }

  get bytes(): number {
    return this.size * DICT_BUCKET_BYTES;
  }
}

/**
 * Told before a key's value or expiry is replaced, set or removed, before a key is created or
 * deleted, and before the database is emptied: a running snapshot's copy-on-write (BGSAVE,
 * persistence/snapshot.ts). In-place changes to a collection do not pass through here; the command
 * caller announces those (commands/call.ts).
 */
export interface ChangeObserver {
  /** `deleting`: the key is about to be removed (DEL, expiry, RENAME's source...). */
  beforeKeyChange(db: Database, key: string, deleting: boolean): void;
  beforeClear(db: Database): void;
}

export class Database {
  readonly index: number;
  private entries = new Map<string, RedisValue>();
  /** Absolute expiry instants in wall-clock ms, only for keys that have one. */
  private expiries = new Map<string, number>();
  private readonly hooks: DatabaseHooks;
  /** Every key's and value's charge plus the expires dict's entries (not the bucket arrays). */
  private datasetBytes = 0;
  /** The charges of keys holding collections (strings are re-derived from their bytes). */
  private collectionCharges = new Map<string, CollectionCharge>();
  private mainTable = new DictTable();
  private expiresTable = new DictTable();
  private slots = new SlotTable();
  /** The keys with a TTL, for volatile-* eviction sampling. */
  private volatileSlots = new SlotTable();
  /**
   * When false (a replica), lookup reports an expired key missing but does not delete it: the
   * master's DEL will arrive through the replication stream (Redis's expireIfNeeded).
   */
  deleteExpired = true;
  /**
   * True only while the master client's command runs on a replica: logically expired keys are
   * then present (Redis's expireIfNeeded answers "not expired" for server.master), so the
   * master's stream applies to exactly the keys the master had.
   */
  expiredVisible = false;
  /**
   * True while a client pause is in force (client-pause.ts): an expired key is reported missing
   * but not deleted, so the dataset stands still (expireIfNeeded's pause check).
   */
  expiryPaused = false;
  /**
   * Set only while a snapshot runs (persistence/persistence.ts installs and removes it), so that
   * without one every change pays a single undefined check.
   */
  changeObserver: ChangeObserver | undefined = undefined;

  constructor(index: number, hooks: DatabaseHooks) {
    this.index = index;
    this.hooks = hooks;
  }

  /**
   * The live value of `key` at `nowMs`, expiring it first if its deadline has passed. A key is
   * expired strictly after its deadline (Redis's keyIsExpired: now > when), so at the deadline
   * millisecond itself it is still alive.
   */
  lookup(key: string, nowMs: number, touch = true): RedisValue | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (this.expiries.size !== 0) {
      const deadline = this.expiries.get(key);
      if (deadline !== undefined && deadline < nowMs) {
        if (!this.deleteExpired) {
          if (!this.expiredVisible) return undefined;
        } else if (this.expiryPaused && (this.hooks.pauseInForce?.() ?? true)) {
          return undefined;
        } else {
          this.delete(key);
          this.hooks.onExpired(this, key);
          return undefined;
        }
      }
    }
    // lookupKey: no touch while a child exists (here: while a snapshot runs) or with NOTOUCH.
    if (touch && this.changeObserver === undefined) {
      const policy = this.accessPolicy();
      value.lru =
        policy === undefined || !policy.lfu
          ? lruClock(nowMs)
          : touchedAccess(value.lru ?? 0, policy, nowMs);
    }
    return value;
  }

  /** The lru field of `key` (memory/access.ts), or undefined if it is not stored. */
  accessOf(key: string): number | undefined {
    return this.entries.get(key)?.lru;
  }

  /** Sets the lru field of a stored key (RESTORE IDLETIME/FREQ, RENAME, MOVE). */
  setAccess(key: string, field: number): void {
    const value = this.entries.get(key);
    assert(value !== undefined, 'setAccess on a missing key');
    value.lru = field;
  }

  private accessPolicy(): AccessPolicy | undefined {
    return this.hooks.access?.policy();
  }

  private accessNowMs(): number {
    return this.hooks.access?.nowMs() ?? 0;
  }

  /** The stored value, expired or not; never deletes. For DEBUG, snapshots and active expiry. */
  peek(key: string): RedisValue | undefined {
    return this.entries.get(key);
  }

  /** Stores `value`, clearing any expiry unless `keepTtl` (SET KEEPTTL). */
  set(key: string, value: RedisValue, keepTtl = false): void {
    if (this.changeObserver !== undefined) this.changeObserver.beforeKeyChange(this, key, false);
    const old = this.entries.get(key);
    const policy = this.accessPolicy();
    if (old === undefined) {
      this.datasetBytes += keyBytes(key.length);
      this.slots.add(key);
      this.entries.set(key, value);
      this.mainTable.grow(this.entries.size);
      value.lru = initialAccess(policy?.lfu ?? false, this.accessNowMs());
    } else {
      this.untrackValue(key, old);
      this.entries.set(key, value);
      // dbSetValue: an LFU counter survives an overwrite; an LRU clock is the new object's.
      value.lru =
        policy === undefined || !policy.lfu
          ? lruClock(this.accessNowMs())
          : (old.lru ?? initialAccess(true, this.accessNowMs()));
    }
    this.trackValue(key, value);
    if (!keepTtl && this.expiries.size !== 0 && this.expiries.has(key)) this.dropExpiry(key);
  }

  /**
   * A command changed the collection at `key` in place (`changes` elements): its charge follows
   * (see the module doc). Strings and missing keys are left alone: `set` charged them already.
   */
  collectionChanged(key: string, changes: number): void {
    const charge = this.collectionCharges.get(key);
    if (charge === undefined) return;
    const value = this.entries.get(key);
    if (value === undefined) return;
    charge.changes += changes;
    const count = elementCount(value);
    const encoding = collectionEncoding(value);
    const moved = Math.abs(count - charge.measuredCount) * REMEASURE_FRACTION;
    const bytes =
      count <= REMEASURE_ALWAYS_ELEMENTS_MAX ||
      encoding !== charge.measuredEncoding ||
      moved > charge.measuredCount ||
      charge.changes * REMEASURE_FRACTION > charge.measuredCount
        ? this.measure(charge, value, count, encoding)
        : Math.round((charge.measuredBytes * count) / charge.measuredCount);
    this.datasetBytes += bytes - charge.bytes;
    charge.bytes = bytes;
  }

  private measure(
    charge: CollectionCharge,
    value: RedisValue,
    count: number,
    encoding: string,
  ): number {
    const bytes = valueBytes(value);
    charge.measuredBytes = bytes;
    charge.measuredCount = count;
    charge.measuredEncoding = encoding;
    charge.changes = 0;
    return bytes;
  }

  /** Sets an absolute expiry instant; the key must exist. */
  setExpiry(key: string, deadlineMs: number): void {
    assert(this.entries.has(key), 'setExpiry on a missing key');
    if (this.changeObserver !== undefined) this.changeObserver.beforeKeyChange(this, key, false);
    if (!this.expiries.has(key)) {
      this.datasetBytes += DICT_ENTRY_BYTES;
      this.volatileSlots.add(key);
      this.expiries.set(key, deadlineMs);
      this.expiresTable.grow(this.expiries.size);
      return;
    }
    this.expiries.set(key, deadlineMs);
  }

  private dropExpiry(key: string): void {
    this.expiries.delete(key);
    this.volatileSlots.remove(key);
    this.datasetBytes -= DICT_ENTRY_BYTES;
  }

  /** Removes the expiry of `key`; returns whether it had one (PERSIST). */
  removeExpiry(key: string): boolean {
    if (this.changeObserver !== undefined && this.expiries.has(key)) {
      this.changeObserver.beforeKeyChange(this, key, false);
    }
    if (!this.expiries.has(key)) return false;
    this.dropExpiry(key);
    return true;
  }

  /** The expiry instant of `key`, or undefined if it has none. Does not check liveness. */
  expiryOf(key: string): number | undefined {
    return this.expiries.get(key);
  }

  delete(key: string): boolean {
    const old = this.entries.get(key);
    if (old === undefined) return false;
    if (this.changeObserver !== undefined) this.changeObserver.beforeKeyChange(this, key, true);
    if (this.expiries.has(key)) this.dropExpiry(key);
    this.untrackValue(key, old);
    this.datasetBytes -= keyBytes(key.length);
    this.entries.delete(key);
    this.slots.remove(key);
    return true;
  }

  /** Keys stored, including expired ones not yet collected (as DBSIZE in Redis). */
  size(): number {
    return this.entries.size;
  }

  expiringCount(): number {
    return this.expiries.size;
  }

  /** Keys with an expiry, in insertion order (active expiry samples from them). */
  expiringKeys(): IterableIterator<[string, number]> {
    return this.expiries.entries();
  }

  clear(): void {
    if (this.changeObserver !== undefined) this.changeObserver.beforeClear(this);
    this.entries.clear();
    this.expiries.clear();
    this.collectionCharges.clear();
    this.datasetBytes = 0;
    this.slots.clear();
    this.volatileSlots.clear();
    // dictEmpty frees both tables.
    this.mainTable.size = 0;
    this.expiresTable.size = 0;
  }

  /** Advances at every slot compaction; SCAN cursors carry it. */
  get epoch(): number {
    return this.slots.epoch;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * SWAPDB: this database and `other` exchange their keys, values and expiries; each keeps its
   * index (clients, WATCH and blocked clients stay with the number). A running snapshot first
   * takes what it still needs of both (as before FLUSHDB), and both SCAN epochs move past either,
   * so no cursor from before the swap walks the other contents.
   */
  swapWith(other: Database): void {
    if (other === this) return;
    this.changeObserver?.beforeClear(this);
    other.changeObserver?.beforeClear(other);
    [this.entries, other.entries] = [other.entries, this.entries];
    [this.expiries, other.expiries] = [other.expiries, this.expiries];
    [this.datasetBytes, other.datasetBytes] = [other.datasetBytes, this.datasetBytes];
    [this.collectionCharges, other.collectionCharges] = [
      other.collectionCharges,
      this.collectionCharges,
    ];
    [this.mainTable, other.mainTable] = [other.mainTable, this.mainTable];
    [this.expiresTable, other.expiresTable] = [other.expiresTable, this.expiresTable];
    [this.slots, other.slots] = [other.slots, this.slots];
    [this.volatileSlots, other.volatileSlots] = [other.volatileSlots, this.volatileSlots];
    const epoch = Math.max(this.epoch, other.epoch) + 1;
    this.slots.epoch = epoch;
    other.slots.epoch = epoch;
  }

  /** Number of slots (live keys plus holes): the range SCAN cursors and RANDOMKEY draw from. */
  slotCount(): number {
    return this.slots.slotCount();
  }

  /**
   * A live iterator over the stored keys and values, in slot order (a key keeps its place when its
   * value is replaced; a new key comes last, in the Map as in the slot table). It survives sets
   * and deletes made while it runs. For snapshots, which walk it between client events.
   */
  liveEntries(): IterableIterator<[string, RedisValue]> {
    return this.entries.entries();
  }

  /** The slot of `key`, or undefined if it is not stored. */
  slotOfKey(key: string): number | undefined {
    return this.slots.slotOfKey(key);
  }

  /** Keeps every key's slot fixed (no compaction) until the matching `unpinSlots`. */
  pinSlots(): void {
    this.slots.pin();
  }

  unpinSlots(): void {
    this.slots.unpin();
  }

  /** The key in `slot`, or undefined for a hole or past the end. */
  keyAtSlot(slot: number): string | undefined {
    return this.slots.keyAtSlot(slot);
  }

  /** The slot table of every key, or of the keys with a TTL (eviction sampling). */
  slotTable(volatileOnly: boolean): SlotTable {
    return volatileOnly ? this.volatileSlots : this.slots;
  }

  /** tryResizeHashTables, from the cron: shrinks a dict table filled below 10%. */
  resizeTables(): void {
    this.mainTable.shrink(this.entries.size);
    this.expiresTable.shrink(this.expiries.size);
  }

  /**
   * This database's share of used_memory: keys, values, expires entries and both dicts' bucket
   * arrays, as Redis 7.0 would allocate them (memory/value-bytes.ts). O(1).
   */
  memoryBytes(): number {
    return this.datasetBytes + this.mainTable.bytes + this.expiresTable.bytes;
  }

  private trackValue(key: string, value: RedisValue): void {
    if (value.type === 'string') {
      this.datasetBytes += stringValueBytes(value);
      return;
    }
    const bytes = valueBytes(value);
    const encoding = collectionEncoding(value);
    this.collectionCharges.set(key, {
      bytes,
      measuredBytes: bytes,
      measuredCount: elementCount(value),
      measuredEncoding: encoding,
      changes: 0,
    });
    this.datasetBytes += bytes;
  }

  private untrackValue(key: string, value: RedisValue): void {
    if (value.type === 'string') {
      this.datasetBytes -= stringValueBytes(value);
      return;
    }
    const charge = this.collectionCharges.get(key);
    assert(charge !== undefined, 'a stored collection without a charge');
    this.datasetBytes -= charge.bytes;
    this.collectionCharges.delete(key);
  }
}

/** The encoding a collection's charge was measured in (a change of encoding re-measures). */
function collectionEncoding(value: RedisValue): string {
  switch (value.type) {
    case 'string':
      return 'string';
    case 'list':
      return 'quicklist';
    default:
      return value.encoding;
  }
}
