/**
 * The simulated network must behave like TCP seen from a socket API: bytes arrive complete and in
 * order however they are cut and joined, faults hold bytes instead of dropping them, and closes,
 * resets and refusals arrive as the Env contract says. Method: two hosts (client and server) in a
 * SimWorld, software written inline against `host.env`, and virtual time run explicitly. The
 * fragmentation test sweeps many seeds and also checks that cutting and joining did happen.
 */
import { describe, expect, it } from 'vitest';
import { assert } from '../assert.js';
import type { Connection, NetError, NetResult } from '../env.js';
import type { SimHost } from './host.js';
import { SimWorld, type SimWorldOptions } from './world.js';

const PORT = 6379;

interface Received {
  readonly chunks: Buffer[];
  readonly connections: Connection[];
  readonly closes: (NetError | undefined)[];
  bytes(): Buffer;
}

function setup(
  seed: number,
  network: SimWorldOptions['network'] = {},
): {
  world: SimWorld;
  server: SimHost;
  client: SimHost;
} {
  const world = new SimWorld({ seed, network });
  const server = world.addHost('server', '10.0.0.1');
  const client = world.addHost('client', '10.0.0.2');
  return { world, server, client };
}

/** Runs the world until `start`'s callback has fired, and returns what it got. */
function settle<T>(world: SimWorld, start: (done: (result: T) => void) => void): T {
  let result: { value: T } | undefined;
  start((value) => {
    result = { value };
  });
  for (let events = 0; result === undefined && events < 100_000; events++) {
    if (!world.step()) break;
  }
  assert(result !== undefined, 'settle: the callback never fired');
  return result.value;
}

/** A server that records every chunk; optionally echoes it back. */
function serve(
  world: SimWorld,
  host: SimHost,
  options: { echo?: boolean; port?: number } = {},
): Received {
  const received: Received = {
    chunks: [],
    connections: [],
    closes: [],
    bytes: () => Buffer.concat(received.chunks),
  };
  const listen = settle<NetResult<unknown>>(world, (done) =>
    host.env.network.listen(
      { host: '0.0.0.0', port: options.port ?? PORT },
      (connection) => {
        received.connections.push(connection);
        connection.onData((chunk) => {
          received.chunks.push(chunk);
          if (options.echo === true) connection.write(chunk);
        });
        connection.onClose((error) => received.closes.push(error));
      },
      done,
    ),
  );
  expect(listen.ok).toBe(true);
  return received;
}

function connect(world: SimWorld, host: SimHost, target = '10.0.0.1', port = PORT): Connection {
  const result = settle<NetResult<Connection>>(world, (done) =>
    host.env.network.connect(target, port, done),
  );
  assert(result.ok, `connect failed: ${result.ok ? '' : result.error.code}`);
  return result.value;
}

function track(connection: Connection): Received {
  const received: Received = {
    chunks: [],
    connections: [connection],
    closes: [],
    bytes: () => Buffer.concat(received.chunks),
  };
  connection.onData((chunk) => received.chunks.push(chunk));
  connection.onClose((error) => received.closes.push(error));
  return received;
}

