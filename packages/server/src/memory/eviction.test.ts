/**
 * maxmemory eviction in the simulator, one policy at a time: which keys go, in which order, and
 * what the approximations guarantee.
 *
 * Method: a simulated node with keys created or read at known virtual instants (the LRU clock has
 * a 1 s resolution, so accesses are spaced by whole seconds), then `CONFIG SET maxmemory` just
 * below used_memory, which evicts at once (updateMaxmemory). With maxmemory-samples larger than the
 * keyspace every refill of the pool sees every key, so the order is exact: the test asserts exact
 * LRU, LFU and TTL order there. With the default 5 samples only the statistical property is
 * asserted (evicted keys are older on average than the survivors). lfu-log-factor 0 makes every
 * access increment the LFU counter, so counters are exact too.
 */
import { describe, expect, it } from 'vitest';
import type { ServerNode } from '../node.js';
import { SimClient } from '../testing/sim-client.js';
import { startSimServer } from '../testing/sim-server.js';
import { EVPOOL_SIZE, evictionTimeLimitUs } from './eviction.js';
import { notCountedForEvictBytes, usedMemoryBytes } from './used-memory.js';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

function start(seed: number, options: readonly string[]) {
  const server = startSimServer({ seed, options: ['--save', '', ...options] });
  const client = SimClient.open(server.world, server.world.addHost('client', '10.0.0.2'));
  return { ...server, client };
}

function info(client: SimClient, field: string): string {
  const text = client.call('INFO', 'all');
  const line = text.split('\r\n').find((candidate) => candidate.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`INFO has no ${field}`);
  return line.slice(field.length + 1);
}

/** Sets maxmemory `bytes` below what eviction counts now, so about that much must be freed. */
function limitBelowUsed(client: SimClient, node: ServerNode, bytes: number): void {
  const counted = usedMemoryBytes(node) - notCountedForEvictBytes(node);
  expect(client.call('CONFIG', 'SET', 'maxmemory', String(counted - bytes))).toBe('+OK\r\n');
}

function keysLeft(node: ServerNode, names: readonly string[]): string[] {
  const db = node.databases[0];
  return names.filter((name) => db?.peek(name) !== undefined);
}

