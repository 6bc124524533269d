/**
 * The generic key commands on a simulated node: replies byte for byte (the differential test checks
 * them against Redis; these pin the cases that need controlled time or a look at the propagation
 * stream), TTL arithmetic against the virtual clock, and the deterministic forms replicas receive:
 * EXPIRE family -> PEXPIREAT key <abs-ms> [options], a past deadline -> DEL, UNLINK and RENAME as
 * received. Method: one SimWorld per test, a fixed 1 ms latency so the server's clock is known, and
 * a subscriber on the node's propagation stream.
 */
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { propagatedBytes } from '../../testing/propagation-log.js';
import { SimClient } from '../../testing/sim-client.js';
import { startSimServer } from '../../testing/sim-server.js';

const NETWORK = { latencyMsMin: 1, latencyMsMax: 1 };

function setup(seed: number) {
  const server = startSimServer({
    seed,
    network: NETWORK,
    options: ['--enable-debug-command', 'yes'],
  });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  const propagated = propagatedBytes(server.node);
  return { ...server, client, propagated };
}

const wire = (...argv: string[]): string => encodeCommand(argv).toString('latin1');

describe('EXPIRE family', () => {
  it('propagates PEXPIREAT with the absolute deadline and the options as received', () => {
    const { client, node, propagated } = setup(1);
    client.call('SET', 'k', 'v');
    propagated();
    const nowMs = node.env.clock.wallMs() + 1;
    expect(client.call('EXPIRE', 'k', '100', 'nx')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('PEXPIREAT', 'k', String(nowMs + 100_000), 'nx'));
    expect(client.call('PEXPIRE', 'k', '5000')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('PEXPIREAT', 'k', String(nowMs + 2 + 5000)));
    expect(client.call('EXPIREAT', 'k', '99999999999')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('PEXPIREAT', 'k', '99999999999000'));
    expect(client.call('PEXPIREAT', 'k', '99999999999001', 'GT')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('PEXPIREAT', 'k', '99999999999001', 'GT'));
    // A condition that fails changes nothing and propagates nothing.
    expect(client.call('EXPIRE', 'k', '1', 'GT')).toBe(':0\r\n');
    expect(propagated()).toBe('');
  });

  it('deletes on a deadline in the past and propagates DEL', () => {
    const { client, propagated } = setup(2);
    client.pipeline([
      ['SET', 'a', '1'],
      ['SET', 'b', '1'],
      ['SET', 'c', '1'],
    ]);
    client.read(3);
    propagated();
    expect(client.call('EXPIRE', 'a', '-1')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('DEL', 'a'));
    expect(client.call('PEXPIREAT', 'b', '1')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('DEL', 'b'));
    expect(client.call('PEXPIRE', 'c', '0')).toBe(':1\r\n');
    expect(client.call('DBSIZE')).toBe(':0\r\n');
  });

  it('reports TTL, PTTL, EXPIRETIME and PEXPIRETIME from the virtual clock', () => {
    const { client, world, node } = setup(3);
    client.call('SET', 'k', 'v', 'PX', '10400');
    const deadline = node.env.clock.wallMs() + 10_400 - 1;
    expect(client.call('PEXPIRETIME', 'k')).toBe(`:${deadline}\r\n`);
    expect(client.call('EXPIRETIME', 'k')).toBe(`:${Math.floor((deadline + 500) / 1000)}\r\n`);
    world.runFor(1000);
    const left = deadline - (node.env.clock.wallMs() + 1);
    expect(client.call('PTTL', 'k')).toBe(`:${left}\r\n`);
    expect(client.call('TTL', 'k')).toBe(`:${Math.floor((left - 2 + 500) / 1000)}\r\n`);
    expect(client.call('PERSIST', 'k')).toBe(':1\r\n');
    expect(client.call('TTL', 'k')).toBe(':-1\r\n');
    expect(client.call('PERSIST', 'k')).toBe(':0\r\n');
    expect(client.call('TTL', 'nokey')).toBe(':-2\r\n');
  });
});

describe('RENAME, MOVE, COPY', () => {
  it('keeps the TTL on RENAME, MOVE and COPY, and propagates RENAME as received', () => {
    const { client, world, propagated } = setup(4);
    client.call('SET', 'k', 'v', 'PX', '500');
    propagated();
    expect(client.call('RENAME', 'k', 'r')).toBe('+OK\r\n');
    expect(propagated()).toBe(wire('RENAME', 'k', 'r'));
    expect(client.call('COPY', 'r', 'c')).toBe(':1\r\n');
    expect(client.call('MOVE', 'c', '3')).toBe(':1\r\n');
    world.runFor(600);
    expect(client.call('EXISTS', 'r')).toBe(':0\r\n');
    client.call('SELECT', '3');
    expect(client.call('EXISTS', 'c')).toBe(':0\r\n');
  });

  it('copies deeply: changing the copy leaves the source alone', () => {
    const { client, node } = setup(5);
    client.call('SET', 'src', 'v');
    client.call('COPY', 'src', 'dst');
    const source = node.databases[0]?.peek('src');
    const target = node.databases[0]?.peek('dst');
    expect(source).toEqual(target);
    expect(source === target).toBe(false);
  });
});

describe('UNLINK, RANDOMKEY, SCAN', () => {
  it('propagates UNLINK as received and only when something was deleted', () => {
    const { client, propagated } = setup(6);
    client.call('SET', 'a', '1');
    propagated();
    expect(client.call('UNLINK', 'a', 'b')).toBe(':1\r\n');
    expect(propagated()).toBe(wire('UNLINK', 'a', 'b'));
    expect(client.call('UNLINK', 'a')).toBe(':0\r\n');
    expect(propagated()).toBe('');
  });

  it('RANDOMKEY skips and deletes expired keys, and replies null once all are gone', () => {
    const { client, world, propagated } = setup(7);
    expect(client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
    client.pipeline([
      ['SET', 'a', '1', 'PX', '50'],
      ['SET', 'b', '1', 'PX', '50'],
      ['SET', 'live', '1'],
    ]);
    client.read(3);
    world.runFor(100);
    propagated();
    for (let i = 0; i < 5; i++) expect(client.call('RANDOMKEY')).toBe('$4\r\nlive\r\n');
    expect(client.call('DBSIZE')).toBe(':1\r\n');
    expect(propagated()).toContain(wire('DEL', 'a'));
    client.call('PEXPIRE', 'live', '10');
    world.runFor(50);
    expect(client.call('RANDOMKEY')).toBe('$-1\r\n');
  });

  it('RANDOMKEY draws every key over many calls', () => {
    const { client } = setup(8);
    client.pipeline(Array.from({ length: 5 }, (_, i) => ['SET', `k${i}`, 'v']));
    client.read(5);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(client.call('RANDOMKEY'));
    expect(seen.size).toBe(5);
  });

  it('SCAN filters by MATCH and TYPE and leaves out expired keys', () => {
    const { client, world } = setup(9);
    client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    client.pipeline([
      ['SET', 'user:1', 'a'],
      ['SET', 'user:2', 'b', 'PX', '10'],
      ['SET', 'item:1', 'c'],
    ]);
    client.read(3);
    world.runFor(50);
    expect(client.call('SCAN', '0', 'MATCH', 'user:*', 'COUNT', '100')).toBe(
      '*2\r\n$1\r\n0\r\n*1\r\n$6\r\nuser:1\r\n',
    );
    expect(client.call('SCAN', '0', 'TYPE', 'LIST')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
    expect(client.call('DBSIZE')).toBe(':2\r\n');
  });
});
