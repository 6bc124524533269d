/**
 * The Snapshot on its own, over Database objects: what the snapshot point records, how a slice is
 * bounded, and how copy-on-write keeps every key at its start value exactly once.
 *
 * Method: databases are filled directly; the snapshot is stepped by hand, changes are made between
 * steps through Database (with the snapshot installed as its ChangeObserver, as persistence.ts
 * does), and the bytes are read back with the codec's RdbReader.
 */
import { RdbReader, type RdbRecord } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { Database } from '../keyspace/database.js';
import type { RedisValue } from '../keyspace/values.js';
import { Snapshot } from './snapshot.js';

function str(text: string): RedisValue {
  return { type: 'string', value: Buffer.from(text) };
}

function databases(count: number): Database[] {
  return Array.from({ length: count }, (_, i) => new Database(i, { onExpired: () => {} }));
}

function snapshotOf(dbs: Database[], clock = () => 0): Snapshot {
  const snapshot = new Snapshot({
    databases: dbs,
    redisVersion: '7.0.15',
    wallMs: 1_700_000_000_123,
    usedMemory: 1234,
    replicationOffset: 0,
    compression: true,
    checksum: true,
    monotonicMs: clock,
  });
  for (const db of dbs) db.changeObserver = snapshot;
  return snapshot;
}

function records(bytes: Buffer): RdbRecord[] {
  const reader = new RdbReader({ verifyChecksum: true });
  reader.push(bytes);
  reader.end();
  const out: RdbRecord[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) out.push(record);
  return out;
}

function keyValues(all: readonly RdbRecord[]): string[] {
  return all.flatMap((record) =>
    record.kind === 'key' && record.value.type === 'string'
      ? [`${record.db}:${record.key}=${record.value.value.toString()}`]
      : [],
  );
}

const ONE_KEY = { keysMax: 1, bytesMax: 1 << 20, msMax: 1000 };

