/**
 * The forkless BGSAVE is point-in-time (DESIGN.md Principle 3): whatever clients do while it runs,
 * the file it writes equals, key for key, the dataset at the instant BGSAVE started: values,
 * types and expiries, including keys whose TTL had passed but were not deleted yet (SAVE writes
 * those too).
 *
 * Method (fast-check on the simulated Env): a random dataset of every type, some keys with TTLs,
 * spread over databases 0-2, is written through a client. A second client blocks in BLMOVE on an
 * empty source with an existing list as destination, so serving it later changes a snapshotted
 * key in place outside any command call. BGSAVE is started with slices of 1-3 keys, and the
 * dataset is captured (deep-copied from the keyspace) at that instant by wrapping startBgsave.
 * Then a random script runs while the BGSAVE does: writes, deletes, in-place collection changes
 * (RPUSH/LPOP, HSET/HDEL, SADD/SREM, ZADD/ZINCRBY, APPEND, XADD/XDEL/XTRIM, and XREADGROUP, XACK and
 * XCLAIM changing a stream's consumer group), EXPIRE/PERSIST, jumps of the wall
 * clock (keys expire, lazily on access or by the cron), RENAME, MOVE, COPY ... DB, FLUSHDB, SELECT,
 * a push that wakes the blocked BLMOVE, and rarely FLUSHALL. The network has zero latency and the
 * script steps the world a random number of events between requests, so requests and slices
 * interleave in every order. At the end the dump is read back with RdbReader and compared with the
 * capture. If a FLUSHALL stopped the BGSAVE, there must be no temp file, and no dump unless the
 * finished file's rename was already under way (then it must equal the capture); there are no save
 * rules here, so FLUSHALL does not save.
 *
 * Runs: 100 cases by default; REPLISIM_PIT_RUNS=N for more. A failure prints fast-check's seed and
 * path; REPLISIM_PIT_SEED=<seed> REPLISIM_PIT_PATH=<path> replays it exactly (the simulated
 * world is seeded from the case too).
 */
import { encodeDumpPayload, RdbReader, type RdbRecord, type RdbValueOut } from '@replisim/protocol';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from '../keyspace/database.js';
import type { RedisValue } from '../keyspace/values.js';
import { SimClient } from '../testing/sim-client.js';
import { runUntil, startSimServer } from '../testing/sim-server.js';
import { toRdbValue } from './rdb-values.js';

const RUNS_VARIABLE = 'REPLISIM_PIT_RUNS';
/** Replay one failure: the seed and path fast-check printed. */
const SEED_VARIABLE = 'REPLISIM_PIT_SEED';
const PATH_VARIABLE = 'REPLISIM_PIT_PATH';
const RUNS = Number(process.env[RUNS_VARIABLE] ?? '100');
const DB_COUNT = 3;
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
const MEMBERS = ['a', 'b', 'c', '1', '2', 'long-member-'.repeat(3)];
const TYPES = ['string', 'list', 'hash', 'set', 'zset', 'stream'] as const;
/** The BLMOVE source nobody creates in the dataset. */
const BLOCK_SOURCE = 'bsrc';

// --- Canonical form: the same shape from the keyspace and from the file ------------------------

interface CanonicalKey {
  readonly type: string;
  readonly value: unknown;
  readonly expireMs: number | undefined;
}

type CanonicalDataset = Record<string, CanonicalKey>;

function canonicalFromKeyspace(value: RedisValue): unknown {
  switch (value.type) {
    case 'string':
      return value.value.toString('latin1');
    case 'list':
      return [...value.value].map((element) => element.toString('latin1'));
    case 'hash':
      return [...value.value]
        .map(([field, fieldValue]) => [field, fieldValue.toString('latin1')])
        .sort(compareFirst);
    case 'set':
      return [...value.value].sort();
    case 'zset':
      return [...value.value].map(({ member, score }) => [member, score]).sort(compareFirst);
    case 'stream':
      // Nodes, tombstones, groups, PELs and consumers: the value's whole encoding, as hex.
      return encodeDumpPayload(toRdbValue(value), { compression: false }).toString('hex');
  }
}

