/**
 * WATCH bookkeeping: which clients watch which keys, and marking them dirty when a watched key
 * changes (Redis's touchWatchedKey). Commands never call this directly; they report changes through
 * CommandContext.modified, and lazy or active expiry reports through the node, so every path that
 * changes a key invalidates WATCH, expiry included.
 */

/** What a watching client needs: a flag EXEC checks. */
export interface Watcher {
  watchDirty: boolean;
}

function slotName(dbIndex: number, key: string): string {
  return `${dbIndex}\u0000${key}`;
}

export class WatchRegistry {
  private readonly byKey = new Map<string, Set<Watcher>>();
  private readonly byWatcher = new Map<Watcher, Set<string>>();

  watch(watcher: Watcher, dbIndex: number, key: string): void {
    const name = slotName(dbIndex, key);
    let watchers = this.byKey.get(name);
    if (watchers === undefined) {
      watchers = new Set();
      this.byKey.set(name, watchers);
    }
    watchers.add(watcher);
    let keys = this.byWatcher.get(watcher);
    if (keys === undefined) {
      keys = new Set();
      this.byWatcher.set(watcher, keys);
    }
    keys.add(name);
  }

  /** Forgets every key `watcher` watches (UNWATCH, EXEC, DISCARD, disconnect). */
  unwatchAll(watcher: Watcher): void {
    const keys = this.byWatcher.get(watcher);
    if (keys === undefined) return;
    for (const name of keys) {
      const watchers = this.byKey.get(name);
      watchers?.delete(watcher);
      if (watchers?.size === 0) this.byKey.delete(name);
    }
    this.byWatcher.delete(watcher);
  }

  /** Marks every client watching `key` in `dbIndex` dirty. */
  touch(dbIndex: number, key: string): void {
    if (this.byKey.size === 0) return;
    const watchers = this.byKey.get(slotName(dbIndex, key));
    if (watchers === undefined) return;
    for (const watcher of watchers) watcher.watchDirty = true;
  }

  /** Marks dirty every client watching a key of `dbIndex` for which `existed` is true (FLUSHDB). */
  touchDatabase(dbIndex: number, existed: (key: string) => boolean): void {
    const prefix = `${dbIndex}\u0000`;
    for (const [name, watchers] of this.byKey) {
      if (!name.startsWith(prefix) || !existed(name.slice(prefix.length))) continue;
      for (const watcher of watchers) watcher.watchDirty = true;
    }
  }

  watchedCount(watcher: Watcher): number {
    return this.byWatcher.get(watcher)?.size ?? 0;
  }
}
