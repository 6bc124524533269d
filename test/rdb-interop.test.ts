/**
 * RDB interop with the real redis-server 7.0.15 and redis-check-rdb. Goal: our dumps are dumps
 * Redis loads, Redis's dumps are dumps we read, and DUMP/RESTORE payloads cross both ways.
 *
 * Method: random keyspaces from test/support/rdb-datasets.ts with the encodings Redis itself would
 * pick (intsets, listpacks, quicklists over several 8 KB nodes, skiplist zsets, hashtable sets and
 * hashes, LZF-compressible and int-encoded strings, binary keys, expiries, several dbs).
 * (a) RdbWriter's file passes `redis-check-rdb` (and checkRdb prints the tool's report to the
 *     letter), and a server loading it (at startup with --dir/--dbfilename, then via DEBUG RELOAD
 *     NOSAVE) holds exactly the keyspace: every key compared by GET / LRANGE / SMEMBERS / HGETALL /
 *     ZRANGE WITHSCORES, PEXPIRETIME and OBJECT ENCODING. Damaged copies (random byte changes and
 *     truncations) get the same report from checkRdb as from redis-check-rdb.
 * (b) The keyspace written into a server with commands and SAVEd is read by RdbReader into exactly
 *     what the server holds, encodings included; rewriting what was read with RdbWriter (same
 *     header values) reproduces Redis's file byte for byte, CRC included.
 * (c) DUMP of every key decodes to the server's value and re-encodes to the same bytes; our
 *     payload RESTOREd under a new name gives the same value back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRdb,
  decodeDumpPayload,
  encodeDumpPayload,
  RdbReader,
  type RdbRecord,
  type RdbValueIn,
  type RdbValueOut,
  RdbWriter,
  type RespValue,
} from '@replisim/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import {
  type Dataset,
  datasetArb,
  dbEntry,
  expectedView,
  type KeyspaceView,
  type NormalizedValue,
  normalized,
  recordsView,
  writeDataset,
} from './support/rdb-datasets.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';

const hex = (bytes: Buffer | string): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes).toString('hex');

/** Datasets with Redis's encodings; a fixed seed keeps the file's run time predictable. */
function sampleDatasets(seed: number, count: number): Dataset[] {
  return fc.sample(datasetArb({ redisEncodings: true, keysMax: 10 }), { seed, numRuns: count });
}

function bulk(value: RespValue): Buffer {
  if (value.kind !== 'bulk')
    throw new Error(`expected a bulk string, got ${JSON.stringify(value)}`);
  return value.value;
}

function items(value: RespValue): RespValue[] {
  if (value.kind !== 'array') throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value.items;
}