describe('byte streams', () => {
  it('delivers the same bytes in order under many seeds, cutting and joining writes', () => {
    let fragmented = 0;
    let coalesced = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { world, server, client } = setup(seed);
      const received = serve(world, server);
      const connection = connect(world, client);
      const random = client.env.random;
      const written: Buffer[] = [];
      for (let i = 0; i < 150; i++) {
        const message = Buffer.from(random.bytes(1 + random.int(300)));
        client.env.timers.after(random.int(200), () => {
          written.push(message);
          connection.write(message);
        });
      }
      world.runFor(1000);
      expect(received.bytes().equals(Buffer.concat(written))).toBe(true);
      expect(connection.bufferedBytes()).toBe(0);
      // Compare where writes ended with where chunks ended.
      const writeEnds = new Set<number>();
      let offset = 0;
      for (const message of written) {
        offset += message.length;
        writeEnds.add(offset);
      }
      offset = 0;
      for (const chunk of received.chunks) {
        const start = offset;
        offset += chunk.length;
        if (!writeEnds.has(offset)) fragmented += 1;
        for (let end = start + 1; end < offset; end++) {
          if (writeEnds.has(end)) {
            coalesced += 1;
            break;
          }
        }
      }
    }
    expect(fragmented).toBeGreaterThan(100);
    expect(coalesced).toBeGreaterThan(100);
  });

  it('keeps byte order exactly: a counting stream arrives as a counting stream', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { world, server, client } = setup(seed, {
        fragmentChance: 0.6,
        latencyMsMin: 0,
        latencyMsMax: 30,
      });
      const received = serve(world, server);
      const connection = connect(world, client);
      let next = 0;
      const writeSome = (): void => {
        const size = 1 + client.env.random.int(500);
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i++) bytes[i] = (next + i) % 251;
        next += size;
        connection.write(bytes);
        if (next < 50_000) client.env.timers.after(client.env.random.int(3), writeSome);
      };
      writeSome();
      world.runFor(5_000);
      const bytes = received.bytes();
      expect(bytes.length).toBe(next);
      let mismatch = -1;
      for (let i = 0; i < bytes.length && mismatch < 0; i++) if (bytes[i] !== i % 251) mismatch = i;
      expect(mismatch).toBe(-1);
    }
  });

  it('echoes: both directions carry the bytes intact', () => {
    const { world, server, client } = setup(3);
    serve(world, server, { echo: true });
    const connection = connect(world, client);
    const back = track(connection);
    const payload = Buffer.from(client.env.random.bytes(10_000));
    connection.write(payload);
    world.runFor(1000);
    expect(back.bytes().equals(payload)).toBe(true);
  });

  it('copies writes, so the writer may reuse its buffer', () => {
    const { world, server, client } = setup(4);
    const received = serve(world, server);
    const connection = connect(world, client);
    const buffer = Buffer.from('first');
    connection.write(buffer);
    buffer.write('XXXXX');
    world.runFor(100);
    expect(received.bytes().toString()).toBe('first');
  });

  it('reports bytes written but not delivered in bufferedBytes', () => {
    const { world, server, client } = setup(5, { latencyMsMin: 50, latencyMsMax: 50 });
    serve(world, server);
    const connection = connect(world, client);
    connection.write(Buffer.alloc(1000));
    connection.write(Buffer.alloc(500));
    expect(connection.bufferedBytes()).toBe(1500);
    world.runFor(49);
    expect(connection.bufferedBytes()).toBe(1500);
    world.runFor(10);
    expect(connection.bufferedBytes()).toBe(0);
  });

  it('holds data until the receiver registers its handler', () => {
    const { world, server, client } = setup(6);
    let accepted: Connection | undefined;
    settle<NetResult<unknown>>(world, (done) =>
      server.env.network.listen({ host: '0.0.0.0', port: PORT }, (c) => (accepted = c), done),
    );
    const connection = connect(world, client);
    connection.write(Buffer.from('early'));
    world.runFor(500);
    assert(accepted !== undefined, 'the server accepted');
    expect(connection.bufferedBytes()).toBe(5);
    const received = track(accepted);
    world.runFor(1);
    expect(received.bytes().toString()).toBe('early');
  });
});

