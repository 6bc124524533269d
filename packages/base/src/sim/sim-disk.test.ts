/**
 * The simulated disk must lose exactly what a real disk may lose: data not fsynced, directory
 * operations not dir-synced; and must report full disks and I/O errors as values. Method: a host's
 * software issues operations through `host.env.disk`, each awaited by running virtual time; the
 * host then crashes and the harness helpers show what survived.
 */
import { describe, expect, it } from 'vitest';
import { assert } from '../assert.js';
import type { Disk, DiskResult, FileHandle, OpenMode } from '../env.js';
import type { SimHost } from './host.js';
import type { SimDiskFaults } from './sim-disk.js';
import { SimWorld } from './world.js';

function setup(seed = 1, faults: Partial<SimDiskFaults> = {}): { world: SimWorld; host: SimHost } {
  const world = new SimWorld({ seed });
  const host = world.addHost('node', '10.0.0.1', { disk: { cwd: '/data', faults } });
  return { world, host };
}

/** Runs virtual time until the operation's callback fires; returns its result. */
function run<T>(
  world: SimWorld,
  start: (done: (result: DiskResult<T>) => void) => void,
): DiskResult<T> {
  let result: DiskResult<T> | undefined;
  start((value) => {
    result = value;
  });
  for (let events = 0; result === undefined && events < 10_000; events++) {
    if (!world.step()) break;
  }
  assert(result !== undefined, 'the disk operation never completed');
  return result;
}

function value<T>(result: DiskResult<T>): T {
  assert(result.ok, `disk operation failed: ${result.ok ? '' : result.error.message}`);
  return result.value;
}

function code(result: DiskResult<unknown>): string {
  return result.ok ? 'ok' : result.error.code;
}

/** A little synchronous-looking facade over one host's Disk, for readable tests. */
function files(world: SimWorld, disk: () => Disk) {
  return {
    open: (path: string, mode: OpenMode) =>
      run<FileHandle>(world, (done) => disk().open(path, mode, done)),
    write: (file: FileHandle, text: string) =>
      run<number>(world, (done) => disk().write(file, Buffer.from(text), done)),
    fsync: (file: FileHandle) => run<void>(world, (done) => disk().fsync(file, done)),
    close: (file: FileHandle) => run<void>(world, (done) => disk().close(file, done)),
    read: (file: FileHandle, position: number, length: number) =>
      run<Uint8Array>(world, (done) => disk().read(file, position, length, done)),
    size: (path: string) => run<number>(world, (done) => disk().size(path, done)),
    rename: (source: string, target: string) =>
      run<void>(world, (done) => disk().rename(source, target, done)),
    unlink: (path: string) => run<void>(world, (done) => disk().unlink(path, done)),
    list: (dir: string) => run<string[]>(world, (done) => disk().list(dir, done)),
    fsyncDir: (dir: string) => run<void>(world, (done) => disk().fsyncDir(dir, done)),
    /** open, write, optionally fsync, close. */
    writeFile(path: string, text: string, options: { fsync: boolean }): void {
      const file = value(this.open(path, 'write'));
      value(this.write(file, text));
      if (options.fsync) value(this.fsync(file));
      value(this.close(file));
    },
  };
}

function text(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes).toString();
}

