/**
 * WatchRegistry on its own: which changes dirty a watcher, following Redis 7.0's touchWatchedKey
 * and touchAllWatchedKeysInDb, including the "already expired at WATCH" mark. Method: plain watcher
 * objects and presence predicates standing in for a database.
 */
import { describe, expect, it } from 'vitest';
import { WatchRegistry } from './watch-registry.js';

const watcher = () => ({ watchDirty: false });
const present = () => true;
const absent = () => false;

describe('WatchRegistry', () => {
  it('dirties watchers of a changed key in its database only, until they unwatch', () => {
    const registry = new WatchRegistry();
    const [a, b] = [watcher(), watcher()];
    registry.watch(a, 0, 'k');
    registry.watch(b, 1, 'k');
    registry.touch(0, 'other');
    registry.touch(0, 'k');
    expect([a.watchDirty, b.watchDirty]).toEqual([true, false]);
    registry.unwatchAll(b);
    registry.touch(1, 'k');
    expect(b.watchDirty).toBe(false);
    expect(registry.watchedCount(a)).toBe(1);
    expect(registry.watchedCount(b)).toBe(0);
  });

  it('keeps the first expired mark of a key watched twice', () => {
    const registry = new WatchRegistry();
    const a = watcher();
    registry.watch(a, 0, 'k', true);
    registry.watch(a, 0, 'k', false);
    expect([...registry.watchedKeys(a)]).toEqual([{ dbIndex: 0, key: 'k', expired: true }]);
  });

  it('does not dirty for the deletion of a key already expired at WATCH, but does for a write', () => {
    const registry = new WatchRegistry();
    const a = watcher();
    registry.watch(a, 0, 'k', true);
    registry.touch(0, 'k', absent);
    expect(a.watchDirty).toBe(false);
    expect([...registry.watchedKeys(a)][0]?.expired).toBe(false);
    registry.touch(0, 'k', present);
    expect(a.watchDirty).toBe(true);
  });

  it('flushes: dirties for keys that existed, not for missing or already-expired ones', () => {
    const registry = new WatchRegistry();
    const [live, missing, expired] = [watcher(), watcher(), watcher()];
    registry.watch(live, 0, 'live');
    registry.watch(missing, 0, 'missing');
    registry.watch(expired, 0, 'expired', true);
    registry.touchDatabase(0, (key) => key !== 'missing');
    expect([live.watchDirty, missing.watchDirty, expired.watchDirty]).toEqual([true, false, false]);
  });

  it('swaps: a key appearing dirties, an expired key replacing a missing one is marked instead', () => {
    const registry = new WatchRegistry();
    const [appears, appearsExpired, staysExpired] = [watcher(), watcher(), watcher()];
    registry.watch(appears, 0, 'new');
    registry.watch(appearsExpired, 0, 'new-expired');
    registry.watch(staysExpired, 0, 'old-expired', true);
    registry.touchDatabase(0, (key) => key === 'old-expired', {
      present: present,
      expired: (key) => key !== 'new',
    });
    expect(appears.watchDirty).toBe(true);
    expect(appearsExpired.watchDirty).toBe(false);
    expect([...registry.watchedKeys(appearsExpired)][0]?.expired).toBe(true);
    expect(staysExpired.watchDirty).toBe(false);
  });
});
