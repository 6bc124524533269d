/**
 * The disk sink on a simulated disk: the temp file, incremental fsync, backpressure accounting, the
 * failure of each step, and an abort, each checked on the files the disk holds (and, for crash
 * safety, on what it would keep after a power loss).
 */
import { type SimHost, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { type RdbFileResult, RdbFileSink, REDIS_AUTOSYNC_BYTES } from './rdb-file.js';

function text(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes).toString();
}

function setup(): { world: SimWorld; host: SimHost } {
  const world = new SimWorld({ seed: 7 });
  const host = world.addHost('server', '10.0.0.1');
  host.disk.mkdirSync('/data');
  host.disk.writeFileSync('/data/dump.rdb', Buffer.from('previous'));
  return { world, host };
}

function sink(host: SimHost, results: RdbFileResult[], drains?: () => void): RdbFileSink {
  return new RdbFileSink(
    host.env.disk,
    { dir: '/data', dbfilename: 'dump.rdb', tempId: 77, incrementalFsync: true },
    drains ?? (() => {}),
    (result) => results.push(result),
  );
}

describe('RdbFileSink', () => {
  it('writes temp-<id>.rdb, then renames it durably over the dump', () => {
    const { world, host } = setup();
    const results: RdbFileResult[] = [];
    let drained = 0;
    const file = sink(host, results, () => drained++);
    file.write(Buffer.from('abc'));
    file.write(Buffer.from('def'));
    expect(file.queuedBytes).toBe(6);
    world.runFor(20);
    expect(file.queuedBytes).toBe(0);
    // The second chunk queued while the first write was pending: both went out in one write.
    expect(drained).toBe(1);
    expect(text(host.disk.readFileSync('/data/temp-77.rdb'))).toBe('abcdef');
    expect(text(host.disk.readFileSync('/data/dump.rdb'))).toBe('previous');
    file.end();
    world.runFor(100);
    expect(results).toEqual([{ ok: true, bytes: 6 }]);
    expect(host.disk.existsSync('/data/temp-77.rdb')).toBe(false);
    expect(text(host.disk.readDurableFileSync('/data/dump.rdb'))).toBe('abcdef');
  });

  it('fsyncs every 4 MB while writing (rdb-save-incremental-fsync)', () => {
    const { world, host } = setup();
    const file = sink(host, []);
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 5; i++) file.write(chunk);
    world.runFor(100);
    // The first 4 MB were fsynced on the way; only the last 1 MB is not durable yet.
    expect(host.disk.unsyncedBytes()).toBe(5 * 1024 * 1024 - REDIS_AUTOSYNC_BYTES);
    expect(host.disk.readFileSync('/data/temp-77.rdb')?.length).toBe(5 * 1024 * 1024);
  });

  const failures = [
    { op: 'open', step: 'open' },
    { op: 'write', step: 'rdbSaveRio' },
    { op: 'fsync', step: 'fsync' },
    { op: 'close', step: 'fclose' },
    { op: 'rename', step: 'rename' },
    { op: 'fsyncDir', step: 'fsyncFileDir' },
  ] as const;
  for (const { op, step } of failures) {
    it(`a failed ${op} reports step ${step}, removes the temp file and keeps the old dump`, () => {
      const { world, host } = setup();
      const results: RdbFileResult[] = [];
      host.disk.failNext(op);
      const file = sink(host, results);
      file.write(Buffer.from('new dump'));
      file.end();
      world.runFor(100);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ ok: false, step, error: { code: 'EIO' } });
      expect(host.disk.existsSync('/data/temp-77.rdb')).toBe(false);
      host.crash();
      expect(text(host.disk.readDurableFileSync('/data/dump.rdb'))).toBe('previous');
    });
  }

  it('abort stops writing, removes the temp file and reports nothing', () => {
    const { world, host } = setup();
    const results: RdbFileResult[] = [];
    const file = sink(host, results);
    file.write(Buffer.from('partial'));
    world.runFor(20);
    expect(host.disk.existsSync('/data/temp-77.rdb')).toBe(true);
    file.write(Buffer.from('more'));
    file.abort();
    expect(file.active).toBe(false);
    world.runFor(100);
    expect(results).toEqual([]);
    expect(host.disk.existsSync('/data/temp-77.rdb')).toBe(false);
    expect(text(host.disk.readFileSync('/data/dump.rdb'))).toBe('previous');
  });
});
