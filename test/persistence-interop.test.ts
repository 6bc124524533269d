/**
 * Snapshots exchanged with real redis-server 7.0.15, both ways. Goal: a dump replisim writes is one
 * Redis accepts and loads into the same dataset, and a dump Redis writes loads into replisim with
 * the same dataset and the same in-memory encodings; keys that expired inside a Redis dump are
 * dropped at load, as a Redis master drops them.
 *
 * Method: one dataset of every type and encoding (raw/int/embstr strings, compressible strings,
 * small and multi-node lists, intset and hashtable sets, listpack and hashtable hashes, listpack and
 * skiplist sorted sets, TTLs, three databases; support/interop-dataset.ts) is written through
 * commands; SAVE; the other server starts with `--dir` on that directory. "Same dataset" is DEBUG DIGEST (replisim computes Redis's
 * digest, TTLs included) plus DBSIZE per database; redis-check-rdb judges replisim's file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { INTEROP_DATABASES, interopDataset } from './support/interop-dataset.js';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

async function fill(client: RawClient): Promise<void> {
  for (const [db, commands] of interopDataset()) {
    expect((await client.call('SELECT', String(db))).bytes.toString()).toBe('+OK\r\n');
    for (const command of commands) {
      const reply = (await client.call(...command)).bytes.toString('latin1');
      // Any reply but an error (XADD replies a bulk ID, XREADGROUP an array).
      expect(reply, command.slice(0, 2).join(' ')).toMatch(/^[+:$*]/);
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
  for (const [db, commands] of interopDataset()) {
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

const cleanups = new Cleanups();

function tempDir(): string {
  return cleanups.tempDir('replisim-interop-');
}

async function redisOn(dir: string): Promise<RawClient> {
  const server = await startRedisServer(['--dir', dir, '--enable-debug-command', 'yes']);
  cleanups.add(() => server.stop());
  return RawClient.connect(server.port);
}

async function replisimOn(dir: string): Promise<{ client: RawClient; node: ReplisimNode }> {
  const node = await startReplisimNode([
    '--dir',
    dir,
    '--save',
    '',
    '--enable-debug-command',
    'yes',
  ]);
  cleanups.add(() => node.stop());
  return { client: await RawClient.connect(node.port), node };
}

beforeAll(() => {
  expect(INTEROP_DATABASES.length).toBe(interopDataset().size);
});

afterAll(() => cleanups.run());

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
