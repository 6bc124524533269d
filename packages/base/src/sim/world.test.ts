/**
 * The world and its hosts: clocks (monotonic = virtual time, wall = start + virtual time + skew),
 * timers that belong to an incarnation, a fresh Env per restart, per-link latency, and the same
 * seed giving the same run. Method: tiny programs on host Envs, run in virtual time.
 */
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../assert.js';
import type { Connection, NetResult } from '../env.js';
import { SimWorld, WALL_START_MS_DEFAULT } from './world.js';

describe('clocks', () => {
  it('gives monotonic = virtual time and wall = start + virtual time + skew', () => {
    const world = new SimWorld({ seed: 1 });
    const a = world.addHost('a', '10.0.0.1');
    const b = world.addHost('b', '10.0.0.2', { wallSkewMs: -5000 });
    world.runUntil(1234);
    expect(a.env.clock.monotonicMs()).toBe(1234);
    expect(a.env.clock.wallMs()).toBe(WALL_START_MS_DEFAULT + 1234);
    expect(b.env.clock.wallMs()).toBe(WALL_START_MS_DEFAULT + 1234 - 5000);
    b.setWallSkew(60_000);
    expect(b.env.clock.wallMs() - a.env.clock.wallMs()).toBe(60_000);
    expect(b.env.clock.monotonicMs()).toBe(a.env.clock.monotonicMs());
  });

  it('starts the wall clock where asked', () => {
    const world = new SimWorld({ seed: 1, wallStartMs: 1_000_000 });
    expect(world.addHost('a', '10.0.0.1').env.clock.wallMs()).toBe(1_000_000);
  });
});

describe('timers', () => {
  it('fire after their delay, round fractions up, and cancel', () => {
    const world = new SimWorld({ seed: 2 });
    const { timers, clock } = world.addHost('a', '10.0.0.1').env;
    const fired: string[] = [];
    timers.after(10, () => fired.push(`ten@${clock.monotonicMs()}`));
    timers.after(0.2, () => fired.push(`frac@${clock.monotonicMs()}`));
    const cancelled = timers.after(5, () => fired.push('cancelled'));
    timers.after(0, () => fired.push(`zero@${clock.monotonicMs()}`));
    timers.cancel(cancelled);
    timers.cancel(cancelled);
    expect(fired).toEqual([]);
    world.runUntilIdle(100);
    expect(fired).toEqual(['zero@0', 'frac@1', 'ten@10']);
  });

  it('are dropped by a crash, and the restarted host gets a fresh Env', () => {
    const world = new SimWorld({ seed: 3 });
    const host = world.addHost('a', '10.0.0.1');
    const first = host.env;
    let fired = 0;
    first.timers.after(10, () => (fired += 1));
    host.crash();
    expect(host.up).toBe(false);
    expect(() => host.crash()).toThrow(AssertionError);
    const second = host.restart();
    expect(second).toBe(host.env);
    expect(second).not.toBe(first);
    expect(second.random.hex(16)).not.toBe(first.random.hex(16));
    second.timers.after(10, () => (fired += 10));
    world.runUntilIdle(100);
    expect(fired).toBe(10);
  });
});

describe('lesser deaths', () => {
  it('pause holds every callback, and resume runs the overdue ones in the order they came due', () => {
    const world = new SimWorld({ seed: 11 });
    const host = world.addHost('a', '10.0.0.1');
    const fired: string[] = [];
    host.env.timers.after(10, () => fired.push(`ten@${world.now()}`));
    host.env.timers.after(20, () => fired.push(`twenty@${world.now()}`));
    host.env.timers.after(60, () => fired.push(`sixty@${world.now()}`));
    world.runUntil(5);
    host.pause();
    expect(host.paused).toBe(true);
    world.runUntil(50);
    expect(fired).toEqual([]);
    host.resume();
    world.runUntil(100);
    expect(fired).toEqual(['ten@50', 'twenty@50', 'sixty@60']);
  });

  it('kill keeps unsynced writes (page cache), crash loses them', () => {
    for (const death of ['kill', 'crash'] as const) {
      const world = new SimWorld({ seed: 12 });
      const host = world.addHost('a', '10.0.0.1', { disk: { cwd: '/data' } });
      host.env.disk.open('log', 'append', (opened) => {
        if (!opened.ok) throw new Error('open failed');
        host.env.disk.write(opened.value, Buffer.from('unsynced'), () => {});
      });
      world.runUntilIdle(100);
      expect(host.disk.readFileSync('/data/log')?.length).toBe(8);
      if (death === 'kill') host.kill();
      else host.crash();
      expect(host.up).toBe(false);
      host.restart();
      expect(host.disk.readFileSync('/data/log')?.length, death).toBe(
        death === 'kill' ? 8 : undefined,
      );
    }
  });
});

