/**
 * Differential test of maxmemory against redis-server 7.0.15: the OOM refusals, the eviction
 * policies' effect on a replica's stream, OBJECT FREQ/IDLETIME and the configuration parameters
 * must be byte-identical.
 *
 * Method: both servers run the same scripts one command at a time (expectSamePropagation: same
 * replies, then the same propagated commands read from Redis as a SYNC replica and from replisim's
 * propagation stream). used_memory differs between the two (replisim estimates Redis's, see
 * docs/maxmemory.md), so the scripts use `maxmemory 1`, which both exceed whatever their estimate:
 * under noeviction every denyoom command is refused and nothing else; under an eviction policy the
 * eligible keys all go (one key per case, so the order of DELs cannot differ) and then writes are
 * refused. Each script restores `maxmemory 0` and noeviction before its closing `SET done 1`.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { useServerPair } from './support/server-pair.js';

type Argv = readonly string[];

const RESET: readonly Argv[] = [
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
  ['SET', 'done', '1'],
];

/** Writes with and without Redis's denyoom flag, each on keys that exist or not. */
const WRITES: readonly Argv[] = [
  ['SET', 's', '1'],
  ['SETNX', 's', '1'],
  ['SETEX', 's', '10', '1'],
  ['PSETEX', 's', '10000', '1'],
  ['MSET', 's', '1', 't', '2'],
  ['MSETNX', 'u', '1'],
  ['GETSET', 'str', 'x'],
  ['APPEND', 'str', 'x'],
  ['SETRANGE', 'str', '1', 'x'],
  ['INCR', 'num'],
  ['DECRBY', 'num', '2'],
  ['INCRBYFLOAT', 'num', '1.5'],
  ['GETDEL', 'str'],
  ['GETEX', 'num', 'PERSIST'],
  ['LPUSH', 'list', 'a'],
  ['RPUSHX', 'list', 'a'],
  ['LINSERT', 'list', 'BEFORE', 'a', 'b'],
  ['LSET', 'list', '0', 'z'],
  ['LPOP', 'list'],
  ['LMOVE', 'list', 'list2', 'LEFT', 'RIGHT'],
  ['RPOPLPUSH', 'list', 'list2'],
  ['SADD', 'set', 'a'],
  ['SREM', 'set', 'a'],
  ['SMOVE', 'set', 'set2', 'a'],
  ['SUNIONSTORE', 'set3', 'set'],
  ['SINTERSTORE', 'set3', 'set'],
  ['SDIFFSTORE', 'set3', 'set'],
  ['HSET', 'hash', 'f', 'v'],
  ['HSETNX', 'hash', 'g', 'v'],
  ['HMSET', 'hash', 'f', 'v'],
  ['HINCRBY', 'hash', 'n', '1'],
  ['HINCRBYFLOAT', 'hash', 'n', '1'],
  ['HDEL', 'hash', 'f'],
  ['ZADD', 'zset', '1', 'a'],
  ['ZINCRBY', 'zset', '1', 'a'],
  ['ZREM', 'zset', 'a'],
  ['ZUNIONSTORE', 'z2', '1', 'zset'],
  ['ZINTERSTORE', 'z2', '1', 'zset'],
  ['ZDIFFSTORE', 'z2', '1', 'zset'],
  ['ZRANGESTORE', 'z2', 'zset', '0', '-1'],
  ['ZPOPMIN', 'zset'],
  ['COPY', 'str', 'str2'],
  ['RENAME', 'str', 'str3'],
  ['EXPIRE', 'str', '100'],
  ['PERSIST', 'str'],
  ['MOVE', 'str', '1'],
  ['DEL', 'str'],
  ['UNLINK', 'num'],
];

