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
 * Slots: every key gets the next index of an append-only array; deleting leaves a hole. When holes
 * outnumber keys the table is compacted and `epoch` advances, which SCAN encodes in its cursor so a
 * cursor from before a compaction restarts instead of skipping keys (duplicates are allowed by SCAN's
 * contract, misses are not).
 */
import { assert } from '@replisim/base';
import type { RedisValue } from './values.js';

export type { RedisValue } from './values.js';

/**
 * Bytes charged per key beyond its key and value bytes, for the used_memory estimate: Redis 7.0
 * spends about 72 bytes (dict entry, robj, sds headers, allocator rounding) on an 11-byte key with a
 * 100-byte value (184 B/key measured), and 24 more for an entry in the expires dict. Collection
 * elements are charged ELEMENT_OVERHEAD_BYTES each plus their bytes, computed when INFO asks.
 */
const ENTRY_OVERHEAD_BYTES = 72;
const EXPIRY_OVERHEAD_BYTES = 24;
const ELEMENT_OVERHEAD_BYTES = 16;

/** Compaction happens when holes exceed both this and the number of live keys. */
const SLOT_HOLES_MIN = 1024;

export interface DatabaseHooks {
  /** A key was found expired by lazy or active expiry and deleted (on a master). */
  readonly onExpired: (db: Database, key: string) => void;
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
  /** Key and string bytes plus per-key overhead, kept up to date on every set and delete. */
  private stringBytes = 0;
  /** Keys holding collections, whose size INFO computes on demand. */
  private collectionKeys = new Set<string>();
  private slots: (string | undefined)[] = [];
  private slotOf = new Map<string, number>();
  private holes = 0;
  /** While > 0, slot compaction waits: a running snapshot walks the keys by slot (snapshot.ts). */
  private slotPins = 0;
  /** Advances at every slot compaction; SCAN cursors carry it. */
  epoch = 0;
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
  lookup(key: string, nowMs: number): RedisValue | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (this.expiries.size !== 0) {
      const deadline = this.expiries.get(key);
      if (deadline !== undefined && deadline < nowMs) {
        if (!this.deleteExpired) return this.expiredVisible ? value : undefined;
        this.delete(key);
        this.hooks.onExpired(this, key);
        return undefined;
      }
    }
    return value;
  }

  /** The stored value, expired or not; never deletes. For DEBUG, snapshots and active expiry. */
  peek(key: string): RedisValue | undefined {
    return this.entries.get(key);
  }

  /** Stores `value`, clearing any expiry unless `keepTtl` (SET KEEPTTL). */
  set(key: string, value: RedisValue, keepTtl = false): void {
    if (this.changeObserver !== undefined) this.changeObserver.beforeKeyChange(this, key, false);
    const old = this.entries.get(key);
    if (old === undefined) {
      this.stringBytes += key.length + ENTRY_OVERHEAD_BYTES;
      this.slotOf.set(key, this.slots.length);
      this.slots.push(key);
    } else {
      this.untrackValue(key, old);
    }
    this.trackValue(key, value);
    this.entries.set(key, value);
    if (!keepTtl && this.expiries.size !== 0 && this.expiries.delete(key)) {
      this.stringBytes -= EXPIRY_OVERHEAD_BYTES;
    }
  }

  /** Sets an absolute expiry instant; the key must exist. */
  setExpiry(key: string, deadlineMs: number): void {
    assert(this.entries.has(key), 'setExpiry on a missing key');
    if (this.changeObserver !== undefined) this.changeObserver.beforeKeyChange(this, key, false);
    if (!this.expiries.has(key)) this.stringBytes += EXPIRY_OVERHEAD_BYTES;
    this.expiries.set(key, deadlineMs);
  }

  /** Removes the expiry of `key`; returns whether it had one (PERSIST). */
  removeExpiry(key: string): boolean {
    if (this.changeObserver !== undefined && this.expiries.has(key)) {
      this.changeObserver.beforeKeyChange(this, key, false);
    }
    if (!this.expiries.delete(key)) return false;
    this.stringBytes -= EXPIRY_OVERHEAD_BYTES;
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
    if (this.expiries.delete(key)) this.stringBytes -= EXPIRY_OVERHEAD_BYTES;
    this.untrackValue(key, old);
    this.stringBytes -= key.length + ENTRY_OVERHEAD_BYTES;
    this.entries.delete(key);
    const slot = this.slotOf.get(key);
    if (slot !== undefined) {
      this.slots[slot] = undefined;
      this.slotOf.delete(key);
      this.holes++;
      this.compactSlotsIfSparse();
    }
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
    this.collectionKeys.clear();
    this.stringBytes = 0;
    this.slots = [];
    this.slotOf.clear();
    this.holes = 0;
    this.epoch++;
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
    [this.collectionKeys, other.collectionKeys] = [other.collectionKeys, this.collectionKeys];
    [this.stringBytes, other.stringBytes] = [other.stringBytes, this.stringBytes];
    [this.slots, other.slots] = [other.slots, this.slots];
    [this.slotOf, other.slotOf] = [other.slotOf, this.slotOf];
    [this.holes, other.holes] = [other.holes, this.holes];
    const epoch = Math.max(this.epoch, other.epoch) + 1;
    this.epoch = epoch;
    other.epoch = epoch;
  }

  /** Number of slots (live keys plus holes): the range SCAN cursors and RANDOMKEY draw from. */
  slotCount(): number {
    return this.slots.length;
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
    return this.slotOf.get(key);
  }

  /** Keeps every key's slot fixed (no compaction) until the matching `unpinSlots`. */
  pinSlots(): void {
    this.slotPins++;
  }

  unpinSlots(): void {
    assert(this.slotPins > 0, 'unpinSlots without pinSlots');
    this.slotPins--;
  }

  /** The key in `slot`, or undefined for a hole or past the end. */
  keyAtSlot(slot: number): string | undefined {
    return this.slots[slot];
  }

  /** Estimated bytes used by this database's keys, values and expiries (see ENTRY_OVERHEAD_BYTES). */
  memoryBytes(): number {
    let bytes = this.stringBytes;
    for (const key of this.collectionKeys) {
      const value = this.entries.get(key);
      if (value !== undefined) bytes += collectionBytes(value);
    }
    return bytes;
  }

  private trackValue(key: string, value: RedisValue): void {
    if (value.type === 'string') this.stringBytes += value.value.length;
    else this.collectionKeys.add(key);
  }

  private untrackValue(key: string, value: RedisValue): void {
    if (value.type === 'string') this.stringBytes -= value.value.length;
    else this.collectionKeys.delete(key);
  }

  private compactSlotsIfSparse(): void {
    if (this.slotPins > 0 || this.holes < SLOT_HOLES_MIN || this.holes < this.slotOf.size) return;
    const live = this.slots.filter((key): key is string => key !== undefined);
    this.slots = live;
    this.slotOf.clear();
    for (const [slot, key] of live.entries()) this.slotOf.set(key, slot);
    this.holes = 0;
    this.epoch++;
  }
}

/** Estimated bytes of a collection's elements (the key's own overhead is counted elsewhere). */
function collectionBytes(value: RedisValue): number {
  let bytes = 0;
  switch (value.type) {
    case 'string':
      return value.value.length;
    case 'list':
      for (const element of value.value) bytes += element.length + ELEMENT_OVERHEAD_BYTES;
      return bytes;
    case 'hash':
      for (const [field, fieldValue] of value.value) {
        bytes += field.length + fieldValue.length + ELEMENT_OVERHEAD_BYTES;
      }
      return bytes;
    case 'set':
      for (const member of value.value) bytes += member.length + ELEMENT_OVERHEAD_BYTES;
      return bytes;
    case 'zset':
      for (const { member } of value.value) bytes += member.length + 8 + ELEMENT_OVERHEAD_BYTES;
      return bytes;
  }
}