describe('flow control', () => {
  it('keeps data in the sender while the receiver has paused reading, and delivers it on resume', () => {
    const { world, server, client } = setup(8);
    const received = serve(world, server);
    const connection = connect(world, client);
    connection.write(Buffer.from('one '));
    world.runFor(50);
    const accepted = received.connections[0];
    assert(accepted !== undefined, 'the server accepted');
    accepted.pauseReading();
    accepted.pauseReading();
    connection.write(Buffer.from('two '));
    connection.write(Buffer.from('three'));
    world.runFor(500);
    expect(received.bytes().toString()).toBe('one ');
    expect(connection.bufferedBytes()).toBe(9);
    accepted.resumeReading();
    world.runFor(50);
    expect(received.bytes().toString()).toBe('one two three');
    expect(connection.bufferedBytes()).toBe(0);
  });

  it('delivers a FIN queued behind paused data only after the data, once reading resumes', () => {
    const { world, server, client } = setup(9);
    const received = serve(world, server);
    const connection = connect(world, client);
    world.runFor(50);
    const accepted = received.connections[0];
    assert(accepted !== undefined, 'the server accepted');
    accepted.pauseReading();
    connection.write(Buffer.from('last words'));
    connection.end();
    world.runFor(500);
    expect(received.closes).toEqual([]);
    accepted.resumeReading();
    world.runFor(50);
    expect(received.bytes().toString()).toBe('last words');
    expect(received.closes).toEqual([undefined]);
  });

  it('end() releases the local end at once, even if the peer never answers with its FIN', () => {
    const { world, server, client } = setup(10);
    const received = serve(world, server);
    const connection = connect(world, client);
    const back = track(connection);
    world.runFor(50);
    const hold = world.holdOneWay('server', 'client');
    connection.write(Buffer.from('bye'));
    connection.end();
    world.runFor(500);
    expect(back.closes).toEqual([undefined]);
    expect(world.network.openConnectionCount('client')).toBe(0);
    expect(received.bytes().toString()).toBe('bye');
    expect(received.closes).toEqual([undefined]);
    hold.remove();
  });
});

describe('connection set-up', () => {
  it('refuses after one latency when nobody listens', () => {
    const { world, client } = setup(7, { latencyMsMin: 7, latencyMsMax: 7 });
    const result = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.1', PORT, done),
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('ECONNREFUSED');
    expect(world.now()).toBe(7);
  });

  it('connects after a round trip and reports addresses and ports', () => {
    const { world, server, client } = setup(8, { latencyMsMin: 5, latencyMsMax: 5 });
    const received = serve(world, server);
    const connection = connect(world, client);
    expect(world.now()).toBe(10);
    expect(connection.remoteAddress).toBe('10.0.0.1');
    expect(connection.remotePort).toBe(PORT);
    expect(connection.localAddress).toBe('10.0.0.2');
    expect(connection.localPort).toBe(49152);
    const accepted = received.connections[0];
    expect(accepted?.remotePort).toBe(49152);
    expect(accepted?.localPort).toBe(PORT);
  });

  it('picks deterministic ephemeral ports for port 0 and reports EADDRINUSE as a value', () => {
    const { world, server } = setup(9);
    const listen = (port: number, host = '0.0.0.0'): NetResult<{ port: number }> =>
      settle(world, (done) => server.env.network.listen({ host, port }, () => {}, done));
    const first = listen(0);
    const second = listen(0);
    expect(first.ok && first.value.port).toBe(49152);
    expect(second.ok && second.value.port).toBe(49153);
    expect(listen(PORT).ok).toBe(true);
    const again = listen(PORT);
    expect(again.ok ? 'ok' : again.error.code).toBe('EADDRINUSE');
    const foreign = listen(7000, '10.9.9.9');
    expect(foreign.ok ? 'ok' : foreign.error.code).toBe('EADDRNOTAVAIL');
  });

  it('frees a port when its listener closes', () => {
    const { world, server, client } = setup(10);
    const result = settle<NetResult<{ port: number; close(): void }>>(world, (done) =>
      server.env.network.listen({ host: '0.0.0.0', port: PORT }, () => {}, done),
    );
    assert(result.ok, 'listen');
    result.value.close();
    const refused = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.1', PORT, done),
    );
    expect(refused.ok).toBe(false);
    serve(world, server);
    expect(connect(world, client).remotePort).toBe(PORT);
  });

  it('reaches the host itself over loopback, and a loopback listener refuses other hosts', () => {
    const { world, server, client } = setup(11);
    const received = settle<NetResult<unknown>>(world, (done) =>
      server.env.network.listen(
        { host: '127.0.0.1', port: PORT },
        (c) => c.onData((chunk) => c.write(chunk)),
        done,
      ),
    );
    expect(received.ok).toBe(true);
    const local = connect(world, server, '127.0.0.1');
    expect(local.localAddress).toBe('127.0.0.1');
    const back = track(local);
    local.write(Buffer.from('ping'));
    world.runFor(100);
    expect(back.bytes().toString()).toBe('ping');
    const remote = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.1', PORT, done),
    );
    expect(remote.ok ? 'ok' : remote.error.code).toBe('ECONNREFUSED');
  });

  it('resolves a host by name as well as by address', () => {
    const { world, server, client } = setup(12);
    serve(world, server);
    expect(connect(world, client, 'server').remoteAddress).toBe('10.0.0.1');
  });

  it('times out through a partition, and connects if the link heals within the window', () => {
    const { world, server, client } = setup(13, { connectTimeoutMs: 3000, synRetryMs: 500 });
    serve(world, server);
    const fault = world.partition('client', 'server');
    const timedOut = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.1', PORT, done),
    );
    expect(timedOut.ok ? 'ok' : timedOut.error.code).toBe('ETIMEDOUT');
    expect(world.now()).toBeGreaterThanOrEqual(2500);
    let late: NetResult<Connection> | undefined;
    client.env.network.connect('10.0.0.1', PORT, (result) => (late = result));
    world.runFor(1200);
    expect(late).toBeUndefined();
    fault.remove();
    world.runFor(1000);
    expect(late?.ok).toBe(true);
  });

  it('gives ETIMEDOUT for an address nobody has', () => {
    const { world, client } = setup(14, { connectTimeoutMs: 2000 });
    const result = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.99', PORT, done),
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('ETIMEDOUT');
  });
});

