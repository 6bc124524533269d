/**
 * The real Env against the real operating system: a TCP round trip on 127.0.0.1 with a port the
 * system picks, operating errors (EADDRINUSE, ECONNREFUSED, ECONNRESET) arriving as values, graceful
 * close, timers, clocks, and a disk round trip in a temporary directory with errno mapping.
 * Method: the callback API wrapped in promises (tests may await; the core never does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assert } from '../assert.js';
import type {
  Connection,
  Disk,
  DiskResult,
  FileHandle,
  Listener,
  NetError,
  NetResult,
} from '../env.js';
import { createRealDisk } from './real-disk.js';
import { createRealEnv } from './real-env.js';
import { createRealNetwork } from './real-network.js';
import { createRealClock, createRealTimers } from './real-time.js';

const network = createRealNetwork();
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function listen(
  port: number,
  onConnection: (connection: Connection) => void,
): Promise<NetResult<Listener>> {
  return new Promise((resolve) => {
    network.listen({ host: '127.0.0.1', port }, onConnection, (result) => {
      if (result.ok) cleanups.push(() => result.value.close());
      resolve(result);
    });
  });
}

function connect(port: number): Promise<NetResult<Connection>> {
  return new Promise((resolve) => network.connect('127.0.0.1', port, resolve));
}

function closed(connection: Connection): Promise<NetError | undefined> {
  return new Promise((resolve) => connection.onClose(resolve));
}

async function echoServer(): Promise<{ port: number; accepted: Connection[] }> {
  const accepted: Connection[] = [];
  const result = await listen(0, (connection) => {
    accepted.push(connection);
    connection.onData((chunk) => connection.write(chunk));
    connection.onClose(() => {});
  });
  assert(result.ok, 'listen on port 0');
  return { port: result.value.port, accepted };
}

describe('real network', () => {
  it('round-trips bytes over 127.0.0.1 on a port the system picked', async () => {
    const { port } = await echoServer();
    expect(port).toBeGreaterThan(0);
    const result = await connect(port);
    assert(result.ok, 'connect');
    const connection = result.value;
    expect(connection.remotePort).toBe(port);
    expect(connection.remoteAddress).toBe('127.0.0.1');
    const payload = Buffer.alloc(256 * 1024, 7);
    const received: Buffer[] = [];
    let total = 0;
    const done = new Promise<void>((resolve) => {
      connection.onData((chunk) => {
        expect(Buffer.isBuffer(chunk)).toBe(true);
        received.push(chunk);
        total += chunk.length;
        if (total === payload.length) resolve();
      });
    });
    connection.write(payload);
    expect(connection.bufferedBytes()).toBeGreaterThanOrEqual(0);
    await done;
    expect(Buffer.concat(received).equals(payload)).toBe(true);
    const closing = closed(connection);
    connection.end();
    expect(await closing).toBeUndefined();
  });

  it('batches the writes of one turn, counts them as buffered, and end() sends them first', async () => {
    let accepted: ((connection: Connection) => void) | undefined;
    const serverSide = new Promise<Connection>((resolve) => (accepted = resolve));
    const listening = await listen(0, (connection) => {
      connection.onClose(() => {});
      accepted?.(connection);
    });
    assert(listening.ok, 'listen');
    const result = await connect(listening.value.port);
    assert(result.ok, 'connect');
    const client = result.value;
    const server = await serverSide;
    const received: Buffer[] = [];
    const clientClosed = new Promise<NetError | undefined>((resolve) => {
      client.onData((chunk) => received.push(chunk));
      client.onClose(resolve);
    });
    server.write(Buffer.from('one '));
    server.write(Buffer.from('two '));
    server.write(Buffer.alloc(0));
    server.write(Buffer.from('three'));
    // Nothing has reached the socket yet: all of it waits for the end of this turn.
    expect(server.bufferedBytes()).toBe(13);
    server.end();
    server.write(Buffer.from(' ignored after end'));
    expect(await clientClosed).toBeUndefined();
    expect(Buffer.concat(received).toString()).toBe('one two three');
  });

  it('delivers nothing while reading is paused, then everything on resume', async () => {
    let accepted: ((connection: Connection) => void) | undefined;
    const serverSide = new Promise<Connection>((resolve) => (accepted = resolve));
    const received: Buffer[] = [];
    const listening = await listen(0, (connection) => {
      connection.onData((chunk) => received.push(chunk));
      connection.onClose(() => {});
      connection.pauseReading();
      accepted?.(connection);
    });
    assert(listening.ok, 'listen');
    const result = await connect(listening.value.port);
    assert(result.ok, 'connect');
    const client = result.value;
    client.onClose(() => {});
    const server = await serverSide;
    client.write(Buffer.from('held back'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]);
    server.resumeReading();
    for (let i = 0; i < 100 && Buffer.concat(received).length < 9; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(Buffer.concat(received).toString()).toBe('held back');
    client.destroy();
  });

  it('reports EADDRINUSE as a value', async () => {
    const { port } = await echoServer();
    const again = await listen(port, () => {});
    expect(again.ok ? 'ok' : again.error.code).toBe('EADDRINUSE');
  });

  it('reports ECONNREFUSED as a value', async () => {
    const result = await listen(0, () => {});
    assert(result.ok, 'listen');
    const port = result.value.port;
    result.value.close();
    const refused = await connect(port);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('ECONNREFUSED');
  });

  it('destroy() closes locally without error and reaches the peer as ECONNRESET', async () => {
    let serverClosed: ((error: NetError | undefined) => void) | undefined;
    const peerError = new Promise<NetError | undefined>((resolve) => (serverClosed = resolve));
    const listening = await listen(0, (connection) => {
      connection.onData((chunk) => connection.write(chunk));
      connection.onClose((error) => serverClosed?.(error));
    });
    assert(listening.ok, 'listen');
    const result = await connect(listening.value.port);
    assert(result.ok, 'connect');
    const connection = result.value;
    // One echoed byte proves the server side exists before the reset.
    await new Promise<void>((resolve) => {
      connection.onData(() => resolve());
      connection.write(Buffer.from('x'));
    });
    const local = closed(connection);
    connection.destroy();
    connection.write(Buffer.from('ignored after close'));
    expect(await local).toBeUndefined();
    expect((await peerError)?.code).toBe('ECONNRESET');
  });
});

describe('real clock and timers', () => {
  it('runs a 0 ms timer asynchronously and honours cancel', async () => {
    const timers = createRealTimers();
    const order: string[] = [];
    timers.after(0, () => order.push('zero'));
    const cancelled = timers.after(0, () => order.push('cancelled'));
    timers.cancel(cancelled);
    order.push('sync');
    await new Promise<void>((resolve) => timers.after(5, resolve));
    expect(order).toEqual(['sync', 'zero']);
  });

  it('gives a monotonic clock that does not go backwards and a wall clock near now', () => {
    const clock = createRealClock();
    const first = clock.monotonicMs();
    const second = clock.monotonicMs();
    expect(second).toBeGreaterThanOrEqual(first);
    expect(Math.abs(clock.wallMs() - Date.now())).toBeLessThan(1000);
  });

  it('builds a whole Env', () => {
    const env = createRealEnv({ seed: 42n });
    expect(env.random.hex(8)).toBe(createRealEnv({ seed: 42n }).random.hex(8));
  });
});

describe('real disk', () => {
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-base-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function call<T>(start: (done: (result: DiskResult<T>) => void) => void): Promise<DiskResult<T>> {
    return new Promise((resolve) => start(resolve));
  }

  async function value<T>(promise: Promise<DiskResult<T>>): Promise<T> {
    const result = await promise;
    assert(result.ok, `disk operation failed: ${result.ok ? '' : result.error.message}`);
    return result.value;
  }

  it('writes, fsyncs, renames, fsyncs the directory, lists, reads and unlinks', async () => {
    const dir = tempDir();
    const disk: Disk = createRealDisk({ cwd: dir });
    const file = await value(call<FileHandle>((done) => disk.open('temp-1.rdb', 'write', done)));
    expect(await value(call<number>((done) => disk.write(file, Buffer.from('REDIS'), done)))).toBe(
      5,
    );
    expect(await value(call<number>((done) => disk.write(file, Buffer.from('0010'), done)))).toBe(
      4,
    );
    await value(call<void>((done) => disk.fsync(file, done)));
    await value(call<void>((done) => disk.close(file, done)));
    await value(call<void>((done) => disk.rename('temp-1.rdb', 'dump.rdb', done)));
    await value(call<void>((done) => disk.fsyncDir('.', done)));
    await value(call<void>((done) => disk.fsyncDir(dir, done)));
    expect(await value(call<number>((done) => disk.size('dump.rdb', done)))).toBe(9);
    const appender = await value(call<FileHandle>((done) => disk.open('b.aof', 'append', done)));
    await value(call<number>((done) => disk.write(appender, Buffer.from('x'), done)));
    await value(call<void>((done) => disk.close(appender, done)));
    expect(await value(call<string[]>((done) => disk.list('.', done)))).toEqual([
      'b.aof',
      'dump.rdb',
    ]);
    const reader = await value(
      call<FileHandle>((done) => disk.open(join(dir, 'dump.rdb'), 'read', done)),
    );
    const bytes = await value(call<Uint8Array>((done) => disk.read(reader, 5, 100, done)));
    expect(Buffer.from(bytes).toString()).toBe('0010');
    await value(call<void>((done) => disk.close(reader, done)));
    await value(call<void>((done) => disk.unlink('dump.rdb', done)));
    expect(await value(call<string[]>((done) => disk.list('.', done)))).toEqual(['b.aof']);
  });

  it('maps errno codes into DiskError values', async () => {
    const dir = tempDir();
    const disk = createRealDisk({ cwd: dir });
    const codeOf = async (
      start: (done: (result: DiskResult<unknown>) => void) => void,
    ): Promise<string> => {
      const result = await call(start);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await codeOf((done) => disk.open('missing', 'read', done))).toBe('ENOENT');
    expect(await codeOf((done) => disk.size('missing', done))).toBe('ENOENT');
    expect(await codeOf((done) => disk.size('.', done))).toBe('EISDIR');
    expect(await codeOf((done) => disk.unlink('missing', done))).toBe('ENOENT');
    expect(await codeOf((done) => disk.list('missing', done))).toBe('ENOENT');
    expect(await codeOf((done) => disk.fsyncDir('missing', done))).toBe('ENOENT');
    expect(await codeOf((done) => disk.close(987_654 as FileHandle, done))).toBe('EBADF');
  });
});