describe('round trip', () => {
  it('writes, reads, sizes, lists sorted and resolves relative paths against the cwd', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    fs.writeFile('b.txt', 'hello world', { fsync: false });
    fs.writeFile('/data/a.txt', 'x', { fsync: false });
    expect(value(fs.size('/data/b.txt'))).toBe(11);
    const file = value(fs.open('b.txt', 'read'));
    expect(text(value(fs.read(file, 6, 100)))).toBe('world');
    expect(value(fs.read(file, 50, 10))).toHaveLength(0);
    expect(value(fs.list('.'))).toEqual(['a.txt', 'b.txt']);
    const appended = value(fs.open('b.txt', 'append'));
    value(fs.write(appended, '!'));
    expect(text(host.disk.readFileSync('/data/b.txt'))).toBe('hello world!');
  });

  it('reports errors as values: ENOENT, EISDIR, ENOTDIR, EBADF', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    expect(code(fs.open('missing', 'read'))).toBe('ENOENT');
    expect(code(fs.open('/nodir/file', 'write'))).toBe('ENOENT');
    expect(code(fs.open('/data', 'read'))).toBe('EISDIR');
    expect(code(fs.size('missing'))).toBe('ENOENT');
    expect(code(fs.unlink('missing'))).toBe('ENOENT');
    expect(code(fs.rename('missing', 'other'))).toBe('ENOENT');
    expect(code(fs.list('/nope'))).toBe('ENOENT');
    fs.writeFile('f', 'x', { fsync: false });
    expect(code(fs.open('f/inner', 'write'))).toBe('ENOTDIR');
    const file = value(fs.open('f', 'read'));
    expect(code(fs.write(file, 'no'))).toBe('EBADF');
    value(fs.close(file));
    expect(code(fs.close(file))).toBe('EBADF');
    const missing = fs.open('missing', 'read');
    expect(missing.ok ? '' : missing.error.message).toBe(
      "ENOENT: no such file or directory, open '/data/missing'",
    );
  });

  it('completes operations in issue order, each after its latency', () => {
    const { world, host } = setup(2, {
      latencyMsMin: 5,
      latencyMsMax: 50,
      fsyncLatencyMsMin: 100,
      fsyncLatencyMsMax: 100,
    });
    const fs = files(world, () => host.env.disk);
    const file = value(fs.open('log', 'append'));
    const order: string[] = [];
    const start = world.now();
    host.env.disk.write(file, Buffer.from('a'), () => order.push('write a'));
    host.env.disk.fsync(file, () => order.push(`fsync at +${world.now() - start}`));
    host.env.disk.write(file, Buffer.from('b'), () => order.push('write b'));
    world.runFor(1000);
    expect(order[0]).toBe('write a');
    expect(order[2]).toBe('write b');
    const fsyncAt = Number(order[1]?.split('+')[1]);
    expect(fsyncAt).toBeGreaterThanOrEqual(100);
  });
});

describe('crash semantics', () => {
  it('loses an unsynced write and keeps an fsynced one', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    fs.writeFile('synced', 'durable', { fsync: true });
    fs.writeFile('unsynced', 'volatile', { fsync: false });
    value(fs.fsyncDir('.'));
    const log = value(fs.open('synced', 'append'));
    value(fs.write(log, ' tail'));
    expect(host.disk.unsyncedBytes()).toBe(5 + 8);
    host.crash();
    host.restart();
    expect(text(host.disk.readFileSync('synced'))).toBe('durable');
    expect(text(host.disk.readFileSync('unsynced'))).toBe('');
  });

  it('undoes a rename that was not followed by fsyncDir', () => {
    const { world, host } = setup();
    host.disk.writeFileSync('/data/dump.rdb', Buffer.from('old dump'));
    const fs = files(world, () => host.env.disk);
    fs.writeFile('temp-1.rdb', 'new dump', { fsync: true });
    value(fs.rename('temp-1.rdb', 'dump.rdb'));
    expect(text(host.disk.readFileSync('dump.rdb'))).toBe('new dump');
    expect(text(host.disk.readDurableFileSync('dump.rdb'))).toBe('old dump');
    host.crash();
    host.restart();
    expect(text(host.disk.readFileSync('dump.rdb'))).toBe('old dump');
    expect(host.disk.existsSync('temp-1.rdb')).toBe(false);
  });

  it('keeps a rename once the directory is fsynced', () => {
    const { world, host } = setup();
    host.disk.writeFileSync('/data/dump.rdb', Buffer.from('old dump'));
    const fs = files(world, () => host.env.disk);
    fs.writeFile('temp-1.rdb', 'new dump', { fsync: true });
    value(fs.rename('temp-1.rdb', 'dump.rdb'));
    value(fs.fsyncDir('/data'));
    host.crash();
    host.restart();
    expect(text(host.disk.readFileSync('dump.rdb'))).toBe('new dump');
    expect(host.disk.listSync('/data')).toEqual(['dump.rdb']);
  });

  it('a renamed file keeps only its fsynced content after a crash', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    fs.writeFile('temp', 'not fsynced', { fsync: false });
    value(fs.rename('temp', 'dump.rdb'));
    value(fs.fsyncDir('.'));
    host.crash();
    expect(text(host.disk.readFileSync('dump.rdb'))).toBe('');
  });

  it('a created file vanishes and an unlinked one returns without fsyncDir', () => {
    const { world, host } = setup();
    host.disk.writeFileSync('/data/kept', Buffer.from('k'));
    const fs = files(world, () => host.env.disk);
    fs.writeFile('created', 'c', { fsync: true });
    value(fs.unlink('kept'));
    expect(value(fs.list('.'))).toEqual(['created']);
    host.crash();
    host.restart();
    expect(host.disk.listSync('/data')).toEqual(['kept']);
  });

  it('undoes an unsynced truncation', () => {
    const { world, host } = setup();
    host.disk.writeFileSync('/data/appendonly.aof', Buffer.from('old log'));
    const fs = files(world, () => host.env.disk);
    fs.writeFile('appendonly.aof', 'rewritten', { fsync: false });
    host.crash();
    expect(text(host.disk.readFileSync('appendonly.aof'))).toBe('old log');
  });

  it('drops an operation still in flight at the crash, and never calls it back', () => {
    const { world, host } = setup(3, { latencyMsMin: 10, latencyMsMax: 10 });
    const fs = files(world, () => host.env.disk);
    const file = value(fs.open('log', 'write'));
    value(fs.fsync(file));
    value(fs.fsyncDir('.'));
    let called = false;
    host.env.disk.write(file, Buffer.from('lost'), () => (called = true));
    world.runFor(5);
    host.crash();
    world.runFor(100);
    expect(called).toBe(false);
    expect(text(host.disk.readFileSync('log'))).toBe('');
  });

  it('keeps a random prefix of the unsynced tail with torn writes', () => {
    const lengths = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const { world, host } = setup(seed, { tornWriteChance: 1 });
      const fs = files(world, () => host.env.disk);
      fs.writeFile('log', 'durable|', { fsync: true });
      value(fs.fsyncDir('.'));
      const file = value(fs.open('log', 'append'));
      value(fs.write(file, '0123456789'));
      host.crash();
      const after = text(host.disk.readFileSync('log')) ?? '';
      expect(after.startsWith('durable|')).toBe(true);
      expect('durable|0123456789'.startsWith(after)).toBe(true);
      lengths.add(after.length);
    }
    expect(lengths.size).toBeGreaterThan(3);
  });
});

