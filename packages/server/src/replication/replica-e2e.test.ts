/**
 * replisim master -> replisim replica(s), end to end in the simulator: both sides of replication
 * together, over a network that splits and delays bytes as its seed decides.
 *
 * - Full sync of every type (strings, lists, sets, hashes, sorted sets, TTLs, several databases),
 *   then the stream: DEBUG DIGEST equal on both.
 * - A dropped link (world.resetConnections, or a partition long enough for repl-timeout) ends in a
 *   partial resync: the master counts sync_partial_ok and sends only what was missed.
 * - A replica restarted from its own dump PSYNCs with the repl-* fields and continues.
 * - Promotion: B (replica of A, master of C) runs REPLICAOF NO ONE; C reconnects and continues
 *   with +CONTINUE <B's new id>, and writes to B reach C.
 * - A connection that became a replica may not run keyspace commands or REPLICAOF.
 */
import { assert, type SimHost, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';
import { SimClient } from '../testing/sim-client.js';

const PORT = 6379;

interface SimServerNode {
  readonly host: SimHost;
  node: ServerNode;
  readonly logs: string[];
  client: SimClient;
}

function boot(world: SimWorld, host: SimHost, options: readonly string[]): SimServerNode {
  const loaded = loadConfig('', [
    '--port',
    String(PORT),
    '--bind',
    '0.0.0.0',
    '--save',
    '',
    // Replicas and test clients reach each node from other hosts, and DEBUG DIGEST compares them.
    '--protected-mode',
    'no',
    '--enable-debug-command',
    'yes',
    ...options,
  ]);
  assert(loaded.ok, 'bad options');
  const logs: string[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: (line) => logs.push(line),
    pid: 100 + host.incarnation,
  });
  let started = false;
  node.start((result) => {
    assert(result.ok, 'start failed');
    started = true;
  });
  world.runUntilTrue(() => started, 1000);
  const clientHost = world.host(`${host.name}-client`);
  const client = SimClient.open(world, clientHost, host.address, PORT);
  return { host, node, logs, client };
}

function cluster(
  seed: number,
  names: readonly string[],
): { world: SimWorld; nodes: SimServerNode[] } {
  const world = new SimWorld({ seed });
  const nodes = names.map((name, i) => {
    const host = world.addHost(name, `10.0.1.${i + 1}`);
    world.addHost(`${name}-client`, `10.0.2.${i + 1}`);
    return boot(world, host, []);
  });
  return { world, nodes };
}

function run(node: SimServerNode, commands: readonly string[][]): void {
  for (const command of commands) {
    expect(node.client.call(...command), command.join(' ')).not.toMatch(/^-/);
  }
}

function dataset(): string[][] {
  const commands: string[][] = [
    ['SET', 'str', 'hello'],
    ['SET', 'int', '12345'],
    ['SET', 'ttl', 'v', 'PX', '500000'],
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['SADD', 'intset', '1', '2', '3'],
    ['SADD', 'set', 'x', 'y'],
    ['HSET', 'hash', 'f', 'v', 'g', 'w'],
    ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
    ['SELECT', '3'],
    ['SET', 'db3', 'three'],
    ['SELECT', '0'],
  ];
  const big = ['RPUSH', 'biglist'];
  for (let i = 0; i < 500; i++) big.push(`e${i}`);
  commands.push(big);
  const bigHash = ['HSET', 'bighash'];
  for (let i = 0; i < 600; i++) bigHash.push(`f${i}`, `v${i}`);
  commands.push(bigHash);
  return commands;
}

function writes(round: number): string[][] {
  return [
    ['SET', `k${round}`, 'v', 'EX', '100'],
    ['INCR', 'int'],
    ['LPUSH', 'list', `n${round}`],
    ['HINCRBY', 'hash', 'count', '1'],
    ['ZINCRBY', 'zset', '1', 'a'],
    ['MULTI'],
    ['SADD', 'set', `m${round}`],
    ['EXPIRE', 'str', '1000'],
    ['EXEC'],
  ];
}

function syncedWith(world: SimWorld, master: SimServerNode, replica: SimServerNode): void {
  const ok = world.runUntilTrue(
    () =>
      replica.node.replicaLink?.connected === true &&
      replica.node.repl.masterReplOffset === master.node.repl.masterReplOffset,
    20_000,
  );
  expect(ok, 'replica caught up').toBe(true);
  expect(replica.client.call('DEBUG', 'DIGEST')).toBe(master.client.call('DEBUG', 'DIGEST'));
}