describe('Snapshot', () => {
  it('writes the header at once, skips empty databases and gives RESIZEDB the start sizes', () => {
    const dbs = databases(3);
    dbs[0]?.set('a', str('1'));
    dbs[2]?.set('b', str('2'));
    dbs[2]?.setExpiry('b', 1_800_000_000_000);
    const snapshot = snapshotOf(dbs);
    expect(snapshot.keysTotal).toBe(2);
    dbs[2]?.set('late', str('x'));
    while (!snapshot.finished) snapshot.step(ONE_KEY);
    const all = records(snapshot.take());
    expect(all.filter((r) => r.kind === 'aux').map((r) => r.kind === 'aux' && r.name)).toEqual([
      'redis-ver',
      'redis-bits',
      'ctime',
      'used-mem',
      'aof-base',
    ]);
    expect(all).toContainEqual({ kind: 'aux', name: 'ctime', value: '1700000000' });
    expect(all.filter((r) => r.kind === 'selectdb')).toEqual([
      { kind: 'selectdb', db: 0 },
      { kind: 'selectdb', db: 2 },
    ]);
    expect(all.filter((r) => r.kind === 'resizedb')).toEqual([
      { kind: 'resizedb', size: 1, expires: 0 },
      { kind: 'resizedb', size: 1, expires: 1 },
    ]);
    expect(keyValues(all)).toEqual(['0:a=1', '2:b=2']);
    const b = all.find((r) => r.kind === 'key' && r.key === 'b');
    expect(b?.kind === 'key' && b.expireMs).toBe(1_800_000_000_000);
  });

  it('bounds a slice by keys, by bytes and by monotonic time', () => {
    const dbs = databases(1);
    // Values LZF cannot shrink, so each record is about 110 bytes.
    const noise = (i: number): string =>
      Array.from({ length: 100 }, (_, j) =>
        String.fromCharCode(33 + ((i * 7919 + j * j * 104729) % 90)),
      ).join('');
    for (let i = 0; i < 1000; i++) dbs[0]?.set(`k${i}`, str(noise(i)));
    const byKeys = snapshotOf(dbs);
    expect(byKeys.step({ keysMax: 7, bytesMax: 1 << 20, msMax: 1000 })).toBe(7);
    const byBytes = snapshotOf(dbs);
    const written = byBytes.step({ keysMax: 1000, bytesMax: 1000, msMax: 1000 });
    expect(written).toBeGreaterThan(5);
    expect(written).toBeLessThan(15);
    let nowMs = 0;
    const byTime = snapshotOf(dbs, () => {
      nowMs += 0.1;
      return nowMs;
    });
    // The clock is read every 16 keys; each reading advances 0.1 ms here, so the third reading
    // (after 47 keys) is the first 0.25 ms past the start.
    expect(byTime.step({ keysMax: 1000, bytesMax: 1 << 20, msMax: 0.25 })).toBe(47);
  });

  it('writes each start key once, at its start value, whatever changes meanwhile', () => {
    const dbs = databases(2);
    for (const name of ['a', 'b', 'c', 'd']) dbs[0]?.set(name, str(`${name}0`));
    dbs[1]?.set('x', str('x0'));
    dbs[1]?.set('y', str('y0'));
    const snapshot = snapshotOf(dbs);
    snapshot.step(ONE_KEY);
    // Overwrite a key already written, one not yet written, delete and recreate one, add one.
    dbs[0]?.set('a', str('a1'));
    dbs[0]?.set('c', str('c1'));
    dbs[0]?.delete('d');
    dbs[0]?.set('d', str('d1'));
    dbs[0]?.set('new', str('n1'));
    // A later database: its pre-image is held until its section starts.
    dbs[1]?.set('y', str('y1'));
    dbs[1]?.setExpiry('x', 1);
    while (!snapshot.finished) snapshot.step(ONE_KEY);
    expect(keyValues(records(snapshot.take())).sort()).toEqual(
      ['0:a=a0', '0:b=b0', '0:c=c0', '0:d=d0', '1:x=x0', '1:y=y0'].sort(),
    );
    expect(snapshot.keysProcessed).toBe(6);
  });

  it('before a database is emptied, writes its pending keys', () => {
    const dbs = databases(2);
    dbs[0]?.set('a', str('1'));
    dbs[1]?.set('b', str('2'));
    dbs[1]?.set('c', str('3'));
    const snapshot = snapshotOf(dbs);
    dbs[1]?.clear();
    dbs[1]?.set('b', str('after'));
    dbs[0]?.clear();
    while (!snapshot.finished) snapshot.step(ONE_KEY);
    expect(keyValues(records(snapshot.take()))).toEqual(['0:a=1', '1:b=2', '1:c=3']);
  });

  it('a SWAPDB in the middle leaves every key in its start database, at its start value', () => {
    const dbs = databases(3);
    for (const name of ['a', 'b', 'c']) dbs[0]?.set(name, str(`${name}0`));
    dbs[1]?.set('x', str('x0'));
    dbs[1]?.set('y', str('y0'));
    dbs[2]?.set('z', str('z0'));
    const snapshot = snapshotOf(dbs);
    snapshot.step(ONE_KEY);
    const [first, second] = dbs;
    if (first === undefined || second === undefined) throw new Error('two databases');
    first.swapWith(second);
    // Changes after the swap, to both sides, must not reach the snapshot.
    first.set('x', str('x1'));
    first.delete('y');
    second.set('b', str('b1'));
    second.set('new', str('n1'));
    while (!snapshot.finished) snapshot.step(ONE_KEY);
    expect(keyValues(records(snapshot.take())).sort()).toEqual(
      ['0:a=a0', '0:b=b0', '0:c=c0', '1:x=x0', '1:y=y0', '2:z=z0'].sort(),
    );
    expect(first.peek('x')).toMatchObject(str('x1'));
    expect(second.peek('a')).toMatchObject(str('a0'));
  });
});
