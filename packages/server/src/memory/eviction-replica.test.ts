/**
 * maxmemory and replication, in the simulator: a master's evictions reach its replica as DELs,
 * and a replica ignores its own maxmemory (replica-ignore-maxmemory yes, Redis 7.0's default), so
 * it stays an exact copy of its master whatever its memory.
 *
 * Method: two simulated nodes, B a replica of A. A holds keys; B gets a maxmemory far below its
 * used memory and must evict nothing while the stream applies writes; then A evicts under
 * allkeys-lru and B must end with A's digest and DBSIZE, having received the DELs. A last case
 * sets replica-ignore-maxmemory no on B: then B evicts on its own, as Redis would let it.
 */
import { assert, type SimHost, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';
import { SimClient } from '../testing/sim-client.js';

const PORT = 6379;

interface Node {
  readonly host: SimHost;
  readonly node: ServerNode;
  readonly client: SimClient;
}

function boot(world: SimWorld, name: string, index: number, options: readonly string[]): Node {
  const host = world.addHost(name, `10.0.1.${index}`);
  const loaded = loadConfig('', [
    '--port',
    String(PORT),
    '--bind',
    '0.0.0.0',
    '--save',
    '',
    '--enable-debug-command',
    'yes',
    // The replica and the client connect from other simulated hosts.
    '--protected-mode',
    'no',
    ...options,
  ]);
  assert(loaded.ok, 'bad options');
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: () => {},
    pid: index,
  });
  let started = false;
  node.start((result) => {
    assert(result.ok, 'start failed');
    started = true;
  });
  world.runUntilTrue(() => started, 1000);
  const client = SimClient.open(
    world,
    world.addHost(`${name}-client`, `10.0.2.${index}`),
    host.address,
    PORT,
  );
  return { host, node, client };
}

function synced(world: SimWorld, master: Node, replica: Node): void {
  const ok = world.runUntilTrue(
    () =>
      replica.node.replicaLink?.connected === true &&
      replica.node.repl.masterReplOffset === master.node.repl.masterReplOffset,
    20_000,
  );
  expect(ok, 'replica caught up').toBe(true);
}

function evicted(client: SimClient): number {
  const match = /evicted_keys:(\d+)/.exec(client.call('INFO', 'stats'));
  return Number(match?.[1]);
}

function pair(
  seed: number,
  replicaOptions: readonly string[],
): { world: SimWorld; a: Node; b: Node } {
  const world = new SimWorld({ seed });
  const a = boot(world, 'a', 1, ['--maxmemory-policy', 'allkeys-lru']);
  const b = boot(world, 'b', 2, replicaOptions);
  for (let i = 0; i < 200; i++) a.client.call('SET', `key:${i}`, 'x'.repeat(200));
  expect(b.client.call('REPLICAOF', a.host.address, String(PORT))).toBe('+OK\r\n');
  synced(world, a, b);
  return { world, a, b };
}

describe('maxmemory with a replica', () => {
  it('the replica ignores its own maxmemory; the master evictions arrive as DEL', () => {
    const { world, a, b } = pair(1, []);
    const stream: string[] = [];
    a.node.propagation.subscribe((chunk) => stream.push(chunk.bytes.toString('latin1')));
    // Far below the replica's memory: a master would refuse writes or evict; a replica does neither.
    expect(b.client.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
    expect(b.client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random')).toBe('+OK\r\n');
    a.client.call('SET', 'more', 'data');
    synced(world, a, b);
    expect(b.client.call('DBSIZE')).toBe(':201\r\n');
    expect(b.client.call('GET', 'key:0')).toBe(`$200\r\n${'x'.repeat(200)}\r\n`);
    expect(evicted(b.client)).toBe(0);

    // The master evicts about half its keys at once.
    const used = Number(/used_memory:(\d+)/.exec(a.client.call('INFO', 'memory'))?.[1]);
    expect(a.client.call('CONFIG', 'SET', 'maxmemory', String(used - 100 * 300))).toBe('+OK\r\n');
    // Every command may evict a little more (the DELs grow the backlog, which counts toward
    // used_memory as in Redis): lift the limit before comparing.
    expect(a.client.call('CONFIG', 'SET', 'maxmemory', '0')).toBe('+OK\r\n');
    const masterSize = a.client.call('DBSIZE');
    const masterDigest = a.client.call('DEBUG', 'DIGEST');
    const gone = evicted(a.client);
    expect(gone).toBeGreaterThan(50);
    synced(world, a, b);
    expect(b.client.call('DBSIZE')).toBe(masterSize);
    expect(b.client.call('DEBUG', 'DIGEST')).toBe(masterDigest);
    expect(evicted(b.client)).toBe(0);
    // Each eviction is a plain DEL, never wrapped in MULTI/EXEC.
    const text = stream.join('');
    expect(text.split('*2\r\n$3\r\nDEL\r\n').length - 1).toBe(gone);
    expect(text).not.toContain('MULTI');
  });

  it('with replica-ignore-maxmemory no, the replica evicts on its own', () => {
    const { world, a, b } = pair(2, ['--replica-ignore-maxmemory', 'no']);
    expect(b.client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random')).toBe('+OK\r\n');
    expect(b.client.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
    synced(world, a, b);
    expect(b.client.call('DBSIZE')).toBe(':0\r\n');
    expect(evicted(b.client)).toBe(200);
    expect(a.client.call('DBSIZE')).toBe(':200\r\n');
  });
});