function parseScore(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

class Redis {
  readonly client: RawClient;

  constructor(client: RawClient) {
    this.client = client;
  }

  async call(...argv: (string | Buffer)[]): Promise<RespValue> {
    const reply = await this.client.call(...argv);
    if (reply.value.kind === 'error') throw new Error(`${argv[0]}: ${reply.value.value}`);
    return reply.value;
  }

  /** One key's value as the normalized shape, its expiry and its OBJECT ENCODING. */
  async readKey(
    key: Buffer,
  ): Promise<{ value: NormalizedValue; expireMs?: number; encoding: string }> {
    const type = (await this.call('TYPE', key)) as { value: string };
    const encoding = bulk(await this.call('OBJECT', 'ENCODING', key)).toString();
    const expiry = await this.call('PEXPIRETIME', key);
    const expireMs =
      expiry.kind === 'integer' && expiry.value >= 0n ? Number(expiry.value) : undefined;
    let value: NormalizedValue;
    switch (type.value) {
      case 'string':
        value = { type: 'string', value: hex(bulk(await this.call('GET', key))) };
        break;
      case 'list':
        value = {
          type: 'list',
          elements: items(await this.call('LRANGE', key, '0', '-1')).map((item) => hex(bulk(item))),
        };
        break;
      case 'set':
        value = {
          type: 'set',
          members: items(await this.call('SMEMBERS', key))
            .map((item) => hex(bulk(item)))
            .sort(),
        };
        break;
      case 'hash': {
        const flat = items(await this.call('HGETALL', key)).map((item) => hex(bulk(item)));
        const entries: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) entries.push([flat[i] ?? '', flat[i + 1] ?? '']);
        value = {
          type: 'hash',
          entries: entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        };
        break;
      }
      case 'zset': {
        const flat = items(await this.call('ZRANGE', key, '0', '-1', 'WITHSCORES')).map(bulk);
        const entries: [string, number][] = [];
        for (let i = 0; i < flat.length; i += 2) {
          entries.push([
            hex(flat[i] ?? Buffer.alloc(0)),
            parseScore((flat[i + 1] ?? '').toString()),
          ]);
        }
        value = {
          type: 'zset',
          entries: entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        };
        break;
      }
      default:
        throw new Error(`unexpected type ${type.value}`);
    }
    return expireMs === undefined ? { value, encoding } : { value, expireMs, encoding };
  }

  /** The whole keyspace of `dbs`, and each key's encoding (db -> hex key -> encoding). */
  async readKeyspace(
    dbs: readonly number[],
  ): Promise<{ view: KeyspaceView; encodings: Record<number, Record<string, string>> }> {
    const view: KeyspaceView = {};
    const encodings: Record<number, Record<string, string>> = {};
    for (const db of dbs) {
      await this.call('SELECT', String(db));
      const keys = items(await this.call('KEYS', '*')).map(bulk);
      for (const key of keys) {
        const { encoding, ...entry } = await this.readKey(key);
        dbEntry(view, db)[hex(key)] = entry;
        dbEntry(encodings, db)[hex(key)] = encoding;
      }
    }
    await this.call('SELECT', '0');
    return { view, encodings };
  }

  /** Writes the dataset with ordinary commands. */
  async load(dataset: Dataset): Promise<void> {
    await this.call('FLUSHALL');
    for (const { db, keys } of dataset) {
      await this.call('SELECT', String(db));
      for (const { key, value, expireMs } of keys) {
        const name = Buffer.from(key, 'latin1');
        await this.call(...writeCommand(name, value));
        if (expireMs !== undefined) await this.call('PEXPIREAT', name, String(expireMs));
      }
    }
    await this.call('SELECT', '0');
  }
}

const bytesOf = (value: Buffer | string): Buffer =>
  typeof value === 'string' ? Buffer.from(value, 'latin1') : value;

function writeCommand(key: Buffer, value: RdbValueIn): (string | Buffer)[] {
  switch (value.type) {
    case 'string':
      return ['SET', key, bytesOf(value.value)];
    case 'list':
      return ['RPUSH', key, ...[...value.elements].map(bytesOf)];
    case 'set':
      return ['SADD', key, ...[...value.members].map(bytesOf)];
    case 'hash':
      return ['HSET', key, ...[...value.entries].flatMap(([f, v]) => [bytesOf(f), bytesOf(v)])];
    case 'zset':
      return [
        'ZADD',
        key,
        ...[...value.entries].flatMap((entry) => [String(entry.score), bytesOf(entry.member)]),
      ];
    case 'stream':
      throw new Error('the random datasets hold no streams (test/rdb-streams.test.ts has them)');
  }
}

/** The encoding Redis reports for a value we wrote with this encoding. */
function expectedEncoding(value: RdbValueIn): string | undefined {
  switch (value.type) {
    case 'string':
      return undefined;
    case 'list':
      return 'quicklist';
    case 'stream':
      return 'stream';
    default:
      return value.encoding;
  }
}

/** What was read, as writer input in the same order and encodings (ZSET_2 is stored reversed). */
function toValueIn(value: RdbValueOut): RdbValueIn {
  switch (value.type) {
    case 'string':
      return value;
    case 'list':
      return { type: 'list', size: value.elements.length, elements: value.elements };
    case 'set':
      return {
        type: 'set',
        encoding: value.encoding,
        size: value.members.length,
        members: value.members,
      };
    case 'hash':
      return {
        type: 'hash',
        encoding: value.encoding,
        size: value.entries.length,
        entries: value.entries,
      };
    case 'zset':
      return {
        type: 'zset',
        encoding: value.encoding,
        size: value.entries.length,
        entries: value.encoding === 'skiplist' ? [...value.entries].reverse() : value.entries,
      };
    case 'stream':
      return value;
  }
}

