/**
 * The fault proxy on loopback: an echo server behind a FaultProxy, a client in front, and each
 * toxic checked for what Toxiproxy's documentation says it does (toxics.ts). Timing assertions
 * allow generous slack for a loaded 2-core machine; they check lower bounds (a delay happened) and
 * order, never tight upper bounds. The pure scheduler (schedulePieces) is tested directly.
 */
import { once } from 'node:events';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy.js';
import { schedulePieces } from './toxics.js';

let echo: Server;
let echoPort = 0;
const proxies: FaultProxy[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const address = echo.address();
  echoPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const proxy of proxies) await proxy.close();
  echo.close();
});

async function proxy(name = 'test'): Promise<FaultProxy> {
  const p = await FaultProxy.start({ name, upstream: { host: '127.0.0.1', port: echoPort } });
  proxies.push(p);
  return p;
}

/** A client that collects what it reads and how the connection ended. */
async function client(port: number) {
  const socket = netConnect({ host: '127.0.0.1', port });
  sockets.push(socket);
  let received = Buffer.alloc(0);
  let error: string | undefined;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code;
  });
  socket.on('close', () => {
    closed = true;
  });
  // A reset proxy may refuse before the connect completes: then the client is simply closed.
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return {
    socket,
    text: () => received.toString(),
    bytes: () => received.length,
    error: () => error,
    closed: () => closed,
  };
}

async function until(predicate: () => boolean, ms = 5000): Promise<number> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

