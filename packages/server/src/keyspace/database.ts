/**
 * One numbered database: a map from key to value plus a map from key to its expiry instant.
 *
 * Keys are latin1 strings: each byte of the client's key becomes one UTF-16 code unit, so binary
 * keys round-trip exactly and Map lookups stay fast. Values are typed objects (strings as Buffers for
 * now; the other Redis types arrive with the command-surface work).
 *
 * There is one lookup path, `lookup(key, nowMs)`, and it applies lazy expiry: a key whose deadline
 * has passed is deleted (on a master) and reported missing. Every command passes one `nowMs` for its
 * whole run, as Redis's commandTimeSnapshot does, so a command never sees a key both alive and dead.
 */

import { assert } from '@replisim/base';

export type RedisValue = { readonly type: 'string'; readonly value: Buffer };

/**
 * Bytes charged per key beyond its key and value bytes, for the used_memory estimate: Redis 7.0
 * spends about 72 bytes (dict entry, robj, sds headers, allocator rounding) on an 11-byte key with a
 * 100-byte value (184 B/key measured), and 24 more for an entry in the expires dict.
 */
const ENTRY_OVERHEAD_BYTES = 72;
const EXPIRY_OVERHEAD_BYTES = 24;

function valueBytes(value: RedisValue): number {
  return value.value.length;
}

export class Database {
  readonly index: number;
  private readonly entries = new Map<string, RedisValue>();
  /** Absolute expiry instants in wall-clock ms, only for keys that have one. */
  private readonly expiries = new Map<string, number>();
  /** Called for each key deleted because it expired (stats now; DEL propagation later). */
  private readonly onExpired: (db: Database, key: string) => void;
  /** Running estimate of the memory the entries take (see ENTRY_OVERHEAD_BYTES). */
  private bytes = 0;

  constructor(index: number, onExpired: (db: Database, key: string) => void) {
    this.index = index;
    this.onExpired = onExpired;
  }

  /** The live value of `key` at `nowMs`, deleting it first if it has expired. */
  lookup(key: string, nowMs: number): RedisValue | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (this.expiries.size !== 0) {
      const deadline = this.expiries.get(key);
      if (deadline !== undefined && deadline <= nowMs) {
        this.delete(key);
        this.onExpired(this, key);
        return undefined;
      }
    }
    return value;
  }

  /** Stores `value`, clearing any expiry unless `keepTtl` (SET KEEPTTL). */
  set(key: string, value: RedisValue, keepTtl = false): void {
    const old = this.entries.get(key);
    this.bytes += old === undefined ? key.length + ENTRY_OVERHEAD_BYTES : -valueBytes(old);
    this.bytes += valueBytes(value);
    this.entries.set(key, value);
    if (!keepTtl && this.expiries.size !== 0 && this.expiries.delete(key)) {
      this.bytes -= EXPIRY_OVERHEAD_BYTES;
    }
  }

  /** Sets an absolute expiry instant; the key must exist. */
  setExpiry(key: string, deadlineMs: number): void {
    assert(this.entries.has(key), 'setExpiry on a missing key');
    if (!this.expiries.has(key)) this.bytes += EXPIRY_OVERHEAD_BYTES;
    this.expiries.set(key, deadlineMs);
  }

  /** The expiry instant of `key`, or undefined if it has none. Does not check liveness. */
  expiryOf(key: string): number | undefined {
    return this.expiries.get(key);
  }

  delete(key: string): boolean {
    const old = this.entries.get(key);
    if (old === undefined) return false;
    if (this.expiries.delete(key)) this.bytes -= EXPIRY_OVERHEAD_BYTES;
    this.bytes -= key.length + ENTRY_OVERHEAD_BYTES + valueBytes(old);
    this.entries.delete(key);
    return true;
  }

  /** Estimated bytes used by this database's keys, values and expiries. */
  memoryBytes(): number {
    return this.bytes;
  }

  /** Keys stored, including expired ones not yet collected (as DBSIZE in Redis). */
  size(): number {
    return this.entries.size;
  }

  expiringCount(): number {
    return this.expiries.size;
  }

  clear(): void {
    this.entries.clear();
    this.expiries.clear();
    this.bytes = 0;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}