describe('partitions and holds', () => {
  it('holds bytes during a partition and delivers them intact after repair', () => {
    const { world, server, client } = setup(15);
    const received = serve(world, server);
    const connection = connect(world, client);
    world.partition('client', 'server');
    connection.write(Buffer.from('held '));
    connection.write(Buffer.from('bytes'));
    world.runFor(10_000);
    expect(received.bytes().length).toBe(0);
    expect(connection.bufferedBytes()).toBe(10);
    world.repair('client', 'server');
    world.runFor(100);
    expect(received.bytes().toString()).toBe('held bytes');
    expect(connection.bufferedBytes()).toBe(0);
  });

  it('stalls bytes already in flight when the partition starts', () => {
    const { world, server, client } = setup(16, { latencyMsMin: 20, latencyMsMax: 20 });
    const received = serve(world, server);
    const connection = connect(world, client);
    connection.write(Buffer.from('in flight'));
    world.runFor(10);
    const fault = world.partition('server', 'client');
    world.runFor(1000);
    expect(received.chunks).toHaveLength(0);
    fault.remove();
    fault.remove();
    world.runFor(100);
    expect(received.bytes().toString()).toBe('in flight');
  });

  it('cuts one direction only with partitionOneWay', () => {
    const { world, server, client } = setup(17);
    const received = serve(world, server);
    const connection = connect(world, client);
    const back = track(connection);
    const fault = world.partitionOneWay('client', 'server');
    connection.write(Buffer.from('up'));
    received.connections[0]?.write(Buffer.from('down'));
    world.runFor(500);
    expect(back.bytes().toString()).toBe('down');
    expect(received.bytes().length).toBe(0);
    fault.remove();
    world.runFor(500);
    expect(received.bytes().toString()).toBe('up');
  });

  it('holds and releases, independently of partitions', () => {
    const { world, server, client } = setup(18);
    const received = serve(world, server);
    const connection = connect(world, client);
    world.hold('client', 'server');
    world.partition('client', 'server');
    connection.write(Buffer.from('x'));
    world.release('client', 'server');
    world.runFor(500);
    expect(received.chunks).toHaveLength(0);
    world.repair('client', 'server');
    world.runFor(500);
    expect(received.bytes().toString()).toBe('x');
  });
});