function readRecords(bytes: Buffer): RdbRecord[] {
  const reader = new RdbReader();
  const records: RdbRecord[] = [];
  for (let offset = 0; offset < bytes.length; offset += 1000) {
    reader.push(bytes.subarray(offset, offset + 1000));
    for (let record = reader.next(); record !== undefined; record = reader.next())
      records.push(record);
  }
  reader.end();
  for (let record = reader.next(); record !== undefined; record = reader.next())
    records.push(record);
  expect(reader.done).toBe(true);
  return records;
}

/** Rewrites Redis's records with RdbWriter, copying the header values Redis wrote. */
function rewrite(records: readonly RdbRecord[]): Buffer {
  const aux = new Map<string, string>();
  for (const record of records) if (record.kind === 'aux') aux.set(record.name, record.value);
  const writer = new RdbWriter({ compression: true, checksum: true });
  writer.header({
    redisVersion: aux.get('redis-ver') ?? '',
    ctimeSeconds: Number(aux.get('ctime')),
    usedMemory: Number(aux.get('used-mem')),
  });
  let pending: { db: number } | undefined;
  for (const record of records) {
    if (record.kind === 'selectdb') pending = { db: record.db };
    if (record.kind === 'resizedb' && pending !== undefined) {
      writer.selectDb(pending.db, record.size, record.expires);
    }
    if (record.kind === 'key') writer.key(record.key, toValueIn(record.value), record.expireMs);
  }
  writer.finish();
  return writer.take();
}

function collectionEncodings(dataset: Dataset): Record<number, Record<string, string>> {
  const encodings: Record<number, Record<string, string>> = {};
  for (const { db, keys } of dataset) {
    for (const { key, value } of keys) {
      const encoding = expectedEncoding(value);
      if (encoding !== undefined) dbEntry(encodings, db)[hex(key)] = encoding;
    }
  }
  return encodings;
}

function onlyCollections(
  encodings: Record<number, Record<string, string>>,
): Record<number, Record<string, string>> {
  const result: Record<number, Record<string, string>> = {};
  for (const [db, keys] of Object.entries(encodings)) {
    for (const [key, encoding] of Object.entries(keys)) {
      if (!['int', 'embstr', 'raw'].includes(encoding)) dbEntry(result, Number(db))[key] = encoding;
    }
  }
  return result;
}

/**
 * redis-check-rdb's stdout minus what checkRdb leaves out on purpose: rdbReportCorruptRDB's
 * "Internal error in RDB reading offset 0, function at rdb.c:N -> " prefix (a C source line) and
 * the final "<pid>:C <time> # Terminating server..." log line.
 */
function toolText(stdout: string): string {
  return stdout
    .replace(/\n\d+:C [^\n]* Terminating server after rdb file reading failure\.\n$/, '\n')
    .replace(/Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> /, '')
    .trimEnd();
}

const dbsOf = (dataset: Dataset): number[] => dataset.map(({ db }) => db);

/**
 * Byte flips (and as many truncations) per dataset in the damaged-dump test; each one runs
 * redis-check-rdb once, which is what that test spends its time on (640 runs took 6 s unloaded
 * and far more on a loaded machine). REPLISIM_RDB_DAMAGES=40 runs the former amount.
 */
const DAMAGES_VARIABLE = 'REPLISIM_RDB_DAMAGES';
const DAMAGES_PER_DATASET = Number(process.env[DAMAGES_VARIABLE] ?? '10');

/**
 * redis-check-rdb runs at once in the damaged-dump test. Each run mostly waits to be scheduled on
 * a loaded machine (about 0.2 s each at a load of 12 on 2 cores), so a few side by side finish the
 * test in a fraction of the time without using more CPU.
 */
const CHECKS_AT_ONCE = 8;

/** Runs `task` over `items`, at most `width` at a time; the results in the items' order. */
async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += width) {
    const batch = items.slice(start, start + width);
    results.push(...(await Promise.all(batch.map((item, i) => task(item, start + i)))));
  }
  return results;
}

function unreachableCheck(): never {
  throw new Error('a damaged dump without its redis-check-rdb run');
}

