/**
 * Differential test of SWAPDB: replisim must answer as Redis 7.0.15 does, in RESP2 and RESP3.
 *
 * Method: multi-connection scripts (support/multi-client-diff.ts) on a real redis-server and a
 * replisim node. They check that clients see the other database's keys (TTLs included) at once
 * without changing their selected index, that a transaction WATCHing a key of either database
 * fails (and one watching a key in neither does not), that a client blocked on a key in one of
 * the databases is served when the swap brings it a list or a sorted set, and the argument
 * errors in Redis's order. DEBUG DIGEST of the whole dataset ends each script; the propagation of
 * SWAPDB is compared with Redis's replication stream.
 */
import { describe, expect, it } from 'vitest';
import {
  blocks,
  on,
  runMultiClientScript,
  type Script,
  waking,
} from './support/multi-client-diff.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { describeScriptsPerProtocol, useServerPair } from './support/server-pair.js';

const SCRIPTS: readonly Script[] = [
  {
    name: 'contents move, indexes stay, errors',
    steps: [
      on(0, 'SET', 'a', 'zero'),
      on(0, 'SET', 't', 'v', 'EX', '1000'),
      on(1, 'SELECT', '1'),
      on(1, 'RPUSH', 'a', 'x', 'y'),
      on(0, 'SWAPDB', '0', '1'),
      on(0, 'LRANGE', 'a', '0', '-1'),
      on(0, 'EXISTS', 't'),
      on(1, 'GET', 'a'),
      on(1, 'TTL', 't'),
      on(0, 'DBSIZE'),
      on(1, 'DBSIZE'),
      on(0, 'SWAPDB', '1', '0'),
      on(0, 'GET', 'a'),
      on(0, 'SWAPDB', '0', '0'),
      on(0, 'GET', 'a'),
      on(0, 'SWAPDB', '0', '15'),
      on(0, 'DBSIZE'),
      on(0, 'SWAPDB', '15', '0'),
      on(0, 'SWAPDB', '0', 'x'),
      on(0, 'SWAPDB', 'x', 'y'),
      on(0, 'SWAPDB', '0', '16'),
      on(0, 'SWAPDB', '-1', '0'),
      on(0, 'SWAPDB', '2147483648', '0'),
      on(0, 'SWAPDB', '0'),
      on(0, 'MULTI'),
      on(0, 'SWAPDB', '0', '1'),
      on(0, 'GET', 'a'),
      on(0, 'EXEC'),
      on(0, 'GET', 'a'),
    ],
  },
  {
    name: 'WATCHed keys of either database abort EXEC',
    steps: [
      on(0, 'SET', 'w', '1'),
      on(1, 'WATCH', 'w'),
      on(0, 'SWAPDB', '0', '2'),
      on(1, 'MULTI'),
      on(1, 'PING'),
      on(1, 'EXEC'),
      // The key now lives in db 2 only: watching it in db 0 still sees a change when it returns.
      on(1, 'WATCH', 'w'),
      on(0, 'SWAPDB', '2', '0'),
      on(1, 'MULTI'),
      on(1, 'EXEC'),
      // A key in neither database: no change.
      on(1, 'WATCH', 'nowhere'),
      on(0, 'SWAPDB', '0', '3'),
      on(1, 'MULTI'),
      on(1, 'EXEC'),
      on(2, 'SELECT', '3'),
      on(2, 'WATCH', 'w'),
      on(0, 'SWAPDB', '3', '0'),
      on(2, 'MULTI'),
      on(2, 'EXEC'),
    ],
  },
  {
    name: 'clients blocked in a database are served when the swap brings their key',
    steps: [
      on(0, 'SELECT', '2'),
      blocks(0, 'BLPOP', 'q', '0'),
      on(1, 'SELECT', '5'),
      blocks(1, 'BZPOPMIN', 'z', 'q', '0'),
      on(2, 'SELECT', '3'),
      on(2, 'RPUSH', 'q', 'a', 'b'),
      on(2, 'ZADD', 'z', '1', 'm'),
      waking([0], 2, 'SWAPDB', '3', '2'),
      on(2, 'LRANGE', 'q', '0', '-1'),
      on(2, 'SELECT', '2'),
      on(2, 'LRANGE', 'q', '0', '-1'),
      on(2, 'SELECT', '3'),
      // db 2 holds z and what is left of q: db 5's client takes z's member.
      waking([1], 2, 'SWAPDB', '5', '2'),
      on(2, 'SELECT', '5'),
      on(2, 'ZCARD', 'z'),
      on(2, 'LRANGE', 'q', '0', '-1'),
    ],
  },
];

describe('SWAPDB against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  describeScriptsPerProtocol(
    SCRIPTS,
    () => servers().ports,
    (script, protocol) => runMultiClientScript(script, servers().ports, protocol),
  );

  it('propagates SWAPDB as received', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['SET', 'a', '1'],
      ['SWAPDB', '0', '1'],
      ['SWAPDB', '1', '1'],
      ['SWAPDB', '0', '99'],
      ['MULTI'],
      ['SWAPDB', '0', '1'],
      ['SET', 'b', '2'],
      ['EXEC'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.filter((argv) => argv[0]?.toUpperCase() === 'SWAPDB')).toHaveLength(3);
  });
});
