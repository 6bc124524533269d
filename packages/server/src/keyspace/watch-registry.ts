/**
 * WATCH bookkeeping: which clients watch which keys, and marking them dirty when a watched key
 * changes (Redis's touchWatchedKey). Commands never call this directly; they report changes through
 * CommandContext.modified, and lazy or active expiry reports through the node, so every path that
 * changes a key invalidates WATCH, expiry included.
 *
 * Already-expired keys (Redis 7.0's watchedKey.expired): WATCH on a key that is logically expired
 * but not yet deleted remembers that. Deleting such a key later (lazy expiry, FLUSHDB) is then no
 * logical change and only clears the mark; any other change makes the client dirty as usual. EXEC
 * asks `expiredSinceWatch` for the other half: a key that was alive at WATCH and is logically
 * expired at EXEC counts as changed (isWatchedKeyExpired), even if nothing deleted it yet.
 */

/** What a watching client needs: a flag EXEC checks. */
export interface Watcher {
  watchDirty: boolean;
}

/** One watched key of one client. */
export interface WatchedKey {
  readonly dbIndex: number;
  readonly key: string;
  /** The key was logically expired (present, deadline passed) when WATCH ran. */
  expired: boolean;
}

/** Whether `key` is still stored in the database (expired or not), after a change. */
export type KeyPresence = (key: string) => boolean;

function slotName(dbIndex: number, key: string): string {
  return `${dbIndex}\u0000${key}`;
}

export class WatchRegistry {
  private readonly byKey = new Map<string, Map<Watcher, WatchedKey>>();
  private readonly byWatcher = new Map<Watcher, Map<string, WatchedKey>>();

  /** Watches `key`; a key the watcher already watches keeps its original `expired` mark. */
  watch(watcher: Watcher, dbIndex: number, key: string, expired = false): void {
    const name = slotName(dbIndex, key);
    let keys = this.byWatcher.get(watcher);
    if (keys === undefined) {
      keys = new Map();
      this.byWatcher.set(watcher, keys);
    }
    if (keys.has(name)) return;
    const watched: WatchedKey = { dbIndex, key, expired };
    keys.set(name, watched);
    let watchers = this.byKey.get(name);
    if (watchers === undefined) {
      watchers = new Map();
      this.byKey.set(name, watchers);
    }
    watchers.set(watcher, watched);
  }

  /** Forgets every key `watcher` watches (UNWATCH, EXEC, DISCARD, disconnect). */
  unwatchAll(watcher: Watcher): void {
    const keys = this.byWatcher.get(watcher);
    if (keys === undefined) return;
    for (const name of keys.keys()) {
      const watchers = this.byKey.get(name);
      watchers?.delete(watcher);
      if (watchers?.size === 0) this.byKey.delete(name);
    }
    this.byWatcher.delete(watcher);
  }

  /**
   * Marks every client watching `key` in `dbIndex` dirty. `present` says whether the key is still
   * stored after the change: a watcher that saw the key already expired is not dirtied when the
   * change was its deletion (Redis: "already expired key is deleted, so logically no change").
   */
  touch(dbIndex: number, key: string, present: KeyPresence = () => true): void {
    if (this.byKey.size === 0) return;
    const watchers = this.byKey.get(slotName(dbIndex, key));
    if (watchers === undefined) return;
    for (const [watcher, watched] of watchers) {
      if (watched.expired && !present(key)) {
        watched.expired = false;
        continue;
      }
      watcher.watchDirty = true;
    }
  }

  /**
   * The whole of database `dbIndex` is replaced (Redis's touchAllWatchedKeysInDb): emptied by
   * FLUSHDB/FLUSHALL, or, with `replacement`, swapped for another database's keys (SWAPDB).
   * `existed` says whether a key was stored before. A watcher is dirtied for every watched key that
   * existed before or exists after, except where nothing logically changed: a key already expired
   * at WATCH that is now gone or still expired, or a missing key replaced by an expired one (which
   * is then marked expired).
   */
  touchDatabase(
    dbIndex: number,
    existed: KeyPresence,
    replacement?: { readonly present: KeyPresence; readonly expired: KeyPresence },
  ): void {
    const prefix = `${dbIndex}\u0000`;
    for (const [name, watchers] of this.byKey) {
      if (!name.startsWith(prefix)) continue;
      const key = name.slice(prefix.length);
      const before = existed(key);
      const after = replacement?.present(key) ?? false;
      if (!before && !after) continue;
      for (const [watcher, watched] of watchers) {
        if (watched.expired) {
          if (!after) {
            watched.expired = false;
            continue;
          }
          if (replacement?.expired(key) === true) continue;
        } else if (!before && replacement?.expired(key) === true) {
          watched.expired = true;
          continue;
        }
        watcher.watchDirty = true;
      }
    }
  }

  /** The keys `watcher` watches, in WATCH order. */
  watchedKeys(watcher: Watcher): IterableIterator<WatchedKey> {
    return (this.byWatcher.get(watcher) ?? new Map<string, WatchedKey>()).values();
  }

  watchedCount(watcher: Watcher): number {
    return this.byWatcher.get(watcher)?.size ?? 0;
  }
}
