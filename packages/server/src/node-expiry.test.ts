/**
 * Key expiry driven by simulated time: a TTL is a deadline on the host's wall clock, checked lazily
 * when a command touches the key (Redis's expireIfNeeded on a master), counted in INFO's
 * expired_keys. Method: a SimWorld whose clock the test advances; no real time passes, so the
 * deadlines are exact to the millisecond. A wall-clock jump (the host's skew) expires keys early,
 * as an NTP step does to Redis, because TTLs are absolute wall-clock instants.
 */
import { describe, expect, it } from 'vitest';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

/** A fixed one-way latency, so "now" on the server is predictable from the test's clock. */
const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };

function infoField(client: SimClient, section: string, field: string): string {
  const text = client.call('INFO', section);
  const line = text.split('\r\n').find((candidate) => candidate.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`INFO ${section} has no ${field}`);
  return line.slice(field.length + 1);
}

describe('lazy expiry', () => {
  it('keeps a PX 100 key for 100 ms and drops it on the first access after', () => {
    const { world } = startSimServer({ seed: 1, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    expect(client.call('SET', 'k', 'v', 'PX', '100')).toBe('+OK\r\n');
    const setAtMs = world.now();
    world.runUntil(setAtMs + 90);
    // The GET reaches the server 1 ms later, 91-92 ms after the SET ran there.
    expect(client.call('GET', 'k')).toBe('$1\r\nv\r\n');
    expect(infoField(client, 'stats', 'expired_keys')).toBe('0');
    world.runUntil(setAtMs + 150);
    // Not collected yet: DBSIZE counts it, as Redis does before an access or an active cycle.
    expect(client.call('DBSIZE')).toBe(':1\r\n');
    expect(client.call('GET', 'k')).toBe('$-1\r\n');
    expect(client.call('DBSIZE')).toBe(':0\r\n');
    expect(infoField(client, 'stats', 'expired_keys')).toBe('1');
    expect(infoField(client, 'stats', 'keyspace_misses')).toBe('1');
  });

  it('expires for every command that looks the key up: EXISTS, SET NX, SET GET, DEL', () => {
    const { world } = startSimServer({ seed: 2, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    client.pipeline([
      ['SET', 'a', '1', 'PX', '50'],
      ['SET', 'b', '2', 'PX', '50'],
      ['SET', 'c', '3', 'PX', '50'],
      ['SET', 'd', '4', 'PX', '50'],
    ]);
    client.read(4);
    world.runFor(100);
    client.pipeline([
      ['EXISTS', 'a'],
      ['SET', 'b', 'new', 'NX'],
      ['SET', 'c', 'new', 'GET'],
      ['DEL', 'd'],
      ['GET', 'b'],
    ]);
    expect(client.read(5).map((reply) => reply.bytes.toString())).toEqual([
      ':0\r\n',
      '+OK\r\n',
      '$-1\r\n',
      ':0\r\n',
      '$3\r\nnew\r\n',
    ]);
    expect(infoField(client, 'stats', 'expired_keys')).toBe('4');
  });

  it('SET without KEEPTTL clears the TTL, SET KEEPTTL keeps it', () => {
    const { world } = startSimServer({ seed: 3, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    client.pipeline([
      ['SET', 'plain', 'v', 'PX', '100'],
      ['SET', 'plain', 'w'],
      ['SET', 'kept', 'v', 'PX', '100'],
      ['SET', 'kept', 'w', 'KEEPTTL'],
    ]);
    client.read(4);
    world.runFor(200);
    expect(client.call('GET', 'plain')).toBe('$1\r\nw\r\n');
    expect(client.call('GET', 'kept')).toBe('$-1\r\n');
  });

  it('follows the wall clock: a forward jump of the host clock expires EX keys at once', () => {
    const { world, host } = startSimServer({ seed: 4, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    const wallMs = host.env.clock.wallMs();
    expect(client.call('SET', 'ex', 'v', 'EX', '3600')).toBe('+OK\r\n');
    expect(client.call('SET', 'exat', 'v', 'EXAT', String(Math.floor(wallMs / 1000) + 60))).toBe(
      '+OK\r\n',
    );
    expect(client.call('GET', 'ex')).toBe('$1\r\nv\r\n');
    host.setWallSkew(30 * 60 * 1000);
    expect(client.call('EXISTS', 'ex', 'exat')).toBe(':1\r\n');
    host.setWallSkew(2 * 60 * 60 * 1000);
    expect(client.call('EXISTS', 'ex', 'exat')).toBe(':0\r\n');
  });

  it('expires PXAT deadlines to the millisecond', () => {
    const { world, host } = startSimServer({ seed: 5, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    const deadlineMs = host.env.clock.wallMs() + 500;
    expect(client.call('SET', 'k', 'v', 'PXAT', String(deadlineMs))).toBe('+OK\r\n');
    // Each call takes a 1 ms trip each way; the server sees the GET 1 ms after the test sends it.
    world.runUntil(world.now() + (deadlineMs - host.env.clock.wallMs()) - 2);
    expect(client.call('GET', 'k')).toBe('$1\r\nv\r\n');
    world.runFor(1);
    expect(client.call('GET', 'k')).toBe('$-1\r\n');
  });
});

describe('INFO keyspace', () => {
  it('reports keys, keys with a TTL and their average remaining TTL', () => {
    const { world } = startSimServer({ seed: 3, network: NETWORK });
    const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
    client.pipeline([
      ['SET', 'a', '1', 'PX', '10000'],
      ['SET', 'b', '2', 'PX', '20000'],
      ['SET', 'c', '3'],
    ]);
    client.read(3);
    const avg = /db0:keys=3,expires=2,avg_ttl=(\d+)/.exec(client.call('INFO', 'keyspace'))?.[1];
    // Both TTLs were set within a few ms of the INFO, so the average is just under 15 s.
    expect(Number(avg)).toBeGreaterThan(14_900);
    expect(Number(avg)).toBeLessThanOrEqual(15_000);
  });
});
