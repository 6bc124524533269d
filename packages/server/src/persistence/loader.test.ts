/**
 * Loading a dump at start, on the simulated Env. Goal: a node started on a host whose disk holds
 * a dump serves exactly that dataset (types, encodings by this node's thresholds, TTLs), drops keys
 * already expired, answers -LOADING while a slow load runs, and refuses to start on a corrupt,
 * truncated or CRC-bad dump without touching the file. Method: dumps are written with the codec's
 * RdbWriter (writeDataset in test/support/rdb-datasets.ts, independent of the save side) and
 * planted with SimDisk.writeFileSync; the node boots on the host with a clean disk path (`dir` is
 * the disk's cwd, '/').
 */
import { type SimHost, SimWorld } from '@replisim/base';
import type { RdbValueIn } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { writeDataset } from '../../../../test/support/rdb-datasets.js';
import { loadConfig } from '../config/load-config.js';
import { ServerNode, type StartResult } from '../node.js';
import { signalShutdown } from '../shutdown.js';
import { SimClient } from '../testing/sim-client.js';
import { runUntil, SIM_SERVER_ADDRESS } from '../testing/sim-server.js';

const WALL_NOW_MS = 1_704_067_200_000; // the SimWorld's default wall start

interface Booted {
  readonly node: ServerNode;
  readonly logs: string[];
  result(): StartResult | undefined;
}

/** Starts a node on `host` without running the world: the caller runs it (the load is async). */
function boot(host: SimHost, options: readonly string[] = []): Booted {
  // Clients connect from another host: protected mode off, as startSimServer does.
  const loaded = loadConfig('', [
    ...['--port', '6379', '--bind', '0.0.0.0', '--save', '', '--protected-mode', 'no'],
    ...options,
  ]);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  const logs: string[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: (line) => logs.push(line),
    pid: 4242,
  });
  let result: StartResult | undefined;
  node.start((outcome) => {
    result = outcome;
  });
  return { node, logs, result: () => result };
}

function bootAndLoad(world: SimWorld, host: SimHost, options: readonly string[] = []): Booted {
  const booted = boot(host, options);
  runUntil(world, () => booted.result() !== undefined, 60_000);
  return booted;
}

interface DumpKey {
  readonly db?: number;
  readonly key: string;
  readonly value: RdbValueIn;
  readonly expireMs?: number;
}

/** A dump of `keys` (db 0 unless given), saved 60 s before the world's start with 1 MB in use. */
function dump(
  keys: readonly DumpKey[],
  options: { checksum?: boolean; compression?: boolean } = {},
): Buffer {
  const dbs = [...new Set(keys.map((entry) => entry.db ?? 0))].sort((a, b) => a - b);
  const dataset = dbs.map((db) => ({ db, keys: keys.filter((entry) => (entry.db ?? 0) === db) }));
  return writeDataset(dataset, {
    compression: options.compression ?? true,
    checksum: options.checksum ?? true,
    header: { redisVersion: '7.0.15', ctimeSeconds: WALL_NOW_MS / 1000 - 60, usedMemory: 1 << 20 },
  });
}

/**
 * The dump on the host's disk is still exactly `bytes`. Buffer.equals, not toEqual: vitest's deep
 * equality walks a multi-megabyte Buffer byte by byte, which took most of a minute on a loaded
 * machine; a mismatch is reported with the first differing offset instead.
 */
function expectDumpUnchanged(host: SimHost, bytes: Buffer): void {
  const onDisk = Buffer.from(host.disk.readFileSync('/dump.rdb') ?? []);
  if (onDisk.equals(bytes)) return;
  let at = 0;
  while (at < onDisk.length && onDisk[at] === bytes[at]) at++;
  expect.fail(
    `the dump changed: ${onDisk.length} bytes, was ${bytes.length}; first difference at ${at}`,
  );
}

function str(value: string): RdbValueIn {
  return { type: 'string', value };
}

function world(seed: number): { world: SimWorld; host: SimHost } {
  const simWorld = new SimWorld({ seed });
  return { world: simWorld, host: simWorld.addHost('server', SIM_SERVER_ADDRESS) };
}