function canonicalFromFile(value: RdbValueOut): unknown {
  switch (value.type) {
    case 'string':
      return value.value.toString('latin1');
    case 'list':
      return value.elements.map((element) => element.toString('latin1'));
    case 'hash':
      return value.entries
        .map(([field, fieldValue]) => [field, fieldValue.toString('latin1')])
        .sort(compareFirst);
    case 'set':
      return [...value.members].sort();
    case 'zset':
      return value.entries.map(({ member, score }) => [member, score]).sort(compareFirst);
    case 'stream':
      return encodeDumpPayload(
        { type: 'stream', nodes: value.nodes, meta: value.meta },
        { compression: false },
      ).toString('hex');
  }
}

function compareFirst(a: readonly unknown[], b: readonly unknown[]): number {
  const x = String(a[0]);
  const y = String(b[0]);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A deep copy of every database, read without expiring anything (as the snapshot reads it). */
function captureDataset(databases: readonly Database[]): CanonicalDataset {
  const dataset: CanonicalDataset = {};
  for (const db of databases) {
    for (const key of db.keys()) {
      const value = db.peek(key);
      if (value === undefined) continue;
      dataset[`${db.index}:${key}`] = {
        type: value.type,
        value: canonicalFromKeyspace(value),
        expireMs: db.expiryOf(key),
      };
    }
  }
  return dataset;
}

function datasetFromDump(bytes: Uint8Array): CanonicalDataset {
  const reader = new RdbReader({ verifyChecksum: true });
  reader.push(bytes);
  reader.end();
  const dataset: CanonicalDataset = {};
  for (let record: RdbRecord | undefined = reader.next(); record; record = reader.next()) {
    if (record.kind !== 'key') continue;
    const name = `${record.db}:${record.key}`;
    expect(dataset[name], `key ${name} written twice`).toBeUndefined();
    dataset[name] = {
      type: record.value.type,
      value: canonicalFromFile(record.value),
      expireMs: record.expireMs,
    };
  }
  expect(reader.done).toBe(true);
  return dataset;
}

// --- Arbitraries -------------------------------------------------------------------------------

interface Entry {
  readonly db: number;
  readonly key: string;
  readonly type: (typeof TYPES)[number];
  readonly items: readonly string[];
  /** Relative TTL in ms, possibly already passed by the time BGSAVE starts. */
  readonly ttlMs: number | undefined;
}

const memberArb = fc.constantFrom(...MEMBERS);
const entryArb: fc.Arbitrary<Entry> = fc.record({
  db: fc.integer({ min: 0, max: DB_COUNT - 1 }),
  key: fc.constantFrom(...KEYS),
  type: fc.constantFrom(...TYPES),
  items: fc.array(memberArb, { minLength: 1, maxLength: 5 }),
  ttlMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
});

function createCommands(entry: Entry): string[][] {
  const { key, items } = entry;
  const commands: string[][] = [
    ['SELECT', String(entry.db)],
    ['DEL', key],
  ];
  switch (entry.type) {
    case 'string':
      commands.push(['SET', key, items.join('')]);
      break;
    case 'list':
      commands.push(['RPUSH', key, ...items]);
      break;
    case 'hash':
      commands.push(['HSET', key, ...items.flatMap((item, i) => [item, `v${i}`])]);
      break;
    case 'set':
      commands.push(['SADD', key, ...items]);
      break;
    case 'zset':
      commands.push(['ZADD', key, ...items.flatMap((item, i) => [String(i * 1.5), item])]);
      break;
    case 'stream':
      for (const [i, item] of items.entries())
        commands.push(['XADD', key, `${i + 1}-0`, 'f', item]);
      commands.push(['XGROUP', 'CREATE', key, 'g', '0']);
      break;
  }
  if (entry.ttlMs !== undefined) commands.push(['PEXPIRE', key, String(entry.ttlMs)]);
  return commands;
}

/** One step of the script run while the BGSAVE runs. */
type Op =
  | { readonly kind: 'command'; readonly argv: readonly string[] }
  | { readonly kind: 'wall-jump'; readonly ms: number }
  | { readonly kind: 'cron' };

const keyArb = fc.constantFrom(...KEYS);
const dbArb = fc.integer({ min: 0, max: DB_COUNT - 1 }).map(String);
const command = (...parts: fc.Arbitrary<string>[]): fc.Arbitrary<Op> =>
  fc.tuple(...parts).map((argv) => ({ kind: 'command' as const, argv }));
const word = (text: string): fc.Arbitrary<string> => fc.constant(text);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: command(word('SET'), keyArb, memberArb) },
  { weight: 2, arbitrary: command(word('DEL'), keyArb) },
  { weight: 2, arbitrary: command(word('RPUSH'), keyArb, memberArb) },
  { weight: 2, arbitrary: command(word('LPOP'), keyArb) },
  { weight: 2, arbitrary: command(word('HSET'), keyArb, memberArb, memberArb) },
  { weight: 1, arbitrary: command(word('HDEL'), keyArb, memberArb) },
  { weight: 2, arbitrary: command(word('SADD'), keyArb, memberArb) },
  { weight: 1, arbitrary: command(word('SREM'), keyArb, memberArb) },
  { weight: 2, arbitrary: command(word('ZADD'), keyArb, word('7'), memberArb) },
  { weight: 1, arbitrary: command(word('ZINCRBY'), keyArb, word('2'), memberArb) },
  { weight: 1, arbitrary: command(word('APPEND'), keyArb, memberArb) },
  // Streams: XREADGROUP and XCLAIM change a group in place; XREADGROUP names no key positions.
  { weight: 2, arbitrary: command(word('XADD'), keyArb, word('*'), word('f'), memberArb) },
  {
    weight: 2,
    arbitrary: command(
      word('XREADGROUP'),
      word('GROUP'),
      word('g'),
      fc.constantFrom('c1', 'c2'),
      word('COUNT'),
      word('1'),
      word('STREAMS'),
      keyArb,
      word('>'),
    ),
  },
  { weight: 1, arbitrary: command(word('XACK'), keyArb, word('g'), fc.constantFrom('1-0', '2-0')) },
  {
    weight: 1,
    arbitrary: command(word('XCLAIM'), keyArb, word('g'), word('c3'), word('0'), word('1-0')),
  },
  { weight: 1, arbitrary: command(word('XDEL'), keyArb, fc.constantFrom('1-0', '2-0')) },
  { weight: 1, arbitrary: command(word('XTRIM'), keyArb, word('MAXLEN'), word('1')) },
  {
    weight: 2,
    arbitrary: command(word('PEXPIRE'), keyArb, fc.integer({ min: 1, max: 2000 }).map(String)),
  },
  { weight: 1, arbitrary: command(word('PERSIST'), keyArb) },
  { weight: 2, arbitrary: command(word('GET'), keyArb) },
  { weight: 1, arbitrary: command(word('RENAME'), keyArb, keyArb) },
  { weight: 1, arbitrary: command(word('MOVE'), keyArb, dbArb) },
  {
    weight: 1,
    arbitrary: command(word('COPY'), keyArb, keyArb, word('DB'), dbArb, word('REPLACE')),
  },
  { weight: 2, arbitrary: command(word('SELECT'), dbArb) },
  { weight: 1, arbitrary: command(word('FLUSHDB')) },
  { weight: 1, arbitrary: command(word('RPUSH'), word(BLOCK_SOURCE), memberArb) },
  { weight: 1, arbitrary: command(word('FLUSHALL')) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 1500 }).map((ms) => ({ kind: 'wall-jump' as const, ms })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'cron' as const }) },
);

