/**
 * Random keyspaces for the RDB codec's tests (fast-check), shared by the package's property tests
 * and the interop test against real Redis: every value type, with sizes and contents chosen
 * around each encoding threshold (int-encoded strings at the INT8/16/32 limits, 20/21-byte and
 * LZF-compressible strings, 63/64/16383/16384-byte lengths, intsets at each integer width, hashes
 * and zsets at the listpack limits, lists across 8 KB quicklist nodes), binary keys, expiries and
 * several dbs.
 *
 * With `redisEncodings` every collection gets the encoding Redis 7.0 would pick for it when
 * loading (set-max-intset-entries 512, hash-max-listpack 512/64, zset-max-listpack 128/64), so a
 * real server's OBJECT ENCODING can be compared; without it encodings are drawn at random, and
 * empty collections (which the reader must skip) may appear.
 *
 * `normalized` puts a written value and a read one in the same comparable shape (members and
 * fields sorted, bytes as hex), since set and hash order is not part of the format's contract.
 */
import {
  type RdbHeader,
  RdbReader,
  type RdbRecord,
  type RdbValueIn,
  type RdbValueOut,
  RdbWriter,
} from '@replisim/protocol';
import fc from 'fast-check';

export interface DatasetKey {
  readonly key: string;
  readonly value: RdbValueIn;
  readonly expireMs?: number;
}

export interface DatasetDb {
  readonly db: number;
  readonly keys: readonly DatasetKey[];
}

/** Non-empty dbs in ascending id order, as a snapshot lists them. */
export type Dataset = readonly DatasetDb[];

export interface DatasetOptions {
  /** Encodings as Redis 7.0 would choose them; no empty collections; expiries in the future. */
  readonly redisEncodings: boolean;
  /** Upper bound on keys per db. */
  readonly keysMax?: number;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

const INT_EDGES = [
  '0',
  '-1',
  '127',
  '128',
  '-128',
  '-129',
  '32767',
  '32768',
  '-32768',
  '-32769',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9223372036854775807',
  '-9223372036854775808',
  '01',
  '-0',
  '+1',
];

/** Integers at intset width limits (int16, int32, int64). */
const intsetMemberArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -40000, max: 40000 }).map(String),
  fc.constantFrom('32767', '32768', '-32768', '-32769', '2147483647', '2147483648', '-2147483649'),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);

const byteStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 12 }).map(latin1) },
  { weight: 2, arbitrary: fc.constantFrom(...INT_EDGES) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 19, maxLength: 23 }).map(latin1) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 6, max: 40 }))
      .map(([unit, times]) => latin1(Buffer.from(unit.repeat(times), 'latin1'))),
  },
);

const bigStringArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(63, 64, 65, 16383, 16384), fc.boolean(), fc.integer())
  .map(([length, compressible, seed]) => {
    const bytes = Buffer.alloc(length, 0x61);
    if (!compressible) for (let i = 0; i < length; i++) bytes[i] = (seed + i * 2654435761) >>> 24;
    return bytes.toString('latin1');
  });

const valueStringArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: byteStringArb },
  { weight: 1, arbitrary: bigStringArb },
);

const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }).map((text) => latin1(Buffer.from(text, 'latin1'))),
  fc.uint8Array({ minLength: 0, maxLength: 10 }).map(latin1),
  fc.constantFrom('123', '-5', '01', 'key'),
);

const scoreArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(0.1, 2.5, -0, 1e17, 2 ** 53, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  // Around d2string's integer range (|score| <= 2^62 prints as an integer).
  fc.constantFrom(2 ** 62, -(2 ** 62), 2 ** 62 + 1024, -(2 ** 62) - 1024, 1e19, 2 ** 63),
);

const buffer = (text: string): Buffer => Buffer.from(text, 'latin1');