describe('fault knobs', () => {
  it('fails a write with ENOSPC past spaceBytesMax, writing nothing', () => {
    const { world, host } = setup(1, { spaceBytesMax: 10 });
    const fs = files(world, () => host.env.disk);
    const file = value(fs.open('f', 'write'));
    expect(value(fs.write(file, '12345678'))).toBe(8);
    expect(code(fs.write(file, '123'))).toBe('ENOSPC');
    expect(value(fs.write(file, '12'))).toBe(2);
    expect(host.disk.usedBytes()).toBe(10);
    host.disk.setFaults({ spaceBytesMax: Number.POSITIVE_INFINITY });
    expect(value(fs.write(file, 'more'))).toBe(4);
  });

  it('fails writes and fsyncs with EIO on demand (failNext) and by chance', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    const file = value(fs.open('f', 'write'));
    host.disk.failNext('write');
    expect(code(fs.write(file, 'a'))).toBe('EIO');
    expect(code(fs.write(file, 'b'))).toBe('ok');
    host.disk.failNext('fsync', 2);
    expect(code(fs.fsync(file))).toBe('EIO');
    expect(code(fs.fsync(file))).toBe('EIO');
    expect(host.disk.unsyncedBytes()).toBe(1);
    expect(code(fs.fsync(file))).toBe('ok');
    const previous = host.disk.setFaults({ writeErrorChance: 1, fsyncErrorChance: 1 });
    expect(code(fs.write(file, 'c'))).toBe('EIO');
    expect(code(fs.fsync(file))).toBe('EIO');
    expect(code(fs.fsyncDir('.'))).toBe('EIO');
    host.disk.setFaults(previous);
    expect(code(fs.write(file, 'd'))).toBe('ok');
    expect(text(host.disk.readFileSync('f'))).toBe('bd');
  });

  it('an fsync that failed made nothing durable', () => {
    const { world, host } = setup();
    const fs = files(world, () => host.env.disk);
    const file = value(fs.open('f', 'write'));
    value(fs.fsyncDir('.'));
    value(fs.write(file, 'data'));
    host.disk.failNext('fsync');
    expect(code(fs.fsync(file))).toBe('EIO');
    host.crash();
    expect(text(host.disk.readFileSync('f'))).toBe('');
  });
});

describe('harness helpers', () => {
  it('plants durable and volatile files synchronously', () => {
    const { host } = setup();
    host.disk.writeFileSync('/plant/dump.rdb', Buffer.from('REDIS0010'));
    host.disk.writeFileSync('/plant/scratch', Buffer.from('tmp'), { durable: false });
    expect(host.disk.listSync('/plant')).toEqual(['dump.rdb', 'scratch']);
    expect(host.disk.listSync('/')).toEqual(['data', 'plant']);
    host.crash();
    expect(host.disk.listSync('/plant')).toEqual(['dump.rdb']);
    expect(text(host.disk.readFileSync('/plant/dump.rdb'))).toBe('REDIS0010');
    expect(host.disk.readFileSync('/plant/scratch')).toBeUndefined();
  });
});
