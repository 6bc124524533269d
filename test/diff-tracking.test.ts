/**
 * Differential test of client-side caching (CLIENT TRACKING): replisim must send the same
 * invalidations, in the same place in each connection's stream, as Redis 7.0.15.
 *
 * Method: one real redis-server and one replisim node; each script drives three connections per
 * server (a tracking client, a writer, a redirect target) through test/support/tracking-diff.ts,
 * which compares every byte each connection receives after every step, invalidation pushes and
 * Pub/Sub messages included, plus the tracking_* INFO counters and CLIENT LIST's t/R/B flags where
 * a script asks. Client ids differ between the servers and are compared by name ($id0..$id2).
 *
 * Not compared byte for byte: which keys tracking-table-max-keys evicts (Redis walks its radix
 * tree at random; replisim draws from its seeded source): that test compares how many keys go and
 * what is left.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { flushBoth, useServerPair } from './support/server-pair.js';
import {
  counters,
  flagsOf,
  hello3,
  on,
  runTrackingScript,
  sleep,
  type TrackingScript,
  withIds,
} from './support/tracking-diff.js';

const SCRIPTS: readonly TrackingScript[] = [
  {
    name: 'default mode: reads are remembered, the first change invalidates, once',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      flagsOf(0),
      on(0, 'GET', 'a'),
      on(0, 'MGET', 'b', 'c'),
      on(0, 'EXISTS', 'd', 'e'),
      counters,
      on(1, 'SET', 'a', '1'),
      on(1, 'SET', 'a', '2'),
      on(1, 'MSET', 'c', '1', 'b', '1', 'zz', '1'),
      on(1, 'DEL', 'd', 'e'),
      on(0, 'GET', 'a'),
      on(1, 'LPUSH', 'l', 'x'),
      on(0, 'GET', 'l'),
      on(0, 'LRANGE', 'l', '0', '-1'),
      on(1, 'RPUSH', 'l', 'y'),
      on(0, 'TYPE', 'a'),
      on(1, 'SELECT', '1'),
      on(1, 'SET', 'a', 'other db, same name'),
      on(0, 'GET', 'r1'),
      on(0, 'GET', 'r2'),
      on(1, 'SELECT', '0'),
      on(1, 'SET', 'r1', 'x'),
      on(1, 'RENAME', 'r1', 'r2'),
      on(0, 'GET', 'w'),
      on(1, 'SWAPDB', '0', '1'),
      on(1, 'SET', 'w', '1'),
      counters,
      on(0, 'CLIENT', 'TRACKINGINFO'),
      withIds(0, 'CLIENT', 'GETREDIR'),
    ],
  },
  {
    name: 'the tracking client changes keys itself: the invalidation follows the reply',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(0, 'GET', 'a'),
      on(0, 'SET', 'a', '1'),
      on(0, 'GET', 'a'),
      on(0, 'INCR', 'a'),
      on(0, 'GET', 'a'),
      on(0, 'MULTI'),
      on(0, 'SET', 'a', '3'),
      on(0, 'GET', 'a'),
      on(0, 'SET', 'a', '4'),
      on(0, 'EXEC'),
      on(0, 'GET', 'b'),
      on(0, 'EVAL', "redis.call('set', KEYS[1], '1') return 5", '1', 'b'),
      on(0, 'GET', 'c'),
      on(0, 'LPUSH', 'c', 'x'),
      on(0, 'GET', 'c'),
      on(0, 'FLUSHDB'),
      on(0, 'GET', 'c'),
      on(0, 'FLUSHALL'),
      counters,
    ],
  },
  {
    name: 'script reads remember the keys the script declared',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(0, 'EVAL', "redis.call('get', 'inner') return 1", '2', 'k1', 'k2'),
      on(0, 'EVAL', "redis.call('ping') return 1", '1', 'k3'),
      on(0, 'EVAL_RO', "return redis.call('get', KEYS[1])", '1', 'k4'),
      on(0, 'EVAL', "return redis.call('get', 'k5')", '0'),
      counters,
      on(1, 'MSET', 'inner', '1', 'k1', '1', 'k2', '1', 'k3', '1', 'k4', '1', 'k5', '1'),
      counters,
    ],
  },
  {
    name: "NOLOOP: no invalidation for the client's own changes",
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on', 'NOLOOP'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(0, 'GET', 'a'),
      on(0, 'SET', 'a', '1'),
      on(0, 'GET', 'a'),
      on(1, 'SET', 'a', '2'),
      on(0, 'GET', 'b'),
      on(0, 'EVAL', "redis.call('set', 'b', '1')", '0'),
      on(0, 'MULTI'),
      on(0, 'GET', 'c'),
      on(0, 'SET', 'c', '1'),
      on(0, 'EXEC'),
      on(1, 'SET', 'b', '2'),
      on(1, 'SET', 'c', '2'),
    ],
  },
  {
    name: 'OPTIN and OPTOUT with CLIENT CACHING',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTIN'),
      on(0, 'GET', 'x'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(0, 'GET', 'y'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      withIds(0, 'CLIENT', 'ID'),
      on(0, 'GET', 'z'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'PING'),
      on(0, 'GET', 'w'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'MULTI'),
      on(0, 'GET', 'm1'),
      on(0, 'GET', 'm2'),
      on(0, 'EXEC'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'NOSUCHCOMMAND'),
      on(0, 'GET', 'u'),
      on(1, 'MSET', 'x', '1', 'y', '1', 'z', '1', 'w', '1', 'm1', '1', 'm2', '1', 'u', '1'),
      on(0, 'CLIENT', 'CACHING', 'no'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTOUT'),
      on(0, 'CLIENT', 'TRACKING', 'off'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTOUT'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'GET', 'x'),
      on(0, 'CLIENT', 'CACHING', 'no'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(0, 'GET', 'y'),
      on(1, 'MSET', 'x', '2', 'y', '2'),
    ],
  },
  {
    name: 'BCAST with prefixes: every change under a prefix, batched per event-loop iteration',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      flagsOf(0),
      counters,
      on(1, 'SET', 'user:1', 'x'),
      on(1, 'MSET', 'obj2', 'x', 'user:0', 'y', 'other', 'z', 'objA', '1', 'obj1', '1'),
      on(0, 'SET', 'user:5', '1'),
      on(0, 'GET', 'user:5'),
      on(1, 'DEL', 'user:5', 'nothing'),
      on(1, 'FLUSHALL'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'u'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'zz', 'PREFIX', 'z'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'a'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'new'),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(1, 'SET', 'k', '1'),
      hello3(2),
      on(2, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP', 'PREFIX', 'user:'),
      counters,
      on(1, 'SET', 'user:9', '1'),
      on(2, 'SET', 'user:8', '1'),
      on(2, 'MULTI'),
      on(2, 'SET', 'user:7', '1'),
      on(2, 'SET', 'objX', '1'),
      on(2, 'EXEC'),
      on(2, 'EVAL', "redis.call('set', 'user:6', '1')", '0'),
      on(0, 'CLIENT', 'TRACKING', 'off'),
      counters,
      on(2, 'RESET'),
      counters,
    ],
  },
  {
    name: 'REDIRECT to a RESP2 client subscribed to __redis__:invalidate, and a broken redirect',
    steps: [
      on(2, 'SUBSCRIBE', '__redis__:invalidate'),
      withIds(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id2'),
      withIds(0, 'CLIENT', 'TRACKINGINFO'),
      withIds(0, 'CLIENT', 'GETREDIR'),
      flagsOf(0),
      on(0, 'GET', 'a'),
      on(1, 'SET', 'a', '1'),
      on(0, 'GET', 'a'),
      on(0, 'SET', 'a', '2'),
      on(0, 'GET', 'b'),
      on(1, 'FLUSHALL'),
      on(0, 'GET', 'b'),
      on(2, 'QUIT'),
      on(1, 'SET', 'b', '2'),
      withIds(0, 'CLIENT', 'TRACKINGINFO'),
      flagsOf(0),
      on(0, 'GET', 'b'),
      hello3(0),
      withIds(1, 'SET', 'b', '3'),
      on(0, 'GET', 'b'),
      withIds(0, 'SET', 'b', '4'),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      flagsOf(0),
      withIds(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id1'),
      on(0, 'GET', 'c'),
      on(0, 'SET', 'c', '1'),
      on(0, 'GET', 'c'),
      on(1, 'FLUSHDB'),
    ],
  },
  {
    name: 'REDIRECT to a RESP3 client, and a RESP2 tracking client without one',
    steps: [
      hello3(2),
      withIds(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id2'),
      on(0, 'GET', 'a'),
      on(1, 'SET', 'a', '1'),
      on(0, 'GET', 'a'),
      on(1, 'FLUSHALL'),
      // The redirect client itself changes a key: the invalidation comes before its reply.
      on(0, 'GET', 'r'),
      on(2, 'SET', 'r', '1'),
      on(0, 'GET', 'r'),
      on(2, 'MULTI'),
      on(2, 'SET', 'r', '2'),
      on(2, 'EXEC'),
      on(1, 'CLIENT', 'TRACKING', 'on'),
      on(1, 'GET', 'q'),
      on(1, 'SET', 'q', '1'),
      on(0, 'SET', 'q', '2'),
      counters,
    ],
  },
  {
    name: 'errors of CLIENT TRACKING and CLIENT CACHING',
    steps: [
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'abc'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '0'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '-3'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'PREFIX'),
      withIds(0, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', '$id1', 'REDIRECT', '$id1'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'foo'),
      on(0, 'CLIENT', 'TRACKING', 'maybe'),
      on(0, 'CLIENT', 'TRACKING', 'maybe', 'BCAST'),
      on(0, 'CLIENT', 'TRACKING', 'off', 'bogus'),
      on(0, 'CLIENT', 'TRACKING'),
      on(0, 'CLIENT', 'TRACKING', 'off', 'OPTIN'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTIN'),
      on(0, 'CLIENT', 'CACHING', 'no'),
      on(0, 'CLIENT', 'CACHING', 'maybe'),
      on(0, 'CLIENT', 'CACHING'),
      on(0, 'CLIENT', 'CACHING', 'yes', 'extra'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTOUT'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'BCAST'),
      on(0, 'CLIENT', 'TRACKING', 'off'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'OPTOUT'),
      on(0, 'CLIENT', 'CACHING', 'yes'),
      on(0, 'CLIENT', 'GETREDIR', 'x'),
      on(0, 'CLIENT', 'TRACKINGINFO', 'x'),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(0, 'CLIENT', 'GETREDIR'),
    ],
  },
  {
    name: "expiry invalidates, lazily and actively; NOLOOP skips the reader's own lazy expiry",
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(1, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'),
      on(1, 'SET', 'e', '1', 'PX', '100'),
      on(0, 'GET', 'e'),
      sleep(200),
      on(1, 'GET', 'e'),
      on(1, 'SET', 'f', '1', 'PX', '100'),
      on(0, 'GET', 'f'),
      sleep(200),
      on(0, 'GET', 'f'),
      on(0, 'CLIENT', 'TRACKING', 'on', 'NOLOOP'),
      on(1, 'SET', 'g', '1', 'PX', '100'),
      on(0, 'GET', 'g'),
      sleep(200),
      on(0, 'GET', 'g'),
      on(1, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'),
      on(1, 'SET', 'h', '1', 'PX', '100'),
      on(0, 'GET', 'h'),
      sleep(500),
      counters,
    ],
  },
  {
    name: "write commands of every type invalidate what they change, in Redis's order",
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(1, 'MSET', 's1', '1', 's2', '2'),
      on(1, 'RPUSH', 'l1', 'a', 'b'),
      on(1, 'SADD', 'set1', 'a', 'b'),
      on(1, 'SADD', 'set2', 'b', 'c'),
      on(1, 'ZADD', 'z1', '1', 'a', '2', 'b'),
      on(1, 'HSET', 'h1', 'f', 'v'),
      on(1, 'XADD', 'x1', '1-1', 'f', 'v'),
      on(0, 'MGET', 's1', 's2', 'l1', 'l2', 'set1', 'set2', 'set3', 'z1', 'z2', 'h1', 'x1', 'c1'),
      on(0, 'MGET', 'd1', 'd2', 'ex1', 'gone', 'b1', 'b2', 'srt'),
      on(1, 'APPEND', 's1', 'x'),
      on(1, 'LMOVE', 'l1', 'l2', 'LEFT', 'RIGHT'),
      on(0, 'MGET', 'l1', 'l2'),
      on(1, 'RPOPLPUSH', 'l1', 'l2'),
      on(1, 'SMOVE', 'set1', 'set2', 'a'),
      on(1, 'SINTERSTORE', 'set3', 'set1', 'set2'),
      on(1, 'ZUNIONSTORE', 'z2', '1', 'z1'),
      on(1, 'HDEL', 'h1', 'nope'),
      on(1, 'HDEL', 'h1', 'f'),
      on(1, 'XDEL', 'x1', '1-1'),
      on(1, 'COPY', 's2', 'c1'),
      on(1, 'EXPIRE', 'c1', '100'),
      on(1, 'PERSIST', 'c1'),
      on(1, 'SET', 'd1', 'v'),
      on(0, 'GET', 'd1'),
      on(1, 'MOVE', 'd1', '1'),
      on(1, 'SETBIT', 'b1', '3', '1'),
      on(1, 'BITOP', 'OR', 'b2', 'b1'),
      on(1, 'SORT', 'l2', 'ALPHA', 'STORE', 'srt'),
      on(1, 'GETDEL', 'gone'),
      on(1, 'INCRBY', 'ex1', '0'),
      on(1, 'SET', 'ex1', 'v', 'NX'),
      counters,
    ],
  },
  {
    name: 'RESET and disconnection turn tracking off',
    steps: [
      hello3(0),
      on(0, 'CLIENT', 'TRACKING', 'on'),
      on(0, 'GET', 'a'),
      on(2, 'CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p'),
      counters,
      on(0, 'RESET'),
      flagsOf(0),
      on(0, 'CLIENT', 'TRACKINGINFO'),
      on(1, 'SET', 'a', '1'),
      on(2, 'QUIT'),
      counters,
    ],
  },
];

describe('CLIENT TRACKING matches Redis 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  for (const script of SCRIPTS) {
    it(script.name, async () => {
      const { ports } = servers();
      await flushBoth(ports);
      await runTrackingScript(script, ports);
    });
  }

  it('tracking-table-max-keys invalidates keys until the table fits', async () => {
    const { ports } = servers();
    await flushBoth(ports);
    const seen: string[] = [];
    for (const port of [ports.redis, ports.replisim]) {
      const [tracker, other] = [await RawClient.connect(port), await RawClient.connect(port)];
      try {
        await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '2');
        await tracker.call('HELLO', '3');
        await tracker.call('CLIENT', 'TRACKING', 'on');
        await tracker.call('MGET', 'a', 'b', 'c', 'd', 'e');
        // The next command of any client (and the cron) brings the table back to 2 keys.
        tracker.command('PING');
        const replies = await tracker.read(4, 5000);
        const shape = replies.map((reply) =>
          reply.bytes.toString('latin1').replace(/\$1\r\n[a-e]\r\n/, '$1\r\n?\r\n'),
        );
        const info = (await other.call('INFO', 'stats')).bytes.toString('latin1');
        seen.push(`${shape.join('')} ${/tracking_total_keys:\d+/.exec(info)?.[0]}`);
      } finally {
        await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
        tracker.close();
        other.close();
      }
    }
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toContain('tracking_total_keys:2');
  });
});