describe('FaultProxy', () => {
  it('forwards bytes both ways unchanged', async () => {
    const p = await proxy();
    const c = await client(p.port);
    c.socket.write('hello ');
    c.socket.write('world');
    await until(() => c.text() === 'hello world');
    expect(p.connectionCount).toBe(1);
  });

  it('latency delays every chunk by at least latency - jitter, in order', async () => {
    const p = await proxy();
    const undo = p.addToxic('downstream', { type: 'latency', latencyMs: 150, jitterMs: 20 });
    const c = await client(p.port);
    const start = performance.now();
    for (let i = 0; i < 5; i++) c.socket.write(`${i}`);
    await until(() => c.text().length === 5);
    expect(performance.now() - start).toBeGreaterThanOrEqual(125);
    expect(c.text()).toBe('01234');
    undo();
    const again = performance.now();
    c.socket.write('x');
    await until(() => c.text() === '01234x');
    expect(performance.now() - again).toBeLessThan(1000);
  });

  it('hold keeps the bytes and delivers them in order once removed (a partition)', async () => {
    const p = await proxy();
    const c = await client(p.port);
    const undo = p.addToxic('upstream', { type: 'hold' });
    c.socket.write('a');
    c.socket.write('b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(c.text()).toBe('');
    undo();
    await until(() => c.text() === 'ab');
    expect(c.closed()).toBe(false);
  });

  it('timeout 0 drops data and keeps the connection; timeout N closes it after N ms', async () => {
    const p = await proxy();
    const c = await client(p.port);
    const undo = p.addToxic('upstream', { type: 'timeout', timeoutMs: 0 });
    c.socket.write('lost');
    await new Promise((resolve) => setTimeout(resolve, 150));
    undo();
    c.socket.write('kept');
    await until(() => c.text() === 'kept');
    const d = await client(p.port);
    const start = performance.now();
    p.addToxic('downstream', { type: 'timeout', timeoutMs: 100 });
    await until(() => d.closed());
    expect(performance.now() - start).toBeGreaterThanOrEqual(90);
  });

  it('reset_peer resets the connection after its timeout', async () => {
    const p = await proxy();
    const c = await client(p.port);
    p.addToxic('upstream', { type: 'reset_peer', timeoutMs: 50 });
    await until(() => c.closed());
    expect(c.error()).toBe('ECONNRESET');
  });

  it('down resets open and new connections; up again serves', async () => {
    const p = await proxy();
    const c = await client(p.port);
    p.setDown(true);
    await until(() => c.closed());
    const d = await client(p.port);
    await until(() => d.closed());
    expect(d.error()).toBe('ECONNRESET');
    p.setDown(false);
    const e = await client(p.port);
    e.socket.write('up');
    await until(() => e.text() === 'up');
  });

  it('bandwidth limits the rate (20 KB at 100 KB/s take about 200 ms)', async () => {
    const p = await proxy();
    p.addToxic('upstream', { type: 'bandwidth', rateKbps: 100 });
    const c = await client(p.port);
    const start = performance.now();
    c.socket.write(Buffer.alloc(20_000, 1));
    await until(() => c.bytes() === 20_000);
    expect(performance.now() - start).toBeGreaterThanOrEqual(150);
  });

  it('slicer cuts chunks without losing or reordering bytes', async () => {
    const p = await proxy();
    p.addToxic('upstream', { type: 'slicer', averageSize: 3, sizeVariation: 1, delayUs: 100 });
    const c = await client(p.port);
    c.socket.write('abcdefghijklmnopqrstuvwxyz');
    await until(() => c.text() === 'abcdefghijklmnopqrstuvwxyz');
  });

  it('sends new connections to the upstream of the moment; none means reset', async () => {
    const p = await proxy();
    p.setUpstream(undefined);
    const c = await client(p.port);
    await until(() => c.closed());
    p.setUpstream({ host: '127.0.0.1', port: echoPort });
    const d = await client(p.port);
    d.socket.write('back');
    await until(() => d.text() === 'back');
  });
});

describe('schedulePieces', () => {
  const chunk = Buffer.from('0123456789');
  const half = () => 0.5;

  it('keeps order: a piece is never due before the one before it', () => {
    const first = schedulePieces(chunk, [{ type: 'latency', latencyMs: 100 }], 0, 0, half);
    const second = schedulePieces(chunk, [{ type: 'latency', latencyMs: 10 }], 1, 100, half);
    expect(first[0]?.dueMs).toBe(100);
    expect(second[0]?.dueMs).toBe(100);
  });

  it('jitter draws within latency +- jitter', () => {
    const low = schedulePieces(
      chunk,
      [{ type: 'latency', latencyMs: 50, jitterMs: 10 }],
      0,
      0,
      () => 0,
    );
    const high = schedulePieces(
      chunk,
      [{ type: 'latency', latencyMs: 50, jitterMs: 10 }],
      0,
      0,
      () => 0.999999,
    );
    expect(low[0]?.dueMs).toBe(40);
    expect(high[0]?.dueMs).toBeCloseTo(60, 3);
  });

  it('bandwidth spaces pieces by size / rate; slicer cuts into averageSize pieces', () => {
    const pieces = schedulePieces(
      chunk,
      [
        { type: 'slicer', averageSize: 2, delayUs: 0 },
        { type: 'bandwidth', rateKbps: 1 },
      ],
      0,
      0,
      half,
    );
    expect(pieces.map((piece) => piece.bytes.toString())).toEqual(['01', '23', '45', '67', '89']);
    expect(pieces.map((piece) => piece.dueMs)).toEqual([2, 4, 6, 8, 10]);
  });

  it('timeout drops everything', () => {
    expect(schedulePieces(chunk, [{ type: 'timeout', timeoutMs: 0 }], 0, 0, half)).toEqual([]);
  });
});

describe('FaultProxy under a hold at accept time', () => {
  it('makes no upstream connection until the hold lifts, then delivers in order', async () => {
    let accepted = 0;
    const counting = createServer((socket) => {
      accepted++;
      socket.on('error', () => {});
      socket.pipe(socket);
    });
    counting.listen(0, '127.0.0.1');
    await once(counting, 'listening');
    const address = counting.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const p = await FaultProxy.start({ name: 'held', upstream: { host: '127.0.0.1', port } });
    proxies.push(p);
    const undo = p.addToxic('upstream', { type: 'hold' });
    const c = await client(p.port);
    c.socket.write('PING');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(accepted).toBe(0);
    undo();
    await until(() => c.text() === 'PING');
    expect(accepted).toBe(1);
    counting.close();
  });
});