describe('bandwidth', () => {
  it('serialises a link: 100 KB over 50 KB/s arrives after about 2 s, in order', () => {
    const world = new SimWorld({ seed: 13 });
    const server = world.addHost('server', '10.0.0.1');
    const client = world.addHost('client', '10.0.0.2');
    world.setBandwidth('client', 'server', 50_000);
    let received = 0;
    let doneAtMs = -1;
    const expected = Buffer.alloc(100_000);
    for (let i = 0; i < expected.length; i++) expected[i] = i % 251;
    const got: Buffer[] = [];
    server.env.network.listen(
      { host: '0.0.0.0', port: 7 },
      (connection) => {
        connection.onData((chunk) => {
          got.push(chunk);
          received += chunk.length;
          if (received === expected.length) doneAtMs = world.now();
        });
        connection.onClose(() => {});
      },
      () => {},
    );
    client.env.network.connect('10.0.0.1', 7, (result) => {
      if (!result.ok) throw new Error('connect failed');
      for (let i = 0; i < 10; i++)
        result.value.write(expected.subarray(i * 10_000, (i + 1) * 10_000));
    });
    world.runUntilIdle(100_000);
    expect(Buffer.concat(got).equals(expected)).toBe(true);
    expect(doneAtMs).toBeGreaterThanOrEqual(2000);
    expect(doneAtMs).toBeLessThan(2100);
  });
});

describe('world', () => {
  it('finds hosts by name or address and rejects duplicates', () => {
    const world = new SimWorld({ seed: 4 });
    const a = world.addHost('a', '10.0.0.1');
    expect(world.host('a')).toBe(a);
    expect(world.host('10.0.0.1')).toBe(a);
    expect(world.hosts()).toEqual([a]);
    expect(() => world.addHost('a', '10.0.0.9')).toThrow(AssertionError);
    expect(() => world.addHost('b', '10.0.0.1')).toThrow(AssertionError);
    expect(() => world.host('zz')).toThrow(AssertionError);
  });

  it('applies a per-link latency both ways', () => {
    const world = new SimWorld({ seed: 5 });
    const server = world.addHost('server', '10.0.0.1');
    const client = world.addHost('client', '10.0.0.2');
    world.setLatency('client', 'server', { latencyMsMin: 100, latencyMsMax: 100 });
    server.env.network.listen(
      { host: '0.0.0.0', port: 1 },
      () => {},
      () => {},
    );
    let connected: NetResult<Connection> | undefined;
    client.env.network.connect('10.0.0.1', 1, (result) => (connected = result));
    world.runUntil(199);
    expect(connected).toBeUndefined();
    world.runUntil(200);
    expect(connected?.ok).toBe(true);
  });

  it('gives the same trace hash for the same seed and calls', () => {
    const runOnce = (seed: number): string => {
      const world = new SimWorld({ seed });
      const host = world.addHost('a', '10.0.0.1');
      const tick = (): void => {
        host.env.timers.after(host.env.random.int(50), tick);
      };
      tick();
      world.runFor(10_000);
      return world.traceHash();
    };
    expect(runOnce(7)).toBe(runOnce(7));
    expect(runOnce(7)).not.toBe(runOnce(8));
  });
});

describe('callbacksRun (a cache key for what observers read from a host)', () => {
  it('moves around every callback of the host, inside one too, and never for other hosts', () => {
    const world = new SimWorld({ seed: 13 });
    const a = world.addHost('a', '10.0.0.1');
    const b = world.addHost('b', '10.0.0.2');
    const insideA: number[] = [];
    a.env.timers.after(10, () => insideA.push(a.callbacksRun));
    b.env.timers.after(5, () => {});
    const before = a.callbacksRun;
    world.runUntil(5);
    expect(a.callbacksRun).toBe(before);
    world.runUntil(10);
    // Moved before the callback (a read inside it is fresh) and again after it.
    expect(insideA).toEqual([before + 1]);
    expect(a.callbacksRun).toBe(before + 2);
  });

  it('stands still while paused and moves when the held callbacks run after resume', () => {
    const world = new SimWorld({ seed: 14 });
    const host = world.addHost('a', '10.0.0.1');
    host.env.timers.after(10, () => {});
    host.pause();
    const paused = host.callbacksRun;
    world.runUntil(50);
    expect(host.callbacksRun).toBe(paused);
    host.resume();
    world.runUntil(60);
    expect(host.callbacksRun).toBeGreaterThan(paused);
  });
});