interface Scenario {
  readonly seed: number;
  readonly entries: readonly Entry[];
  readonly blockDestination: { readonly db: number; readonly key: string };
  readonly slice: number;
  readonly ops: readonly (readonly [Op, number])[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  entries: fc.array(entryArb, { minLength: 5, maxLength: 40 }),
  blockDestination: fc.record({ db: fc.integer({ min: 0, max: DB_COUNT - 1 }), key: keyArb }),
  slice: fc.integer({ min: 1, max: 3 }),
  // Each op comes with how many world events run after it is sent.
  ops: fc.array(fc.tuple(opArb, fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 60 }),
});

// --- The property ----------------------------------------------------------------------------

function runScenario(scenario: Scenario): void {
  const sim = startSimServer({
    seed: scenario.seed,
    options: ['--save', ''],
    network: { latencyMsMin: 0, latencyMsMax: 0 },
  });
  const { world, node, host } = sim;
  const client = SimClient.open(world, world.addHost('client', '10.0.0.2'));
  const blocker = SimClient.open(world, world.addHost('blocker', '10.0.0.3'));
  // The dataset, then a list at the BLMOVE destination (so serving it changes a snapshotted key).
  const setup = scenario.entries.flatMap(createCommands);
  const destination = scenario.blockDestination;
  setup.push(['SELECT', String(destination.db)], ['DEL', destination.key, BLOCK_SOURCE]);
  setup.push(['RPUSH', destination.key, 'first'], ['SELECT', '0']);
  client.pipeline(setup);
  client.read(setup.length, 5000);
  blocker.pipeline([
    ['SELECT', String(destination.db)],
    ['BLMOVE', BLOCK_SOURCE, destination.key, 'LEFT', 'RIGHT', '0'],
  ]);
  blocker.read(1);
  runUntil(world, () => node.blocking.blockedCount === 1, 1000);

  let captured: CanonicalDataset | undefined;
  let flushedDuringSave = false;
  const persistence = node.persistence;
  const startBgsave = persistence.startBgsave.bind(persistence);
  persistence.startBgsave = (reason) => {
    captured = captureDataset(node.databases);
    return startBgsave(reason);
  };
  const abortBgsave = persistence.abortBgsave.bind(persistence);
  persistence.abortBgsave = () => {
    if (persistence.bgsaveInProgress) flushedDuringSave = true;
    abortBgsave();
  };
  persistence.sliceBudget = { keysMax: scenario.slice, bytesMax: 512, msMax: 1 };

  client.pipeline([['BGSAVE']]);
  let sent = 1;
  let wallSkewMs = 0;
  for (const [op, steps] of scenario.ops) {
    if (op.kind === 'command') {
      client.pipeline([[...op.argv]]);
      sent++;
    } else if (op.kind === 'wall-jump') {
      wallSkewMs += op.ms;
      host.setWallSkew(wallSkewMs);
    } else {
      world.runFor(100);
    }
    for (let i = 0; i < steps; i++) world.step();
  }
  client.read(sent, 60_000);
  expect(runUntil(world, () => !persistence.bgsaveInProgress, 60_000)).toBe(true);
  expect(captured, 'BGSAVE started').toBeDefined();
  // A stopped BGSAVE removes its temp file with disk operations still in flight: let them finish.
  world.runFor(100);
  const temps = host.disk.listSync('/')?.filter((name) => name.startsWith('temp-'));
  expect(temps).toEqual([]);
  const dump = host.disk.readDurableFileSync('/dump.rdb');
  if (flushedDuringSave && dump === undefined) return;
  // A FLUSHALL that lands while the finished file's rename is already on its way to the disk
  // cannot stop it (nor can Redis's kill of a child that has renamed): then the dump is the
  // complete snapshot, and it must still be exactly the start instant's dataset.
  expect(dump).toBeDefined();
  expect(persistence.lastBgsaveOk).toBe(true);
  expect(datasetFromDump(dump ?? new Uint8Array())).toEqual(captured);
}

describe('BGSAVE is point-in-time', () => {
  it('writes exactly the dataset of its start instant, whatever runs meanwhile', () => {
    const property: fc.IProperty<[Scenario]> = fc.property(scenarioArb, (scenario) => {
      runScenario(scenario);
    });
    // fc.check, not fc.assert: the property is synchronous, and the report names seed and path.
    const seed = process.env[SEED_VARIABLE];
    const path = process.env[PATH_VARIABLE];
    const details = fc.check(property, {
      numRuns: RUNS,
      ...(seed === undefined ? {} : { seed: Number(seed) }),
      ...(path === undefined ? {} : { path }),
    });
    if (details.failed) {
      throw new Error(`${fc.defaultReportMessage(details)}\nGot: ${String(details.errorInstance)}`);
    }
  });
});
