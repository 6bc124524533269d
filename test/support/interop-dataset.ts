/**
 * The dataset the interop tests against real redis-server 7.0.15 build through commands: every
 * type and encoding a snapshot or a full sync must carry (int, embstr, raw and LZF-compressible
 * strings, small and multi-node lists, intset and hashtable sets, listpack and hashtable hashes,
 * listpack and skiplist sorted sets with an infinite score, streams over several nodes with
 * tombstones and a consumer group with pending entries, TTLs on a string and on a hash, sparse
 * and dense HyperLogLogs, a GEO index) across
 * three databases. persistence-interop (a dump both ways), replication-master-interop (Redis
 * replicating from replisim) and replication-replica-interop (replisim replicating from Redis) all
 * build this one, so each direction is judged on the same data.
 *
 * Deadlines are an hour after the module loads: far enough that nothing expires during a test.
 */

/** The databases the dataset fills, in ascending order. */
export const INTEROP_DATABASES: readonly number[] = [0, 1, 5];

const FAR_FUTURE_MS = Date.now() + 3_600_000;

/** Per database (ascending), the commands that build it; a fresh copy on every call. */
export function interopDataset(): Map<number, string[][]> {
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
  const bigSet = ['SADD', 'set:bigints'];
  for (let i = 0; i < 600; i++) bigSet.push(String(i * 7));
  const bigZset = ['ZADD', 'zset:big'];
  for (let i = 0; i < 200; i++) bigZset.push(String(i / 3), `member-${i}`);
  const bigHash = ['HSET', 'hash:big'];
  for (let i = 0; i < 600; i++) bigHash.push(`field-${i}`, String(i));
  db0.push(bigList, bigSet, bigZset, bigHash);
  // HyperLogLogs are strings (sparse, dense with a cached count) and GEO indexes sorted sets: they
  // must cross as those, byte for byte.
  const denseHll = ['PFADD', 'hll:dense'];
  for (let i = 0; i < 3000; i++) denseHll.push(`e${i}`);
  db0.push(
    // Over 44 bytes, so raw after a load too (a loaded short string is embstr, in Redis as here).
    ['PFADD', 'hll:sparse', ...Array.from({ length: 20 }, (_, i) => `s${i}`)],
    denseHll,
    ['PFCOUNT', 'hll:dense'],
    [
      'GEOADD',
      'geo:index',
      '13.361389',
      '38.115556',
      'Palermo',
      '15.087269',
      '37.502669',
      'Catania',
    ],
  );
  // Streams: 250 entries span three nodes; a deleted entry stays as a tombstone; the group's
  // pending entries and consumer travel with the stream (DEBUG DIGEST covers only the entries).
  for (let i = 1; i <= 250; i++) {
    db0.push(['XADD', 'stream:big', `${i}-${i % 2}`, 'field', `value-${i}`, 'n', String(i)]);
  }
  db0.push(
    ['XDEL', 'stream:big', '7-1'],
    ['XADD', 'stream:small', '1-0', 'f', 'v', 'bin', '\u0000\u00ff'],
    ['XGROUP', 'CREATE', 'stream:small', 'group', '0'],
    ['XREADGROUP', 'GROUP', 'group', 'consumer', 'STREAMS', 'stream:small', '>'],
    ['XGROUP', 'CREATE', 'stream:empty', 'group', '$', 'MKSTREAM'],
  );
  return new Map([
    [0, db0],
    [
      1,
      [
        ['SET', 'db1:key', 'one'],
        ['LPUSH', 'db1:list', 'x'],
      ],
    ],
    [5, [['SET', 'db5:key', 'five', 'PXAT', String(FAR_FUTURE_MS + 2)]]],
  ]);
}

/** The dataset as one script: each database's commands after its SELECT, then SELECT 0. */
export function interopDatasetScript(): string[][] {
  const script: string[][] = [];
  for (const [db, commands] of interopDataset()) script.push(['SELECT', String(db)], ...commands);
  script.push(['SELECT', '0']);
  return script;
}