function isCanonicalInt64(text: string): boolean {
  if (!/^-?(0|[1-9]\d*)$/.test(text) || text === '-0') return false;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

const fits = (text: string): boolean => text.length <= 64;

function listArb(options: DatasetOptions): fc.Arbitrary<RdbValueIn> {
  const small = fc.array(valueStringArb, {
    minLength: options.redisEncodings ? 1 : 0,
    maxLength: 8,
  });
  const acrossNodes = fc
    .tuple(fc.integer({ min: 60, max: 250 }), fc.integer({ min: 40, max: 160 }))
    .map(([count, size]) => Array.from({ length: count }, (_, i) => `${i}:${'x'.repeat(size)}`));
  const withHuge = fc
    .tuple(small, fc.integer({ min: 8100, max: 9000 }))
    .map(([items, size]) => [...items, 'h'.repeat(size), ...items]);
  return fc
    .oneof({ weight: 4, arbitrary: small }, { weight: 1, arbitrary: acrossNodes }, withHuge)
    .map((elements) => ({ type: 'list', size: elements.length, elements: elements.map(buffer) }));
}

function setArb(options: DatasetOptions): fc.Arbitrary<RdbValueIn> {
  const minLength = options.redisEncodings ? 1 : 0;
  const ints = fc.uniqueArray(intsetMemberArb, { minLength, maxLength: 20 });
  const manyInts = fc
    .integer({ min: 510, max: 515 })
    .map((count) => Array.from({ length: count }, (_, i) => String(i * 7 - 100)));
  const strings = fc.uniqueArray(byteStringArb, { minLength, maxLength: 12 });
  return fc
    .tuple(fc.oneof(ints, strings, manyInts), fc.boolean())
    .map(([members, intsetWanted]): RdbValueIn => {
      // Redis never writes an empty intset (the loader would call it corrupt).
      const intsetPossible = members.length > 0 && members.every(isCanonicalInt64);
      const intset = options.redisEncodings
        ? intsetPossible && members.length <= 512
        : intsetPossible && intsetWanted;
      return {
        type: 'set',
        encoding: intset ? 'intset' : 'hashtable',
        size: members.length,
        members,
      };
    });
}

function hashArb(options: DatasetOptions): fc.Arbitrary<RdbValueIn> {
  const minLength = options.redisEncodings ? 1 : 0;
  const few = fc.uniqueArray(fc.tuple(byteStringArb, valueStringArb), {
    minLength,
    maxLength: 12,
    selector: ([field]) => field,
  });
  // Around hash-max-listpack-entries (512).
  const many = fc
    .integer({ min: 510, max: 515 })
    .map((count) =>
      Array.from({ length: count }, (_, i) => [`f${i}`, String(i)] as [string, string]),
    );
  return fc
    .tuple(fc.oneof({ weight: 6, arbitrary: few }, many), fc.boolean())
    .map(([pairs, listpackWanted]): RdbValueIn => {
      const small = pairs.length <= 512 && pairs.every(([f, v]) => fits(f) && fits(v));
      const listpack = options.redisEncodings ? small : listpackWanted;
      return {
        type: 'hash',
        encoding: listpack ? 'listpack' : 'hashtable',
        size: pairs.length,
        entries: pairs.map(([field, value]) => [field, buffer(value)] as const),
      };
    });
}

function zsetArb(options: DatasetOptions): fc.Arbitrary<RdbValueIn> {
  const minLength = options.redisEncodings ? 1 : 0;
  const few = fc.uniqueArray(fc.tuple(valueStringArb, scoreArb), {
    minLength,
    maxLength: 12,
    selector: ([member]) => member,
  });
  const many = fc
    .integer({ min: 126, max: 131 })
    .map((count) => Array.from({ length: count }, (_, i) => [`m${i}`, i / 3] as [string, number]));
  return fc
    .tuple(fc.oneof({ weight: 4, arbitrary: few }, many), fc.boolean())
    .map(([pairs, listpackWanted]): RdbValueIn => {
      const entries = pairs
        .map(([member, score]) => ({ member, score }))
        .sort(
          (a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0),
        );
      const small = entries.length <= 128 && entries.every((entry) => fits(entry.member));
      const listpack = options.redisEncodings ? small : listpackWanted;
      return {
        type: 'zset',
        encoding: listpack ? 'listpack' : 'skiplist',
        size: entries.length,
        entries,
      };
    });
}

function valueArb(options: DatasetOptions): fc.Arbitrary<RdbValueIn> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: valueStringArb.map((value) => ({ type: 'string', value: buffer(value) }) as const),
    },
    { weight: 1, arbitrary: listArb(options) },
    { weight: 1, arbitrary: setArb(options) },
    { weight: 1, arbitrary: hashArb(options) },
    { weight: 1, arbitrary: zsetArb(options) },
  );
}

export function datasetArb(options: DatasetOptions): fc.Arbitrary<Dataset> {
  // Future expiries for Redis (a master drops expired keys when loading); any for the codec.
  const expireArb = options.redisEncodings
    ? fc.integer({ min: 4_000_000_000_000, max: 5_000_000_000_000 })
    : fc.integer({ min: 0, max: 2 ** 50 });
  const keyEntryArb = fc.record(
    { key: keyArb, value: valueArb(options), expireMs: fc.option(expireArb, { nil: undefined }) },
    { requiredKeys: ['key', 'value'] },
  );
  const dbArb = fc
    .tuple(
      fc.integer({ min: 0, max: 15 }),
      fc.uniqueArray(keyEntryArb, {
        minLength: 1,
        maxLength: options.keysMax ?? 8,
        selector: (entry) => entry.key,
      }),
    )
    .map(
      ([db, keys]): DatasetDb => ({
        db,
        keys: keys.map((entry) =>
          entry.expireMs === undefined
            ? { key: entry.key, value: entry.value }
            : { key: entry.key, value: entry.value, expireMs: entry.expireMs },
        ),
      }),
    );
  return fc
    .uniqueArray(dbArb, { minLength: 1, maxLength: 3, selector: (db) => db.db })
    .map((dbs) => [...dbs].sort((a, b) => a.db - b.db));
}

export interface WriteDatasetOptions {
  readonly compression: boolean;
  readonly checksum: boolean;
  /** The aux fields; by default Redis 7.0.15's version with a fixed ctime and used-mem. */
  readonly header?: RdbHeader;
}