const names = (count: number, prefix = 'k'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

describe('noeviction', () => {
  it('refuses denyoom commands with -OOM, runs reads and deletes, evicts nothing', () => {
    const { client } = start(1, []);
    client.call('SET', 'a', '1');
    expect(client.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
    expect(client.call('SET', 'b', '1')).toBe(OOM);
    expect(client.call('LPUSH', 'l', 'x')).toBe(OOM);
    expect(client.call('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(client.call('DEL', 'a')).toBe(':1\r\n');
    expect(info(client, 'evicted_keys')).toBe('0');
    expect(info(client, 'maxmemory')).toBe('1');
    expect(info(client, 'maxmemory_policy')).toBe('noeviction');
  });

  it('in MULTI refuses every queued command, then EXEC aborts; DISCARD still runs', () => {
    const { client } = start(2, ['--maxmemory', '1']);
    expect(client.call('MULTI')).toBe('+OK\r\n');
    expect(client.call('GET', 'a')).toBe(OOM);
    expect(client.call('PING')).toBe(OOM);
    expect(client.call('EXEC')).toBe(
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
    );
    expect(client.call('MULTI')).toBe('+OK\r\n');
    expect(client.call('DISCARD')).toBe('+OK\r\n');
    expect(client.call('PING')).toBe('+PONG\r\n');
  });

  it('aborts EXEC of a transaction queued before memory ran out if it holds a denyoom command', () => {
    const { world, client } = start(3, []);
    expect(client.call('MULTI')).toBe('+OK\r\n');
    expect(client.call('SET', 'a', '1')).toBe('+QUEUED\r\n');
    // Another connection lowers the limit while the transaction is open.
    const admin = SimClient.open(world, world.addHost('admin', '10.0.0.3'));
    expect(admin.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
    // Redis's rejectCommand on EXEC: execCommandAbort with the error's text (checked on 7.0.15).
    expect(client.call('EXEC')).toBe(
      `-EXECABORT Transaction discarded because of: ${OOM.slice(1)}`,
    );
    expect(client.call('EXISTS', 'a')).toBe(':0\r\n');
  });
});

describe('allkeys-lru', () => {
  it('with a sample larger than the keyspace evicts exactly the least recently accessed first', () => {
    const { world, node, client } = start(4, [
      '--maxmemory-policy',
      'allkeys-lru',
      '--maxmemory-samples',
      '1000',
    ]);
    const keys = names(30);
    // k000 is created first ... k029 last, one second apart; then k000..k004 are read (newest).
    for (const key of keys) {
      client.call('SET', key, 'x'.repeat(100));
      world.runFor(1000);
    }
    for (const key of keys.slice(0, 5)) client.call('GET', key);
    world.runFor(1000);
    limitBelowUsed(client, node, 2000);
    const evicted = Number(info(client, 'evicted_keys'));
    expect(evicted).toBeGreaterThanOrEqual(5);
    // Access order: k005, k006, ..., k029, then k000..k004.
    const accessOrder = [...keys.slice(5), ...keys.slice(0, 5)];
    expect(keysLeft(node, keys)).toEqual(accessOrder.slice(evicted).sort());
  });

  it('with the default 5 samples evicts mostly old keys (the approximation)', () => {
    const { world, node, client } = start(5, ['--maxmemory-policy', 'allkeys-lru']);
    const keys = names(200);
    for (const key of keys) {
      client.call('SET', key, 'v'.repeat(50));
      world.runFor(1000);
    }
    limitBelowUsed(client, node, 150 * 100);
    const left = new Set(keysLeft(node, keys));
    const evicted = keys.filter((key) => !left.has(key));
    expect(evicted.length).toBeGreaterThan(50);
    const meanIndex = (list: string[]): number =>
      list.reduce((sum, key) => sum + keys.indexOf(key), 0) / list.length;
    // Creation index = access time: the evicted keys are older on average, by a wide margin.
    expect(meanIndex(evicted) + 40).toBeLessThan(meanIndex([...left]));
    // The pool keeps the 16 best candidates across calls: the newest keys are never evicted.
    expect(evicted.some((key) => keys.indexOf(key) >= 200 - EVPOOL_SIZE)).toBe(false);
  });

  it('evicts from every database and propagates each eviction as DEL on its own', () => {
    const { node, client } = start(6, ['--maxmemory-policy', 'allkeys-lru']);
    const stream: string[] = [];
    node.propagation.subscribe((chunk) => stream.push(chunk.bytes.toString('latin1')));
    client.call('SET', 'a', '1');
    client.call('SELECT', '3');
    client.call('SET', 'b', '1');
    expect(client.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
    expect(client.call('DBSIZE')).toBe(':0\r\n');
    client.call('SELECT', '0');
    expect(client.call('DBSIZE')).toBe(':0\r\n');
    expect(info(client, 'evicted_keys')).toBe('2');
    // Nothing left to evict: a write is refused.
    expect(client.call('SET', 'c', '1')).toBe(OOM);
    const text = stream.join('');
    expect(text).not.toContain('MULTI');
    expect(text).toContain('*2\r\n$3\r\nDEL\r\n$1\r\na\r\n');
    expect(text).toContain('*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n');
  });
});

describe('allkeys-lfu', () => {
  it('evicts the least frequently used first, and OBJECT FREQ shows the counters', () => {
    const { node, client } = start(7, [
      '--maxmemory-policy',
      'allkeys-lfu',
      '--maxmemory-samples',
      '1000',
      '--lfu-log-factor',
      '0',
      '--lfu-decay-time',
      '0',
    ]);
    const keys = names(20);
    // Key i is read i times: with lfu-log-factor 0 every access increments, from LFU_INIT_VAL 5.
    keys.forEach((key, i) => {
      client.call('SET', key, 'x'.repeat(100));
      for (let hit = 0; hit < i; hit++) client.call('GET', key);
    });
    expect(client.call('OBJECT', 'FREQ', 'k000')).toBe(':5\r\n');
    expect(client.call('OBJECT', 'FREQ', 'k019')).toBe(':24\r\n');
    expect(client.call('OBJECT', 'IDLETIME', 'k000')).toMatch(
      /^-ERR An LFU maxmemory policy is selected/,
    );
    limitBelowUsed(client, node, 1500);
    const evicted = Number(info(client, 'evicted_keys'));
    expect(evicted).toBeGreaterThanOrEqual(5);
    expect(keysLeft(node, keys)).toEqual(keys.slice(evicted));
  });

  it('keeps the counter of a key moved by RENAME or MOVE (the same object moves)', () => {
    const { client } = start(14, [
      '--maxmemory-policy',
      'allkeys-lfu',
      '--lfu-log-factor',
      '0',
      '--lfu-decay-time',
      '0',
    ]);
    client.call('SET', 'k', 'v');
    for (let hit = 0; hit < 3; hit++) client.call('GET', 'k');
    // RENAME and MOVE look the key up for writing, which counts as one more access each.
    client.call('RENAME', 'k', 'k2');
    expect(client.call('OBJECT', 'FREQ', 'k2')).toBe(':9\r\n');
    client.call('MOVE', 'k2', '1');
    client.call('SELECT', '1');
    expect(client.call('OBJECT', 'FREQ', 'k2')).toBe(':10\r\n');
    // SET over an existing key keeps the counter too (dbSetValue); COPY makes a new object.
    client.call('SET', 'k2', 'new');
    expect(client.call('OBJECT', 'FREQ', 'k2')).toBe(':11\r\n');
    client.call('COPY', 'k2', 'k3');
    expect(client.call('OBJECT', 'FREQ', 'k3')).toBe(':5\r\n');
  });

  it('counts logarithmically with the default factor and decays one step per minute', () => {
    const { world, client } = start(8, ['--maxmemory-policy', 'allkeys-lfu']);
    client.call('SET', 'k', 'v');
    expect(client.call('OBJECT', 'FREQ', 'k')).toBe(':5\r\n');
    // At LFU_INIT_VAL the increment is certain; above it the chance is 1 / (10 x (c - 5) + 1).
    client.call('GET', 'k');
    expect(client.call('OBJECT', 'FREQ', 'k')).toBe(':6\r\n');
    for (let i = 0; i < 1000; i++) client.call('GET', 'k');
    const counter = Number(client.call('OBJECT', 'FREQ', 'k').slice(1, -2));
    // 1000 hits with factor 10 reach about 18 in Redis's table (docs: 100 hits ~ 11-18).
    expect(counter).toBeGreaterThan(10);
    expect(counter).toBeLessThan(30);
    world.runFor(3 * 60_000);
    expect(client.call('OBJECT', 'FREQ', 'k')).toBe(`:${counter - 3}\r\n`);
  });
});

describe('access tracking without an LFU policy', () => {
  it('OBJECT IDLETIME counts seconds since the last access; TYPE, EXISTS, TTL, SCAN do not touch', () => {
    const { world, client } = start(9, []);
    client.call('SET', 'k', 'v');
    world.runFor(10_000);
    expect(client.call('OBJECT', 'IDLETIME', 'k')).toMatch(/^:1[01]\r\n$/);
    client.call('TYPE', 'k');
    client.call('EXISTS', 'k');
    client.call('TTL', 'k');
    client.call('SCAN', '0');
    expect(client.call('OBJECT', 'IDLETIME', 'k')).toMatch(/^:1[01]\r\n$/);
    client.call('GET', 'k');
    expect(client.call('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
    expect(client.call('OBJECT', 'FREQ', 'k')).toMatch(
      /^-ERR An LFU maxmemory policy is not selected/,
    );
    expect(client.call('OBJECT', 'IDLETIME', 'nokey')).toBe('$-1\r\n');
  });
});

describe('volatile policies', () => {
  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy} evicts only keys with a TTL, then refuses writes`, () => {
      const { node, client } = start(10, ['--maxmemory-policy', policy]);
      const persistent = names(10, 'p');
      const volatile = names(10, 'v');
      for (const key of persistent) client.call('SET', key, 'x'.repeat(100));
      for (const key of volatile) client.call('SET', key, 'x'.repeat(100), 'EX', '1000');
      expect(client.call('CONFIG', 'SET', 'maxmemory', '1')).toBe('+OK\r\n');
      expect(keysLeft(node, volatile)).toEqual([]);
      expect(keysLeft(node, persistent)).toEqual(persistent);
      expect(info(client, 'evicted_keys')).toBe('10');
      expect(client.call('SET', 'new', '1')).toBe(OOM);
      expect(client.call('DBSIZE')).toBe(':10\r\n');
    });
  }

  it('volatile-ttl with a full sample evicts the soonest expiry first', () => {
    const { node, client } = start(11, [
      '--maxmemory-policy',
      'volatile-ttl',
      '--maxmemory-samples',
      '100',
    ]);
    const keys = names(20);
    // Deadlines in a shuffled order, so creation order says nothing.
    const ttls = keys.map((_, i) => 1000 + ((i * 7) % 20) * 10);
    for (const [i, key] of keys.entries()) {
      client.call('SET', key, 'x'.repeat(100), 'EX', String(ttls[i]));
    }
    limitBelowUsed(client, node, 1500);
    const evicted = Number(info(client, 'evicted_keys'));
    expect(evicted).toBeGreaterThanOrEqual(5);
    const byDeadline = [...keys].sort(
      (a, b) => (ttls[keys.indexOf(a)] ?? 0) - (ttls[keys.indexOf(b)] ?? 0),
    );
    expect(keysLeft(node, keys)).toEqual(byDeadline.slice(evicted).sort());
  });
});

describe('allkeys-random', () => {
  it('frees what is needed and no more than needed plus one key', () => {
    const { node, client } = start(12, ['--maxmemory-policy', 'allkeys-random']);
    const keys = names(100);
    for (const key of keys) client.call('SET', key, 'x'.repeat(100));
    limitBelowUsed(client, node, 2000);
    const left = keysLeft(node, keys).length;
    expect(left).toBeLessThan(100);
    expect(left).toBeGreaterThan(80);
    expect(Number(info(client, 'evicted_keys'))).toBe(100 - left);
    expect(client.call('SET', 'new', '1')).toBe('+OK\r\n');
  });
});

describe('bounded eviction runs', () => {
  it('maps maxmemory-eviction-tenacity to Redis time limits', () => {
    expect(evictionTimeLimitUs(0)).toBe(0);
    expect(evictionTimeLimitUs(10)).toBe(500);
    expect(evictionTimeLimitUs(11)).toBe(575);
    expect(evictionTimeLimitUs(100)).toBe(Number.POSITIVE_INFINITY);
  });

  it('stops early at tenacity 0 and finishes from a timer while commands are served', () => {
    const { world, node, client } = start(13, [
      '--maxmemory-policy',
      'allkeys-random',
      '--maxmemory-eviction-tenacity',
      '0',
    ]);
    const keys = names(200);
    for (let i = 0; i < keys.length; i += 50) {
      client.pipeline(keys.slice(i, i + 50).map((key) => ['SET', key, '1']));
      client.read(50);
    }
    client.pipeline([['CONFIG', 'SET', 'maxmemory', '1'], ['DBSIZE']]);
    const [, dbsize] = client.read(2);
    // Each run stops after 16 keys (CONFIG SET's, then DBSIZE's own before it runs) and the timer
    // proc takes over; DBSIZE is not refused (EVICT_RUNNING).
    expect(dbsize?.bytes.toString()).toBe(':168\r\n');
    world.runFor(10);
    expect(node.databases[0]?.size()).toBe(0);
    expect(info(client, 'evicted_keys')).toBe('200');
  });
});