describe('closes, resets and crashes', () => {
  it('end() delivers the data, then closes both sides without error', () => {
    const { world, server, client } = setup(19);
    const received = serve(world, server);
    const connection = connect(world, client);
    const back = track(connection);
    connection.write(Buffer.from('bye'));
    connection.end();
    connection.write(Buffer.from('ignored'));
    world.runFor(500);
    expect(received.bytes().toString()).toBe('bye');
    expect(received.closes).toEqual([undefined]);
    expect(back.closes).toEqual([undefined]);
  });

  it('destroy() closes locally without error and resets the peer', () => {
    const { world, server, client } = setup(20);
    const received = serve(world, server);
    const connection = connect(world, client);
    const back = track(connection);
    connection.write(Buffer.from('dropped'));
    connection.destroy();
    world.runFor(500);
    expect(back.closes).toEqual([undefined]);
    expect(received.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
    expect(received.bytes().length).toBe(0);
  });

  it('reports a close that happened before onClose was registered, once', () => {
    const { world, server, client } = setup(21);
    serve(world, server);
    const connection = connect(world, client);
    connection.destroy();
    world.runFor(10);
    const closes: (NetError | undefined)[] = [];
    connection.onClose((error) => closes.push(error));
    world.runFor(10);
    expect(closes).toEqual([undefined]);
  });

  it('resetConnections closes both sides with ECONNRESET at once', () => {
    const { world, server, client } = setup(22);
    const received = serve(world, server);
    const back = track(connect(world, client));
    expect(world.resetConnections('client', 'server')).toBe(1);
    world.runFor(1);
    expect(back.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
    expect(received.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
  });

  it('a crash resets peers, drops listeners, timers and callbacks; restart serves again', () => {
    const { world, server, client } = setup(23);
    serve(world, server);
    const back = track(connect(world, client));
    let timerRan = false;
    server.env.timers.after(100, () => (timerRan = true));
    const staleEnv = server.env;
    server.crash();
    world.runFor(1000);
    expect(timerRan).toBe(false);
    expect(back.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
    const refused = settle<NetResult<Connection>>(world, (done) =>
      client.env.network.connect('10.0.0.1', PORT, done),
    );
    expect(refused.ok ? 'ok' : refused.error.code).toBe('ECONNREFUSED');
    // The old software's Env is inert: nothing it asks for happens.
    let staleRan = false;
    staleEnv.timers.after(0, () => (staleRan = true));
    world.runFor(10);
    expect(staleRan).toBe(false);
    server.restart();
    expect(server.incarnation).toBe(2);
    serve(world, server, { echo: true });
    const fresh = connect(world, client);
    const echoed = track(fresh);
    fresh.write(Buffer.from('again'));
    world.runFor(100);
    expect(echoed.bytes().toString()).toBe('again');
  });

  it("a client's crash resets the server's end", () => {
    const { world, server, client } = setup(24);
    const received = serve(world, server);
    connect(world, client);
    client.crash();
    world.runFor(100);
    expect(received.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
  });

  it('a reset sent across a partition waits for the repair, like any segment', () => {
    const { world, server, client } = setup(25);
    serve(world, server);
    const back = track(connect(world, client));
    world.partition('client', 'server');
    server.crash();
    world.runFor(5000);
    expect(back.closes).toEqual([]);
    world.repair('client', 'server');
    world.runFor(100);
    expect(back.closes.map((error) => error?.code)).toEqual(['ECONNRESET']);
  });
});

describe('the wire observer', () => {
  /** An echo exchange; returns the trace hash and what the observer saw (if installed). */
  function exchange(observe: boolean): { hash: string; seen: string[] } {
    const { world, server, client } = setup(11);
    const seen: string[] = [];
    if (observe) {
      world.network.setWireObserver((source, target, data) =>
        seen.push(`${source}>${target}:${data.toString('latin1')}`),
      );
    }
    serve(world, server, { echo: true });
    const connection = connect(world, client);
    const received = track(connection);
    connection.write(Buffer.from('PING\r\n'));
    connection.write(Buffer.from('PSYNC ? -1\r\n'));
    world.runFor(100);
    expect(received.bytes().toString()).toBe('PING\r\nPSYNC ? -1\r\n');
    return { hash: world.traceHash(), seen };
  }

  it('sees every write between hosts as written, and changes nothing in the run', () => {
    const watched = exchange(true);
    expect(watched.seen.slice(0, 2)).toEqual([
      'client>server:PING\r\n',
      'client>server:PSYNC ? -1\r\n',
    ]);
    expect(watched.seen.filter((line) => line.startsWith('server>client:')).join('')).toContain(
      'PING',
    );
    expect(watched.hash).toBe(exchange(false).hash);
  });
});
