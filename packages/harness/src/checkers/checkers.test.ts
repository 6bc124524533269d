/**
 * The checkers on hand-written histories: each rule of what Redis promises, including the cases
 * that must be allowed (either snapshot in the rename-to-directory-fsync window) and the ones that
 * never are (a mix of two snapshots, a lost write a WAIT vouched for with its replicas intact).
 * Histories are built with the same History class the runs use.
 */
import { describe, expect, it } from 'vitest';
import { History } from '../history/history.js';
import { checkLostWrites } from './lost-writes.js';
import { checkSnapshotRecovery } from './snapshot-recovery.js';
import { checkOffsets, checkStreamPrefix } from './stream-checks.js';

function write(h: History, key: string, value: string, node = 'n1'): void {
  h.op({ type: 'invoke', f: 'write', process: 1, node, key, value });
  h.op({ type: 'ok', f: 'write', process: 1, node, key, value });
}

function readAll(h: History, dataset: Record<string, string>, node = 'n1'): void {
  h.op({ type: 'invoke', f: 'read-all', process: 2, node });
  h.op({ type: 'ok', f: 'read-all', process: 2, node, value: dataset });
}

/** a=1, snapshot A, a=2 b=1, snapshot B renamed (then maybe its dir fsync), crash, restart. */
function crashAfterRename(dirSynced: boolean): History {
  const h = new History(() => 0);
  write(h, 'a', '1');
  h.event('n1', 'bgsave-start', 'A');
  h.event('n1', 'rename', 'r', { path: '/data/temp-1.rdb', target: '/data/dump.rdb' });
  h.event('n1', 'fsync-dir', 'f', { path: '/data' });
  h.event('n1', 'bgsave-end', 'ok', { ok: true });
  write(h, 'a', '2');
  write(h, 'b', '1');
  h.event('n1', 'bgsave-start', 'B');
  h.event('n1', 'rename', 'r', { path: '/data/temp-2.rdb', target: '/data/dump.rdb' });
  if (dirSynced) h.event('n1', 'fsync-dir', 'f', { path: '/data' });
  write(h, 'a', '3');
  h.event('n1', 'crash', 'power loss');
  h.event('n1', 'restart', 'restarts');
  return h;
}

describe('snapshot-recovery', () => {
  it('allows either snapshot between the rename and the directory fsync, never a mix', () => {
    for (const dataset of [{ a: '1' }, { a: '2', b: '1' }]) {
      const h = crashAfterRename(false);
      readAll(h, dataset);
      expect(checkSnapshotRecovery(h.ops, h.events).map((f) => f.severity)).toEqual(['held']);
    }
    const mixed = crashAfterRename(false);
    readAll(mixed, { a: '2' });
    const [finding] = checkSnapshotRecovery(mixed.ops, mixed.events);
    expect(finding?.severity).toBe('violation');
    expect(finding?.text).toMatch(/holds no allowed snapshot .* differs in 1 keys/);
  });

  it('after the directory fsync only the new snapshot is allowed', () => {
    const old = crashAfterRename(true);
    readAll(old, { a: '1' });
    expect(checkSnapshotRecovery(old.ops, old.events)[0]?.severity).toBe('violation');
    const fresh = crashAfterRename(true);
    readAll(fresh, { a: '2', b: '1' });
    expect(checkSnapshotRecovery(fresh.ops, fresh.events)[0]?.severity).toBe('held');
  });

  it('a kill keeps a renamed snapshot (the page cache survives)', () => {
    const h = new History(() => 0);
    write(h, 'a', '1');
    h.event('n1', 'bgsave-start', 'A');
    h.event('n1', 'rename', 'r', { path: '/data/temp-1.rdb', target: '/data/dump.rdb' });
    h.event('n1', 'kill', 'kill -9');
    h.event('n1', 'restart', 'restarts');
    readAll(h, {});
    expect(checkSnapshotRecovery(h.ops, h.events)[0]?.severity).toBe('violation');
  });

  it('a write in flight at the snapshot point may be in it or not', () => {
    for (const dataset of [{}, { a: '1' }]) {
      const h = new History(() => 0);
      h.op({ type: 'invoke', f: 'write', process: 1, node: 'n1', key: 'a', value: '1' });
      h.event('n1', 'bgsave-start', 'A');
      h.op({ type: 'ok', f: 'write', process: 1, node: 'n1', key: 'a', value: '1' });
      h.event('n1', 'save', 'DB saved on disk');
      h.event('n1', 'bgsave-end', 'ok', { ok: true });
      h.event('n1', 'crash', 'power loss');
      h.event('n1', 'restart', 'restarts');
      readAll(h, dataset);
      expect(checkSnapshotRecovery(h.ops, h.events)[0]?.severity).toBe('held');
    }
  });
});