describe('loading the dump at start', () => {
  it('starts empty without a dump and logs no load', () => {
    const sim = world(1);
    const booted = bootAndLoad(sim.world, sim.host);
    expect(booted.result()).toEqual({ ok: true, port: 6379 });
    expect(booted.node.databases.every((db) => db.size() === 0)).toBe(true);
    expect(booted.logs.some((line) => line.includes('DB loaded from disk'))).toBe(false);
  });

  it('serves every type with its TTL, in the db it was saved in, with Redis-like log lines', () => {
    const sim = world(2);
    sim.host.disk.writeFileSync(
      '/dump.rdb',
      dump([
        { key: 'str', value: str('hello'), expireMs: WALL_NOW_MS + 100_000 },
        { key: 'list', value: { type: 'list', size: 3, elements: ['a', 'b', 'c'] } },
        { key: 'iset', value: { type: 'set', encoding: 'intset', size: 2, members: ['1', '2'] } },
        {
          key: 'hash',
          value: { type: 'hash', encoding: 'listpack', size: 1, entries: [['f', 'v']] },
        },
        {
          db: 3,
          key: 'zset',
          value: {
            type: 'zset',
            encoding: 'listpack',
            size: 2,
            entries: [
              { member: 'a', score: 1 },
              { member: 'b', score: 2.5 },
            ],
          },
        },
      ]),
    );
    const booted = bootAndLoad(sim.world, sim.host);
    expect(booted.result()).toEqual({ ok: true, port: 6379 });
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    expect(client.call('GET', 'str')).toBe('$5\r\nhello\r\n');
    expect(client.call('PTTL', 'str')).toMatch(/^:(99\d{3}|100000)\r\n$/);
    expect(client.call('LRANGE', 'list', '0', '-1')).toBe(
      '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n',
    );
    expect(client.call('OBJECT', 'ENCODING', 'iset')).toBe('$6\r\nintset\r\n');
    expect(client.call('HGET', 'hash', 'f')).toBe('$1\r\nv\r\n');
    expect(client.call('SELECT', '3')).toBe('+OK\r\n');
    expect(client.call('ZSCORE', 'zset', 'b')).toBe('$3\r\n2.5\r\n');
    expect(booted.node.lastLoad).toEqual({ keysLoaded: 5, keysExpired: 0 });
    const messages = booted.logs.map((line) => line.replace(/^.*? [*#.-] /, ''));
    expect(messages).toContain('Loading RDB produced by version 7.0.15');
    expect(messages).toContain('RDB age 60 seconds');
    expect(messages).toContain('RDB memory usage when created 1.00 Mb');
    expect(messages).toContain('Done loading RDB, keys loaded: 5, keys expired: 0.');
    expect(messages.some((line) => /^DB loaded from disk: \d+\.\d{3} seconds$/.test(line))).toBe(
      true,
    );
  });

  it('drops keys whose TTL has passed and counts them', () => {
    const sim = world(3);
    sim.host.disk.writeFileSync(
      '/dump.rdb',
      dump([
        { key: 'gone', value: str('x'), expireMs: WALL_NOW_MS - 1 },
        { key: 'alive', value: str('y'), expireMs: WALL_NOW_MS + 5000 },
        { key: 'plain', value: str('z') },
      ]),
    );
    const booted = bootAndLoad(sim.world, sim.host);
    const db = booted.node.databases[0];
    expect(db?.peek('gone')).toBeUndefined();
    expect(db?.expiryOf('alive')).toBe(WALL_NOW_MS + 5000);
    expect(db?.size()).toBe(2);
    expect(booted.node.lastLoad).toEqual({ keysLoaded: 2, keysExpired: 1 });
  });

  it('answers -LOADING to commands without the loading flag while a slow load runs', () => {
    const sim = world(4);
    const keys: DumpKey[] = [];
    for (let i = 0; i < 60_000; i++) keys.push({ key: `key:${i}`, value: str(`v${i}`.repeat(20)) });
    const bytes = dump(keys, { compression: false });
    expect(bytes.length).toBeGreaterThan(6 * 1024 * 1024); // several 2 MB event rounds
    sim.host.disk.writeFileSync('/dump.rdb', bytes);
    sim.host.disk.setFaults({ latencyMsMin: 200, latencyMsMax: 200 });
    const booted = boot(sim.host);
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    // Requests wait, as in Redis, until 2 MB have loaded; then they run under the load.
    client.pipeline([['PING'], ['GET', 'key:1'], ['INFO', 'persistence']]);
    const [ping, get, info] = client.read(3, 10_000).map((reply) => reply.bytes.toString('latin1'));
    expect(ping).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(get).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    // INFO has the 'loading' flag, so it runs and shows the progress.
    expect(info).toContain('loading:1\r\n');
    expect(info).toContain(`loading_total_bytes:${bytes.length}\r\n`);
    expect(booted.node.loading?.loadedBytes).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(booted.node.loading?.loadedBytes).toBeLessThan(bytes.length);
    runUntil(sim.world, () => booted.result() !== undefined, 60_000);
    expect(booted.result()).toEqual({ ok: true, port: 6379 });
    expect(booted.node.loading).toBeUndefined();
    expect(client.call('PING')).toBe('+PONG\r\n');
    expect(client.call('DBSIZE')).toBe(':60000\r\n');
  });

  it('a dump smaller than 2 MB loads before any client request runs', () => {
    const sim = world(6);
    const keys: DumpKey[] = [];
    for (let i = 0; i < 5000; i++) keys.push({ key: `key:${i}`, value: str('v') });
    sim.host.disk.writeFileSync('/dump.rdb', dump(keys));
    sim.host.disk.setFaults({ latencyMsMin: 50, latencyMsMax: 50 });
    boot(sim.host);
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    expect(client.call('DBSIZE')).toBe(':5000\r\n');
  });

  it('keeps the load in bounded slices, so other events run between them', () => {
    const sim = world(5);
    const keys: DumpKey[] = [];
    for (let i = 0; i < 10_000; i++) keys.push({ key: `k${i}`, value: str('v') });
    sim.host.disk.writeFileSync('/dump.rdb', dump(keys));
    const booted = boot(sim.host);
    const sizes: number[] = [];
    runUntil(
      sim.world,
      () => {
        sizes.push(booted.node.databases[0]?.size() ?? 0);
        return booted.result() !== undefined;
      },
      60_000,
    );
    const steps = new Set(sizes).size;
    expect(steps).toBeGreaterThanOrEqual(5); // 10 000 keys at <= 2048 per slice
    expect(booted.node.databases[0]?.size()).toBe(10_000);
  });
});

describe('shutting down during a load', () => {
  function slowLoad(seed: number): {
    sim: ReturnType<typeof world>;
    booted: Booted;
    bytes: Buffer;
  } {
    const sim = world(seed);
    const keys: DumpKey[] = [];
    // About 3 MB, past the 2 MB a load finishes within (LOADING_EVENTS_INTERVAL_BYTES), in few
    // records: the disk latency below makes the load slow in virtual time, not in CPU time.
    for (let i = 0; i < 5_000; i++)
      keys.push({ key: `key:${i}`, value: str(`value:${i}:`.padEnd(600, 'x')) });
    const bytes = dump(keys, { compression: false });
    sim.host.disk.writeFileSync('/dump.rdb', bytes);
    sim.host.disk.setFaults({ latencyMsMin: 300, latencyMsMax: 300 });
    // Save rules exist, so a shutdown outside a load would save the half-loaded dataset.
    const booted = boot(sim.host, ['--save', '3600 1']);
    runUntil(sim.world, () => (booted.node.loading?.loadedBytes ?? 0) > 0, 10_000);
    return { sim, booted, bytes };
  }

  it('a SIGTERM is served by the cron during the load, without saving', () => {
    const { sim, booted, bytes } = slowLoad(20);
    signalShutdown(booted.node, 'SIGTERM');
    runUntil(sim.world, () => booted.node.isStopped, 10_000);
    expect(booted.node.isStopped).toBe(true);
    expect(
      booted.logs.some((line) => line.endsWith('Saving the final RDB snapshot before exiting.')),
    ).toBe(false);
    expectDumpUnchanged(sim.host, bytes);
    runUntil(sim.world, () => booted.result() !== undefined, 60_000);
    expect(booted.result()?.ok).toBe(false);
  });

  it('SHUTDOWN SAVE during the load exits without saving (Redis forces NOSAVE)', () => {
    const { sim, booted, bytes } = slowLoad(21);
    const client = SimClient.open(sim.world, sim.world.addHost('client', '10.0.0.2'));
    client.send('*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n');
    expect(client.waitClosed(10_000)).toBe(true);
    expect(booted.node.isStopped).toBe(true);
    expectDumpUnchanged(sim.host, bytes);
  });
});

describe('a dump that cannot be loaded', () => {
  const good = dump([
    { key: 'a', value: str('1') },
    { key: 'b', value: { type: 'list', size: 2, elements: ['x', 'y'] } },
    { key: 'c', value: str('a long value that LZF may compress: aaaaaaaaaaaaaaaaaaaaaaaa') },
  ]);

  function refuse(bytes: Buffer, seed: number): { logs: string[]; message: string } {
    const sim = world(seed);
    sim.host.disk.writeFileSync('/dump.rdb', bytes);
    const booted = bootAndLoad(sim.world, sim.host);
    const result = booted.result();
    if (result === undefined || result.ok) throw new Error('the start should have failed');
    expect(result.logged).toBe(true);
    // The file is left exactly as it was.
    expectDumpUnchanged(sim.host, bytes);
    return { logs: booted.logs, message: result.message };
  }

  it('refuses a truncated dump with Redis short-read lines and where it stopped', () => {
    const { logs, message } = refuse(good.subarray(0, good.length - 20), 10);
    expect(
      logs.some((line) =>
        line.endsWith('Short read or OOM loading DB. Unrecoverable error, aborting now.'),
      ),
    ).toBe(true);
    expect(message).toMatch(
      /^Internal error in RDB reading offset \d+, function at rdb\.c -> Unexpected EOF reading RDB file$/,
    );
    expect(logs.some((line) => /RDB error: .* at offset \d+ while doing/.test(line))).toBe(true);
  });

  it('refuses a dump whose CRC does not match, showing both checksums', () => {
    const flipped = Buffer.from(good);
    const at = flipped.indexOf('x', 0, 'latin1');
    flipped[at] = 'z'.charCodeAt(0); // a value byte: still parses, only the CRC catches it
    const { logs, message } = refuse(flipped, 11);
    expect(
      logs.some((line) =>
        /Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/.test(
          line,
        ),
      ),
    ).toBe(true);
    expect(message).toMatch(/-> RDB CRC error$/);
  });

  it('refuses a dump with a bad type byte', () => {
    const bad = Buffer.from(good);
    const at = bad.indexOf(Buffer.from([0xfe, 0x00]));
    expect(at).toBeGreaterThan(0);
    // The first key record's type byte (after SELECTDB 0 and RESIZEDB 3 0) becomes 99.
    const typeAt = bad.indexOf(Buffer.from([0xfb]), at) + 3;
    bad[typeAt] = 99;
    const { message } = refuse(bad, 12);
    expect(message).toMatch(
      /^Internal error in RDB reading offset \d+, function at rdb\.c -> RDB is corrupt$/,
    );
  });

  it('refuses a dump with a key twice', () => {
    const twice = dump([
      { key: 'dup', value: str('1') },
      { key: 'dup', value: str('2') },
    ]);
    const { logs, message } = refuse(twice, 13);
    expect(logs.some((line) => line.endsWith("RDB has duplicated key 'dup' in DB 0"))).toBe(true);
    expect(message).toBe('Duplicated key found in RDB file');
  });

  it('refuses a dump that selects a database this server does not have', () => {
    const sim = world(14);
    sim.host.disk.writeFileSync('/dump.rdb', dump([{ db: 5, key: 'k', value: str('v') }]));
    const booted = bootAndLoad(sim.world, sim.host, ['--databases', '4']);
    const result = booted.result();
    expect(result?.ok).toBe(false);
    expect(result?.ok === false ? result.message : '').toBe(
      'FATAL: Data file was created with a Redis server configured to handle more than 4 databases. Exiting',
    );
  });

  it('refuses to start when the disk fails a read, as a short read', () => {
    const sim = world(16);
    const bytes = dump([{ key: 'k', value: str('v') }]);
    sim.host.disk.writeFileSync('/dump.rdb', bytes);
    sim.host.disk.failNext('read');
    const booted = bootAndLoad(sim.world, sim.host);
    const result = booted.result();
    expect(result?.ok === false ? result.message : '').toBe(
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
    );
    expect(booted.logs.some((line) => /Read error loading the DB: EIO/.test(line))).toBe(true);
    expect(booted.node.isStopped).toBe(true);
  });

  it('loads a dump written with rdbchecksum off (a zero CRC) without checking it', () => {
    const sim = world(15);
    sim.host.disk.writeFileSync(
      '/dump.rdb',
      dump([{ key: 'k', value: str('v') }], { checksum: false }),
    );
    const booted = bootAndLoad(sim.world, sim.host);
    expect(booted.result()?.ok).toBe(true);
    expect(
      booted.logs.some((line) =>
        line.endsWith('RDB file was saved with checksum disabled: no check performed.'),
      ),
    ).toBe(true);
    expect(booted.node.databases[0]?.size()).toBe(1);
  });
});