const NOEVICTION: readonly Argv[] = [
  ['SET', 'str', 'hello'],
  ['SET', 'num', '10'],
  ['RPUSH', 'list', 'a', 'b'],
  ['SADD', 'set', 'a', 'b'],
  ['HSET', 'hash', 'f', 'v', 'n', '1'],
  ['ZADD', 'zset', '1', 'a', '2', 'b'],
  ['CONFIG', 'SET', 'maxmemory', '1'],
  ...WRITES,
  ['GET', 'num'],
  ['DBSIZE'],
  ['PING'],
  // In MULTI everything but EXEC DISCARD QUIT RESET is refused: EXEC then aborts.
  ['MULTI'],
  ['GET', 'num'],
  ['PING'],
  ['EXEC'],
  ['MULTI'],
  ['DISCARD'],
  ...RESET,
];

const ALLKEYS_LRU: readonly Argv[] = [
  ['SET', 'a', '1'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
  ['CONFIG', 'SET', 'maxmemory', '1'],
  ['DBSIZE'],
  ['SET', 'b', '1'],
  ['GET', 'a'],
  ...RESET,
];

const VOLATILE: readonly Argv[] = [
  ['SET', 'persistent', '1'],
  ['SET', 'volatile', '1', 'PX', '100000'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru'],
  ['CONFIG', 'SET', 'maxmemory', '1'],
  ['DBSIZE'],
  ['EXISTS', 'volatile'],
  ['GET', 'persistent'],
  ['SET', 'x', '1'],
  ['SET', 'volatile2', '1', 'PX', '100000'],
  ...RESET,
];

/** One key is evicted by the next command (not by CONFIG SET), for each remaining policy. */
function evictOne(policy: string): readonly Argv[] {
  return [
    ['SET', 'k', '1', 'EX', '1000'],
    ['CONFIG', 'SET', 'maxmemory-policy', policy],
    ['SELECT', '2'],
    ['CONFIG', 'SET', 'maxmemory', '1'],
    ['SELECT', '0'],
    ['EXISTS', 'k'],
    ['APPEND', 'k', 'x'],
    ...RESET,
  ];
}

/** DUMP of the string "hello" (RDB 10), as Redis 7.0.15 produces it. */
const HELLO = Buffer.from('000568656c6c6f0a006372df766534200a', 'hex');

const OBJECT: readonly (readonly (string | Buffer)[])[] = [
  ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
  ['SET', 'k', 'v'],
  ['OBJECT', 'FREQ', 'k'],
  ['GET', 'k'],
  ['OBJECT', 'FREQ', 'k'],
  ['OBJECT', 'FREQ', 'missing'],
  ['OBJECT', 'IDLETIME', 'k'],
  // RESTORE's FREQ counts under an LFU policy, its IDLETIME under any other.
  ['RESTORE', 'r1', '0', HELLO, 'FREQ', '42'],
  ['OBJECT', 'FREQ', 'r1'],
  ['RESTORE', 'r2', '0', HELLO, 'IDLETIME', '1000'],
  ['OBJECT', 'FREQ', 'r2'],
  // With lfu-log-factor 0 every access counts: RENAME, MOVE and SET keep the object's counter.
  ['CONFIG', 'SET', 'lfu-log-factor', '0'],
  ['GET', 'k'],
  ['GET', 'k'],
  ['RENAME', 'k', 'k2'],
  ['OBJECT', 'FREQ', 'k2'],
  ['MOVE', 'k2', '1'],
  ['SELECT', '1'],
  ['OBJECT', 'FREQ', 'k2'],
  ['SET', 'k2', 'new'],
  ['OBJECT', 'FREQ', 'k2'],
  ['COPY', 'k2', 'k3'],
  ['OBJECT', 'FREQ', 'k3'],
  ['FLUSHDB'],
  ['SELECT', '0'],
  ['CONFIG', 'SET', 'lfu-log-factor', '10'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
  ['SET', 'j', 'v'],
  ['OBJECT', 'IDLETIME', 'j'],
  ['OBJECT', 'FREQ', 'j'],
  ['RESTORE', 'r3', '0', HELLO, 'IDLETIME', '1000'],
  ['OBJECT', 'IDLETIME', 'r3'],
  ['RESTORE', 'r4', '0', HELLO, 'FREQ', '7'],
  ['OBJECT', 'IDLETIME', 'r4'],
  ...RESET,
];

/**
 * The parameters, by name: `maxmemory*` would also match maxmemory-clients (not implemented), and
 * Redis orders a pattern's matches by its dict, whose hash seed changes with every process.
 */
const PARAMETERS = [
  'maxmemory',
  'maxmemory-policy',
  'maxmemory-samples',
  'maxmemory-eviction-tenacity',
  'lfu-log-factor',
  'lfu-decay-time',
] as const;

const CONFIG: readonly Argv[] = [
  ...PARAMETERS.map((name) => ['CONFIG', 'GET', name]),
  ['CONFIG', 'GET', 'replica-ignore-maxmemory'],
  ['CONFIG', 'GET', 'slave-ignore-maxmemory'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'foo'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LFU'],
  ['CONFIG', 'GET', 'maxmemory-policy'],
  ['CONFIG', 'SET', 'maxmemory-samples', '0'],
  ['CONFIG', 'SET', 'maxmemory-samples', '64'],
  ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '101'],
  ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '20'],
  ['CONFIG', 'SET', 'lfu-log-factor', '-1'],
  ['CONFIG', 'SET', 'lfu-decay-time', 'x'],
  ['CONFIG', 'SET', 'maxmemory', '-1'],
  ['CONFIG', 'SET', 'maxmemory', '1x'],
  ['CONFIG', 'SET', 'maxmemory', '99999999999999999999'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['CONFIG', 'SET', 'maxmemory', '2gb'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['CONFIG', 'SET', 'replica-ignore-maxmemory', 'maybe'],
  ...PARAMETERS.map((name) => ['CONFIG', 'GET', name]),
  ['CONFIG', 'SET', 'maxmemory-samples', '5', 'maxmemory-eviction-tenacity', '10'],
  ['CONFIG', 'SET', 'lfu-log-factor', '10', 'lfu-decay-time', '1'],
  ...RESET,
];

describe('maxmemory against redis-server 7.0.15', () => {
  const servers = useServerPair();

  it('noeviction refuses exactly the denyoom commands, and everything queued in MULTI', async () => {
    const streams = await expectSamePropagation(servers(), NOEVICTION);
    expect(streams.redis.some((argv) => argv[0] === 'DEL')).toBe(true);
  });

  it('allkeys-lru evicts at CONFIG SET and propagates a plain DEL, then refuses', async () => {
    const streams = await expectSamePropagation(servers(), ALLKEYS_LRU);
    expect(streams.redis.map((argv) => argv.join(' '))).toContain('DEL a');
  });

  it('volatile-lru evicts only the key with a TTL', async () => {
    const streams = await expectSamePropagation(servers(), VOLATILE);
    expect(streams.redis.map((argv) => argv.join(' '))).toContain('DEL volatile');
  });

  for (const policy of [
    'allkeys-lfu',
    'allkeys-random',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
  ]) {
    it(`${policy} evicts before the next command runs`, async () => {
      const streams = await expectSamePropagation(servers(), evictOne(policy));
      expect(streams.redis.map((argv) => argv.join(' '))).toContain('DEL k');
    });
  }

  it('OBJECT FREQ and IDLETIME follow the policy', async () => {
    await expectSamePropagation(servers(), OBJECT);
  });

  it('parses and shows the maxmemory parameters as Redis does', async () => {
    await expectSamePropagation(servers(), CONFIG);
  });

  it('reports the maxmemory fields of INFO memory as Redis does', async () => {
    const fields = async (port: number): Promise<string[]> => {
      const client = await RawClient.connect(port);
      try {
        await client.call('CONFIG', 'SET', 'maxmemory', '3mb', 'maxmemory-policy', 'volatile-ttl');
        const text = (await client.call('INFO', 'memory')).bytes.toString('latin1');
        await client.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction');
        return text.split('\r\n').filter((line) => line.startsWith('maxmemory'));
      } finally {
        client.close();
      }
    };
    const { ports } = servers();
    expect(await fields(ports.replisim)).toEqual(await fields(ports.redis));
  });
});