describe('replisim master -> replisim replica (simulated)', () => {
  it.each([1, 2, 3])('seed %i: full sync of every type, then the stream', (seed) => {
    const { world, nodes } = cluster(seed, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(a, dataset());
    run(b, [['SET', 'stale', 'data']]);
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    expect(b.client.call('GET', 'stale')).toBe('$-1\r\n');
    for (let round = 0; round < 5; round++) run(a, writes(round));
    syncedWith(world, a, b);
    expect(b.node.repl.replid).toBe(a.node.repl.replid);
  });

  it('replays exactly from its seed', () => {
    const once = (): string => {
      const { world, nodes } = cluster(12, ['a', 'b']);
      const [a, b] = nodes as [SimServerNode, SimServerNode];
      run(a, dataset());
      run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
      run(a, writes(1));
      syncedWith(world, a, b);
      world.resetConnections(a.host, b.host);
      run(a, writes(2));
      syncedWith(world, a, b);
      return `${world.traceHash()} ${world.now()} ${b.logs.join('\n')}`;
    };
    expect(once()).toBe(once());
  });

  it('a replica connection may not touch the keyspace', () => {
    const { world, nodes } = cluster(8, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    const raw = SimClient.open(world, world.host('b-client'), a.host.address, PORT);
    const offset = a.node.repl.masterReplOffset;
    // No capa psync2 announced: a bare +CONTINUE.
    expect(raw.call('PSYNC', a.node.repl.replid, String(offset + 1))).toBe('+CONTINUE\r\n');
    expect(raw.call('GET', 'k')).toBe("-ERR Replica can't interact with the keyspace\r\n");
    expect(raw.call('REPLICAOF', 'x', '1')).toBe(
      '-ERR Command is not valid when client is a replica.\r\n',
    );
  });

  it('a reset link ends in a partial resync', () => {
    const { world, nodes } = cluster(4, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(a, dataset());
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    expect(world.resetConnections(a.host, b.host)).toBeGreaterThan(0);
    run(a, writes(1));
    syncedWith(world, a, b);
    expect(a.node.master.counters.full).toBe(1);
    expect(a.node.master.counters.partialOk).toBe(1);
  });

  it('a partition longer than repl-timeout ends in a partial resync once repaired', () => {
    const { world, nodes } = cluster(5, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(a, [['CONFIG', 'SET', 'repl-timeout', '5']]);
    run(b, [['CONFIG', 'SET', 'repl-timeout', '5']]);
    run(a, dataset());
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    world.partition(a.host, b.host);
    run(a, writes(1));
    world.runUntilTrue(() => b.node.replicaLink?.connected === false, 10_000);
    expect(b.logs.join('\n')).toContain('MASTER timeout: no data nor PING received...');
    world.repair(a.host, b.host);
    syncedWith(world, a, b);
    expect(a.node.master.counters.partialOk).toBe(1);
  });

  it('a replica restarted from its own dump continues with PSYNC', () => {
    const { world, nodes } = cluster(6, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(a, dataset());
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    run(a, writes(1));
    syncedWith(world, a, b);
    run(b, [['SAVE']]);
    b.host.crash();
    run(a, writes(2));
    b.host.restart();
    const restarted = boot(world, b.host, ['--replicaof', a.host.address, String(PORT)]);
    syncedWith(world, a, restarted);
    expect(a.node.master.counters.full).toBe(1);
    expect(a.node.master.counters.partialOk).toBe(1);
  });

  it('promotion: the sub-replica continues with +CONTINUE <new id>', () => {
    const { world, nodes } = cluster(7, ['a', 'b', 'c']);
    const [a, b, c] = nodes as [SimServerNode, SimServerNode, SimServerNode];
    run(a, dataset());
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    syncedWith(world, a, b);
    run(c, [['REPLICAOF', b.host.address, String(PORT)]]);
    syncedWith(world, b, c);
    // The chain carries A's stream unchanged: C has A's id and offset too.
    run(a, writes(1));
    syncedWith(world, a, b);
    syncedWith(world, b, c);
    expect(c.node.repl.replid).toBe(a.node.repl.replid);
    const oldId = a.node.repl.replid;
    const offset = b.node.repl.masterReplOffset;
    run(b, [['REPLICAOF', 'NO', 'ONE']]);
    expect(b.node.repl.replid2).toBe(oldId);
    expect(b.node.repl.secondReplidOffset).toBe(offset + 1);
    run(b, [['SET', 'after', 'promotion']]);
    syncedWith(world, b, c);
    expect(c.node.repl.replid).toBe(b.node.repl.replid);
    expect(b.node.master.counters.partialOk).toBe(1);
    expect(b.node.master.counters.full).toBe(1);
    expect(c.client.call('GET', 'after')).toBe('$9\r\npromotion\r\n');
  });

  it('failover: the old master becomes a replica of the promoted one and continues (PSYNC2)', () => {
    const { world, nodes } = cluster(9, ['a', 'b']);
    const [a, b] = nodes as [SimServerNode, SimServerNode];
    run(a, dataset());
    run(b, [['REPLICAOF', a.host.address, String(PORT)]]);
    run(a, writes(1));
    syncedWith(world, a, b);
    run(b, [['REPLICAOF', 'NO', 'ONE']]);
    run(b, writes(2));
    // A caches itself as the master (its replid and offset): B knows that history as replid2.
    run(a, [['REPLICAOF', b.host.address, String(PORT)]]);
    syncedWith(world, b, a);
    expect(b.node.master.counters.partialOk).toBe(1);
    expect(b.node.master.counters.full).toBe(0);
    expect(a.node.repl.replid).toBe(b.node.repl.replid);
    expect(a.client.call('SET', 'x', '1')).toBe(
      "-READONLY You can't write against a read only replica.\r\n",
    );
  });
});