const DEFAULT_HEADER: RdbHeader = {
  redisVersion: '7.0.15',
  ctimeSeconds: 1_700_000_000,
  usedMemory: 1_000_000,
};

/** The dataset as an RDB file (dbs in the order given, each with its key and expiry counts). */
export function writeDataset(dataset: Dataset, options: WriteDatasetOptions): Buffer {
  const writer = new RdbWriter({ compression: options.compression, checksum: options.checksum });
  const chunks: Buffer[] = [];
  writer.header(options.header ?? DEFAULT_HEADER);
  for (const { db, keys } of dataset) {
    const expires = keys.filter((entry) => entry.expireMs !== undefined).length;
    writer.selectDb(db, keys.length, expires);
    for (const entry of keys) {
      writer.key(entry.key, entry.value, entry.expireMs);
      if (writer.pendingBytes > 4096) chunks.push(writer.take());
    }
  }
  writer.finish();
  chunks.push(writer.take());
  return Buffer.concat(chunks);
}

/** Feeds `bytes` to a reader in the given chunk sizes (cycled) and collects every record. */
export function readAll(
  bytes: Uint8Array,
  chunkSizes: readonly number[] = [bytes.length],
): RdbRecord[] {
  const reader = new RdbReader();
  const records: RdbRecord[] = [];
  let offset = 0;
  let turn = 0;
  while (offset < bytes.length) {
    const size = Math.max(1, chunkSizes[turn++ % chunkSizes.length] ?? 1);
    reader.push(bytes.subarray(offset, offset + size));
    offset += size;
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      records.push(record);
    }
  }
  reader.end();
  for (let record = reader.next(); record !== undefined; record = reader.next())
    records.push(record);
  if (!reader.done) throw new Error('reader not done after end()');
  return records;
}

export type NormalizedValue =
  | { type: 'string'; value: string }
  | { type: 'list'; elements: string[] }
  | { type: 'set'; members: string[] }
  | { type: 'hash'; entries: [string, string][] }
  | { type: 'zset'; entries: [string, number][] }
  | { type: 'stream'; entries: [string, string[]][]; groups: string[] };

const hex = (bytes: string | Uint8Array): string =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes)).toString('hex');

const byKey = <T extends readonly [string, unknown]>(a: T, b: T): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/** A value in a shape where equal contents compare equal (see the module doc). */
export function normalized(value: RdbValueIn | RdbValueOut): NormalizedValue {
  switch (value.type) {
    case 'string':
      return { type: 'string', value: hex(value.value) };
    case 'list':
      return { type: 'list', elements: [...value.elements].map(hex) };
    case 'set':
      return { type: 'set', members: [...value.members].map(hex).sort() };
    case 'hash':
      return {
        type: 'hash',
        entries: [...value.entries].map(([f, v]): [string, string] => [hex(f), hex(v)]).sort(byKey),
      };
    case 'zset':
      return {
        type: 'zset',
        entries: [...value.entries]
          .map((entry): [string, number] => [hex(entry.member), entry.score])
          .sort(byKey),
      };
    case 'stream':
      return {
        type: 'stream',
        entries: value.nodes.flatMap((node) =>
          node.entries
            .filter((entry) => !entry.deleted)
            .map((entry): [string, string[]] => [String(entry.id), entry.fields.map(hex)]),
        ),
        groups: value.meta.groups.map((group) => hex(group.name)),
      };
  }
}

/** True when a value holds nothing (the reader skips such keys, as Redis does). */
export function isEmptyValue(value: RdbValueIn): boolean {
  return value.type !== 'string' && value.type !== 'stream' && value.size === 0;
}

/** db -> key -> normalized value and expiry, for whole-keyspace comparisons. */
export type KeyspaceView = Record<
  number,
  Record<string, { value: NormalizedValue; expireMs?: number }>
>;

/** The per-db map inside a db-keyed record, created on first use. */
export function dbEntry<T>(byDb: Record<number, Record<string, T>>, db: number): Record<string, T> {
  let entry = byDb[db];
  if (entry === undefined) {
    entry = {};
    byDb[db] = entry;
  }
  return entry;
}

export function expectedView(dataset: Dataset): KeyspaceView {
  const view: KeyspaceView = {};
  for (const { db, keys } of dataset) {
    for (const entry of keys) {
      if (isEmptyValue(entry.value)) continue;
      const dbView = dbEntry(view, db);
      dbView[hex(entry.key)] =
        entry.expireMs === undefined
          ? { value: normalized(entry.value) }
          : { value: normalized(entry.value), expireMs: entry.expireMs };
    }
  }
  return view;
}

export function recordsView(records: readonly RdbRecord[]): KeyspaceView {
  const view: KeyspaceView = {};
  for (const record of records) {
    if (record.kind !== 'key') continue;
    const dbView = dbEntry(view, record.db);
    dbView[hex(record.key)] =
      record.expireMs === undefined
        ? { value: normalized(record.value) }
        : { value: normalized(record.value), expireMs: record.expireMs };
  }
  return view;
}