describe('lost-writes', () => {
  it('names the destroying event and permits asynchronous losses', () => {
    const h = new History(() => 0);
    write(h, 'a', '1', 'master');
    write(h, 'a', '2', 'master');
    h.event('master', 'kill', 'kill -9');
    h.event('replica', 'failover', 'promoted');
    h.event('replica', 'state', 's', { role: 'master', replid: 'x', offset: 1, final: true });
    readAll(h, { a: '1' }, 'replica');
    const findings = checkLostWrites(h.ops, h.events);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('permitted');
    expect(findings[0]?.text).toMatch(/^SET a 2 .* lost to the promotion of replica/);
  });

  it('a loss after WAIT 1 returned 1 is a violation unless a replica lost data too', () => {
    for (const replicaCrashed of [false, true]) {
      const h = new History(() => 0);
      write(h, 'a', '1', 'master');
      h.op({ type: 'invoke', f: 'wait', process: 1, node: 'master', value: 1 });
      h.op({ type: 'ok', f: 'wait', process: 1, node: 'master', value: 1 });
      if (replicaCrashed) h.event('replica', 'crash', 'power loss');
      h.event('master', 'crash', 'power loss');
      h.event('master', 'state', 's', { role: 'master', replid: 'x', offset: 1, final: true });
      readAll(h, {}, 'master');
      const [finding] = checkLostWrites(h.ops, h.events);
      expect(finding?.severity).toBe(replicaCrashed ? 'permitted' : 'violation');
    }
  });

  it('finds nothing lost when the final dataset explains every write', () => {
    const h = new History(() => 0);
    write(h, 'a', '1');
    h.op({ type: 'invoke', f: 'incr', process: 1, node: 'n1', key: 'c' });
    h.op({ type: 'ok', f: 'incr', process: 1, node: 'n1', key: 'c', value: 1 });
    readAll(h, { a: '1', c: '1' });
    expect(checkLostWrites(h.ops, h.events).map((f) => f.severity)).toEqual(['held']);
  });
});

describe('stream checks', () => {
  it('flag an offset going back within a replid, and two datasets at one replid:offset', () => {
    const h = new History(() => 0);
    h.event('r', 'state', 's', { replid: 'x', offset: 10, digest: 'd1' });
    h.event('m', 'state', 's', { replid: 'x', offset: 10, digest: 'd2' });
    h.event('r', 'state', 's', { replid: 'x', offset: 5 });
    expect(checkOffsets(h.events).map((f) => f.severity)).toEqual(['violation']);
    expect(checkStreamPrefix(h.events).map((f) => f.severity)).toEqual(['violation']);
  });

  it('restart a node account after a full resync', () => {
    const h = new History(() => 0);
    h.event('r', 'state', 's', { replid: 'x', offset: 10 });
    h.event('r', 'fullresync', 'Full resync from master: x:3');
    h.event('r', 'state', 's', { replid: 'x', offset: 3 });
    expect(checkOffsets(h.events).map((f) => f.severity)).toEqual(['held']);
  });
});
