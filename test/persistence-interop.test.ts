/**
 * Snapshots exchanged with real redis-server 7.0.15, both ways. Goal: a dump replisim writes is one
 * Redis accepts and loads into the same dataset, and a dump Redis writes loads into replisim with
 * the same dataset and the same in-memory encodings; keys that expired inside a Redis dump are
 * dropped at load, as a Redis master drops them.
 *
 * Method: one dataset of every type and encoding (raw/int/embstr strings, compressible strings,
 * small and multi-node lists, intset and hashtable sets, listpack and hashtable hashes, listpack and
 * skiplist sorted sets, TTLs, three databases) is written through commands; SAVE; the other server
 * starts with `--dir` on that directory. "Same dataset" is DEBUG DIGEST (replisim computes Redis's
 * digest, TTLs included) plus DBSIZE per database; redis-check-rdb judges replisim's file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

const DATABASES = [0, 1, 5];
const FAR_FUTURE_MS = Date.now() + 3_600_000;

/** The dataset: per database, the commands that build it. */
function datasetCommands(): Map<number, string[][]> {
  const perDb = new Map<number, string[][]>();
  const db0: string[][] = [
    ['SET', 'str:embstr', 'hello'],
    ['SET', 'str:int', '1234567'],
    ['SET', 'str:negint', '-42'],
    ['SET', 'str:raw', 'r'.repeat(60)],
    ['SET', 'str:compressible', 'abc'.repeat(200)],
    ['SET', 'str:binary', '\u0000\u00ff\u0001bin'],
    ['SET', 'str:ttl', 'expiring', 'PXAT', String(FAR_FUTURE_MS)],
    ['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '-3'],
    ['SADD', 'set:intset', '1', '2', '3', '-100', '70000'],
    ['SADD', 'set:hashtable', 'a', 'b', 'c'],
    ['HSET', 'hash:listpack', 'f1', 'v1', 'f2', '2', 'f3', 'v3'],
    ['HSET', 'hash:hashtable', 'f', 'v'.repeat(100)],
    ['ZADD', 'zset:listpack', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd'],
    ['ZADD', 'zset:skiplist', '1', 'm'.repeat(100), '2', 'n'],
    ['PEXPIREAT', 'hash:listpack', String(FAR_FUTURE_MS + 1)],
  ];
  const bigList = ['RPUSH', 'list:big'];
  for (let i = 0; i < 3000; i++) bigList.push(`element-${i}`);
  db0.push(bigList);
  const bigSet = ['SADD', 'set:bigints'];
  for (let i = 0; i < 600; i++) bigSet.push(String(i * 7));
  db0.push(bigSet);
  const bigZset = ['ZADD', 'zset:big'];
  for (let i = 0; i < 200; i++) bigZset.push(String(i / 3), `member-${i}`);
  db0.push(bigZset);
  const bigHash = ['HSET', 'hash:big'];
  for (let i = 0; i < 600; i++) bigHash.push(`field-${i}`, String(i));
  db0.push(bigHash);
  perDb.set(0, db0);
  perDb.set(1, [
    ['SET', 'db1:key', 'one'],
    ['LPUSH', 'db1:list', 'x'],
  ]);
  perDb.set(5, [['SET', 'db5:key', 'five', 'PXAT', String(FAR_FUTURE_MS + 2)]]);
  return perDb;
}

async function fill(client: RawClient): Promise<void> {
  for (const [db, commands] of datasetCommands()) {
    expect((await client.call('SELECT', String(db))).bytes.toString()).toBe('+OK\r\n');
    for (const command of commands) {
      const reply = (await client.call(...command)).bytes.toString('latin1');
      expect(reply, command.slice(0, 2).join(' ')).toMatch(/^[+:]/);
    }
  }
  await client.call('SELECT', '0');
}

interface Observed {
  readonly digest: string;
  readonly sizes: string[];
  readonly encodings: string[];
}

async function observe(client: RawClient): Promise<Observed> {
  const digest = (await client.call('DEBUG', 'DIGEST')).bytes.toString('latin1');
  const sizes: string[] = [];
  const encodings: string[] = [];
  for (const [db, commands] of datasetCommands()) {
    await client.call('SELECT', String(db));
    sizes.push((await client.call('DBSIZE')).bytes.toString());
    for (const command of commands) {
      const key = command[1] ?? '';
      const encoding = (await client.call('OBJECT', 'ENCODING', key)).bytes.toString();
      encodings.push(`${db}/${key}: ${encoding.trim()}`);
    }
  }
  await client.call('SELECT', '0');
  return { digest, sizes, encodings };
}

const dirs: string[] = [];
const redisServers: RedisServer[] = [];
const replisimNodes: ReplisimNode[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-interop-'));
  dirs.push(dir);
  return dir;
}

async function redisOn(dir: string): Promise<RawClient> {
  const server = await startRedisServer(['--dir', dir, '--enable-debug-command', 'yes']);
  redisServers.push(server);
  return RawClient.connect(server.port);
}

async function replisimOn(dir: string): Promise<{ client: RawClient; node: ReplisimNode }> {
  const node = await startReplisimNode(['--dir', dir, '--save', '']);
  replisimNodes.push(node);
  return { client: await RawClient.connect(node.port), node };
}

beforeAll(() => {
  expect(DATABASES.length).toBe(datasetCommands().size);
});

afterAll(async () => {
  for (const node of replisimNodes) node.stop();
  for (const server of redisServers) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('replisim writes, Redis reads', () => {
  it('passes redis-check-rdb and loads into redis-server as the same dataset', async () => {
    const dir = tempDir();
    const { client } = await replisimOn(dir);
    await fill(client);
    const before = await observe(client);
    expect((await client.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    client.close();

    const check = await runChild('redis-check-rdb', [join(dir, 'dump.rdb')], { timeoutMs: 20_000 });
    expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/');
    expect(check.stdout).toContain('Checksum OK');
    expect(check.code).toBe(0);

    const redis = await redisOn(dir);
    const after = await observe(redis);
    redis.close();
    expect(after.digest).toBe(before.digest);
    expect(after.sizes).toEqual(before.sizes);
  });
});

describe('Redis writes, replisim reads', () => {
  it('loads a Redis dump with the same digest and the same encoding for every key', async () => {
    const dir = tempDir();
    const redis = await redisOn(dir);
    await fill(redis);
    const before = await observe(redis);
    expect((await redis.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    redis.close();

    const { client, node } = await replisimOn(dir);
    const after = await observe(client);
    client.close();
    expect(after.digest).toBe(before.digest);
    expect(after.sizes).toEqual(before.sizes);
    expect(after.encodings).toEqual(before.encodings);
    const loaded = node.logs.find((line) => line.includes('DB loaded from disk:'));
    expect(loaded).toMatch(/DB loaded from disk: \d+\.\d{3} seconds$/);
  });

  it('drops keys that expired inside a Redis dump and counts them', async () => {
    const dir = tempDir();
    const redis = await redisOn(dir);
    for (let i = 0; i < 5; i++) {
      await redis.call('SET', `short:${i}`, 'v', 'PX', '200');
    }
    await redis.call('SET', 'long', 'v', 'PX', '600000');
    await redis.call('SET', 'plain', 'v');
    expect((await redis.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    redis.close();
    await new Promise((resolve) => setTimeout(resolve, 400));

    const { client, node } = await replisimOn(dir);
    expect((await client.call('DBSIZE')).bytes.toString()).toBe(':2\r\n');
    expect((await client.call('EXISTS', 'short:0')).bytes.toString()).toBe(':0\r\n');
    client.close();
    expect(node.node.lastLoad).toEqual({ keysLoaded: 2, keysExpired: 5 });
    expect(
      node.logs.some((line) => line.endsWith('Done loading RDB, keys loaded: 2, keys expired: 5.')),
    ).toBe(true);
  });

  it('refuses a Redis dump with one flipped byte, leaving the file as it was', async () => {
    const dir = tempDir();
    const redis = await redisOn(dir);
    await fill(redis);
    expect((await redis.call('SAVE')).bytes.toString()).toBe('+OK\r\n');
    redis.close();
    const path = join(dir, 'dump.rdb');
    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(path, flipped);
    await expect(startReplisimNode(['--dir', dir, '--save', ''])).rejects.toThrow(
      /RDB CRC error|RDB is corrupt|Unexpected EOF/,
    );
    expect(readFileSync(path)).toEqual(flipped);
  });
});