describe('RDB interop with redis-server 7.0.15', () => {
  let server: RedisServer;
  let redis: Redis;
  const scratch = mkdtempSync(join(tmpdir(), 'replisim-rdb-interop-'));

  beforeAll(async () => {
    server = await startRedisServer(['--enable-debug-command', 'yes']);
    redis = new Redis(await RawClient.connect(server.port));
  });

  afterAll(async () => {
    redis?.client.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('(a) our dump passes redis-check-rdb and loads at startup with the same keyspace', async () => {
    const [dataset] = sampleDatasets(1, 1);
    if (dataset === undefined) throw new Error('no sample');
    const file = join(scratch, 'ours.rdb');
    writeFileSync(file, writeDataset(dataset, { compression: true, checksum: true }));
    const check = await runChild('redis-check-rdb', [file]);
    expect(check.stdout).toContain('\\o/ RDB looks OK! \\o/');
    expect(check.code).toBe(0);
    const loader = await startRedisServer(['--dir', scratch, '--dbfilename', 'ours.rdb']);
    try {
      const client = new Redis(await RawClient.connect(loader.port));
      const { view, encodings } = await client.readKeyspace(dbsOf(dataset));
      client.client.close();
      expect(view).toEqual(expectedView(dataset));
      expect(onlyCollections(encodings)).toEqual(collectionEncodings(dataset));
    } finally {
      await loader.stop();
    }
  });

  it('(a) our dumps of random keyspaces pass redis-check-rdb and DEBUG RELOAD into the same data', async () => {
    const datasets = sampleDatasets(2, 8);
    for (const [index, dataset] of datasets.entries()) {
      const file = join(server.dir, 'dump.rdb');
      writeFileSync(
        file,
        writeDataset(dataset, { compression: index % 2 === 0, checksum: index !== 3 }),
      );
      const check = await runChild('redis-check-rdb', [file]);
      expect(check.code, check.stdout).toBe(0);
      expect(checkRdb(readFileSync(file), { fileName: file }).lines.join('\n')).toBe(
        toolText(check.stdout),
      );
      expect(await redis.call('DEBUG', 'RELOAD', 'NOSAVE')).toEqual({
        kind: 'simple',
        value: 'OK',
      });
      const { view, encodings } = await redis.readKeyspace(dbsOf(dataset));
      expect(view).toEqual(expectedView(dataset));
      expect(onlyCollections(encodings)).toEqual(collectionEncodings(dataset));
    }
  });

  it('(a) checkRdb reports damaged dumps line for line as redis-check-rdb does', async () => {
    for (const [index, dataset] of sampleDatasets(8, 2).entries()) {
      const bytes = writeDataset(dataset, { compression: true, checksum: true });
      // Not the version digits (bytes 5-8): Redis reads them with atoi, so "001x" loads as a
      // version 1 file without a CRC check, where we refuse a non-digit (a deliberate difference).
      const damage = fc
        .tuple(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }))
        .filter(([at]) => at < 5 || at > 8);
      const random = fc.sample(damage, { seed: index, numRuns: DAMAGES_PER_DATASET });
      const damages = [
        ...random.map(([at, mask]) => {
          const damaged = Buffer.from(bytes);
          damaged[at] = (damaged[at] ?? 0) ^ mask;
          return damaged;
        }),
        ...random.map(([at]) => bytes.subarray(0, at)),
      ];
      const checks = await inBatches(damages, CHECKS_AT_ONCE, (damaged, at) => {
        const file = join(scratch, `damaged-${at}.rdb`);
        writeFileSync(file, damaged);
        return runChild('redis-check-rdb', [file]).then((check) => ({ file, check }));
      });
      for (const [at, damaged] of damages.entries()) {
        const { file, check } = checks[at] ?? unreachableCheck();
        const report = checkRdb(damaged, { fileName: file });
        expect(report.ok, `ours:\n${report.lines.join('\n')}\ntool:\n${check.stdout}`).toBe(
          check.code === 0,
        );
        // The tool's bytes reach us decoded as UTF-8; our lines hold one char per byte.
        // Compared as one text: a key may hold a newline.
        const asToolOutput = Buffer.from(report.lines.join('\n'), 'latin1').toString('utf8');
        expect(asToolOutput).toBe(toolText(check.stdout));
      }
    }
  });

  it('(b) reads what Redis SAVEs exactly, and rewrites it byte for byte', async () => {
    const seen = new Set<string>();
    for (const dataset of sampleDatasets(3, 8)) {
      await redis.load(dataset);
      expect(await redis.call('SAVE')).toEqual({ kind: 'simple', value: 'OK' });
      const bytes = readFileSync(join(server.dir, 'dump.rdb'));
      const records = readRecords(bytes);
      const { view, encodings } = await redis.readKeyspace(dbsOf(dataset));
      expect(recordsView(records)).toEqual(view);
      const fileEncodings: Record<number, Record<string, string>> = {};
      for (const record of records) {
        if (record.kind !== 'key' || record.value.type === 'string') continue;
        const encoding =
          record.value.type === 'list' || record.value.type === 'stream'
            ? record.value.type === 'list'
              ? 'quicklist'
              : 'stream'
            : record.value.encoding;
        dbEntry(fileEncodings, record.db)[hex(record.key)] = encoding;
      }
      expect(fileEncodings).toEqual(onlyCollections(encodings));
      expect(rewrite(records).toString('hex')).toBe(bytes.toString('hex'));
      for (const record of records) {
        if (record.kind !== 'key') continue;
        const { value } = record;
        seen.add(
          value.type === 'string' || value.type === 'list' || value.type === 'stream'
            ? value.type
            : `${value.type}:${value.encoding}`,
        );
        if (record.expireMs !== undefined) seen.add('expiry');
        if (record.db !== 0) seen.add('db>0');
        if (value.type === 'list' && value.elements.reduce((sum, e) => sum + e.length, 0) > 8192) {
          seen.add('list over several nodes');
        }
      }
      if (bytes.includes(Buffer.from([0xc3]))) seen.add('maybe LZF');
    }
    // The sampled keyspaces cover every encoding 7.0 writes.
    expect([...seen].sort()).toEqual(
      [
        'db>0',
        'expiry',
        'hash:hashtable',
        'hash:listpack',
        'list',
        'list over several nodes',
        'maybe LZF',
        'set:hashtable',
        'set:intset',
        'string',
        'zset:listpack',
        'zset:skiplist',
      ].sort(),
    );
  });

  it('(c) DUMP payloads decode to the value, re-encode byte for byte, and RESTORE from ours', async () => {
    for (const dataset of sampleDatasets(4, 4)) {
      await redis.load(dataset);
      for (const { db, keys } of dataset) {
        await redis.call('SELECT', String(db));
        for (const { key } of keys) {
          const name = Buffer.from(key, 'latin1');
          const { value: expected } = await redis.readKey(name);
          const payload = bulk(await redis.call('DUMP', name));
          const decoded = decodeDumpPayload(payload);
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) continue;
          expect(normalized(decoded.value)).toEqual(expected);
          const ours = encodeDumpPayload(toValueIn(decoded.value), { compression: true });
          expect(ours.toString('hex')).toBe(payload.toString('hex'));
          const copy = Buffer.concat([Buffer.from('restored:'), name]);
          await redis.call('RESTORE', copy, '0', ours, 'REPLACE');
          expect((await redis.readKey(copy)).value).toEqual(expected);
        }
      }
      await redis.call('SELECT', '0');
    }
  });

  it('(c) RESTORE refuses what decodeDumpPayload refuses', async () => {
    const payload = encodeDumpPayload({ type: 'string', value: 'hello' }, { compression: false });
    const badCrc = Buffer.from(payload);
    badCrc[badCrc.length - 1] = (badCrc[badCrc.length - 1] ?? 0) ^ 1;
    expect(decodeDumpPayload(badCrc)).toEqual({ ok: false, reason: 'version-or-checksum' });
    const reply = await redis.client.call('RESTORE', 'x', '0', badCrc);
    expect(reply.value).toEqual({
      kind: 'error',
      value: 'ERR DUMP payload version or checksum are wrong',
    });
    const empty = encodeDumpPayload(
      { type: 'set', encoding: 'hashtable', size: 0, members: [] },
      { compression: false },
    );
    expect(decodeDumpPayload(empty)).toEqual({ ok: false, reason: 'bad-format' });
    const emptyReply = await redis.client.call('RESTORE', 'x', '0', empty);
    expect(emptyReply.value).toEqual({ kind: 'error', value: 'ERR Bad data format' });
  });
});
