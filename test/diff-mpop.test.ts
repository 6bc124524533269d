/**
 * Differential test of LMPOP, BLMPOP, ZMPOP, BZMPOP, BZPOPMIN and BZPOPMAX: replisim must answer
 * exactly as Redis 7.0.15 does, in RESP2 and RESP3, with data present, with clients blocked and
 * served by another client's write (in the order they blocked), inside MULTI, on timeouts, and
 * with every argument error in Redis's order of checks. Multi-connection scripts run through
 * support/multi-client-diff.ts; each ends with DEBUG DIGEST on both servers.
 *
 * The propagated forms (LPOP/RPOP key n, ZPOPMIN/ZPOPMAX key [n], for a direct pop and for a
 * served blocked client) are compared with Redis's replication stream.
 */
import { describe, expect, it } from 'vitest';
import {
  blocks,
  on,
  runMultiClientScript,
  type Script,
  waking,
} from './support/multi-client-diff.js';
import { RawClient } from './support/raw-client.js';
import { capturePropagation, expectSameCommands } from './support/replication-stream.js';
import { describeScriptsPerProtocol, flushBoth, useServerPair } from './support/server-pair.js';

const SCRIPTS: readonly Script[] = [
  {
    name: 'LMPOP and ZMPOP with data, wrong types and argument errors',
    steps: [
      on(0, 'RPUSH', 'l', 'a', 'b', 'c', 'd'),
      on(0, 'LMPOP', '1', 'l', 'LEFT'),
      on(0, 'LMPOP', '2', 'nokey', 'l', 'right', 'COUNT', '2'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', '10'),
      on(0, 'EXISTS', 'l'),
      on(0, 'LMPOP', '2', 'nokey', 'l', 'LEFT'),
      on(0, 'SET', 's', 'v'),
      on(0, 'RPUSH', 'l2', 'x'),
      on(0, 'LMPOP', '2', 's', 'l2', 'LEFT'),
      on(0, 'LMPOP', '2', 'l2', 's', 'LEFT'),
      on(0, 'LMPOP', '0', 'l', 'LEFT'),
      on(0, 'LMPOP', '-1', 'l', 'LEFT'),
      on(0, 'LMPOP', 'x', 'l', 'LEFT'),
      on(0, 'LMPOP', '2', 'l', 'LEFT'),
      on(0, 'LMPOP', '9223372036854775807', 'l', 'LEFT'),
      on(0, 'LMPOP', '1', 'l', 'UP'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', '0'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', 'x'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', '1', 'COUNT', '1'),
      on(0, 'LMPOP', '1', 'l', 'LEFT', 'FOO'),
      on(0, 'LMPOP', '1', 'l'),
      on(0, 'LMPOP', '1', 's', 'LEFT', 'COUNT', '9223372036854775807'),
      on(0, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '-1.5', 'd'),
      on(0, 'ZMPOP', '1', 'z', 'MIN'),
      on(0, 'ZMPOP', '2', 'nokey', 'z', 'max', 'COUNT', '2'),
      on(0, 'ZMPOP', '1', 'z', 'MIN', 'COUNT', '10'),
      on(0, 'EXISTS', 'z'),
      on(0, 'ZMPOP', '1', 'z', 'MIN'),
      on(0, 'ZMPOP', '2', 's', 'z', 'MIN'),
      on(0, 'ZADD', 'z2', 'inf', 'x'),
      on(0, 'ZMPOP', '2', 'z2', 's', 'MAX'),
      on(0, 'ZMPOP', '0', 'z', 'MIN'),
      on(0, 'ZMPOP', '1', 'z', 'LEFT'),
      on(0, 'ZMPOP', '1', 'z', 'MIN', 'COUNT', '-1'),
      on(0, 'ZMPOP', '1', 'z', 'MIN', 'LIMIT', '1'),
      on(0, 'ZMPOP', '3', 'z', 'MIN'),
    ],
  },
  {
    name: 'blocking pops with data present, in MULTI, and their argument errors',
    steps: [
      on(0, 'RPUSH', 'l', 'a', 'b', 'c'),
      on(0, 'BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '2'),
      on(0, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'),
      on(0, 'BZMPOP', '0', '2', 'nokey', 'z', 'MAX', 'COUNT', '2'),
      on(0, 'BZPOPMIN', 'nokey', 'z', '0'),
      on(0, 'ZADD', 'z', '5', 'e', '4', 'd'),
      on(0, 'BZPOPMAX', 'z', '0'),
      on(0, 'SET', 's', 'v'),
      on(0, 'BZPOPMIN', 's', 'z', '0'),
      on(0, 'BZMPOP', '0', '1', 's', 'MIN'),
      on(0, 'BLMPOP', '0', '1', 's', 'LEFT'),
      on(0, 'BLMPOP', 'x', '0', 'l', 'LEFT'),
      on(0, 'BLMPOP', '-1', '1', 'l', 'LEFT'),
      on(0, 'BLMPOP', '-1', '1', 'l', 'UP'),
      on(0, 'BLMPOP', '-1', '1', 'l', 'LEFT', 'COUNT', 'x'),
      on(0, 'BLMPOP', 'x', '1', 'l', 'LEFT'),
      on(0, 'BZMPOP', 'x', '1', 'z', 'MIN'),
      on(0, 'BZMPOP', '-1', '1', 'z', 'MIN'),
      on(0, 'BZMPOP', '0', 'x', 'z', 'MIN'),
      on(0, 'BZPOPMIN', 'z', 'x'),
      on(0, 'BZPOPMIN', 'z', '-1'),
      on(0, 'BZPOPMAX', 'z'),
      on(0, 'MULTI'),
      on(0, 'BLMPOP', '0', '1', 'nokey', 'LEFT'),
      on(0, 'BZMPOP', '0', '1', 'nokey', 'MIN'),
      on(0, 'BZPOPMIN', 'nokey', '0'),
      on(0, 'BZPOPMAX', 'z', '0'),
      on(0, 'EXEC'),
    ],
  },
  {
    name: 'clients blocked on lists and sorted sets are served in order',
    steps: [
      blocks(0, 'BLMPOP', '0', '2', 'l1', 'l2', 'LEFT', 'COUNT', '2'),
      blocks(1, 'BLMPOP', '0', '1', 'l2', 'RIGHT'),
      waking([0], 2, 'RPUSH', 'l2', 'a', 'b', 'c'),
      waking([1], 2, 'RPUSH', 'l2', 'd'),
      on(2, 'LRANGE', 'l2', '0', '-1'),
      blocks(0, 'BZPOPMIN', 'z1', 'z2', '0'),
      blocks(1, 'BZMPOP', '0', '1', 'z2', 'MAX', 'COUNT', '5'),
      waking([0, 1], 2, 'ZADD', 'z2', '1', 'a', '2', 'b', '3', 'c'),
      on(2, 'ZRANGE', 'z2', '0', '-1', 'WITHSCORES'),
      blocks(0, 'BZPOPMAX', 'z3', '0'),
      // A list at the key does not serve a sorted-set waiter; a sorted set does.
      on(2, 'RPUSH', 'z3', 'x'),
      on(2, 'DEL', 'z3'),
      waking([0], 2, 'ZADD', 'z3', '7', 'm'),
      blocks(1, 'BZMPOP', '0', '1', 'z4', 'MIN'),
      on(2, 'MULTI'),
      on(2, 'ZADD', 'z4', '1', 'a'),
      on(2, 'ZADD', 'z4', '2', 'b'),
      waking([1], 2, 'EXEC'),
      on(2, 'ZRANGE', 'z4', '0', '-1'),
    ],
  },
  {
    name: 'blocking pops time out with a null array',
    steps: [
      { ...blocks(0, 'BLMPOP', '0.05', '1', 'none', 'LEFT'), wakes: [0], pauseMs: 120 },
      { ...blocks(1, 'BZMPOP', '0.05', '1', 'none', 'MIN'), wakes: [1], pauseMs: 120 },
      { ...blocks(0, 'BZPOPMIN', 'none', '0.05'), wakes: [0], pauseMs: 120 },
      { ...blocks(1, 'BZPOPMAX', 'none', '0.05'), wakes: [1], pauseMs: 120 },
      on(2, 'PING'),
    ],
  },
];

describe('LMPOP, ZMPOP and the blocking pops against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  describeScriptsPerProtocol(
    SCRIPTS,
    () => servers().ports,
    (script, protocol) => runMultiClientScript(script, servers().ports, protocol),
  );

  it('propagates pops, direct and served, as Redis does', async () => {
    const pair = servers();
    await flushBoth(pair.ports);
    const sides = [
      { port: pair.redis.port, clients: [] as RawClient[] },
      { port: pair.replisim.port, clients: [] as RawClient[] },
    ];
    for (const side of sides) {
      for (let i = 0; i < 2; i++) side.clients.push(await RawClient.connect(side.port));
    }
    const run = async (conn: number, ...argv: string[]) => {
      const replies = [];
      for (const side of sides) replies.push((await side.clients[conn]?.call(...argv))?.bytes);
      expect(replies[1]?.toString('latin1')).toBe(replies[0]?.toString('latin1'));
    };
    try {
      const streams = await capturePropagation(pair, '$4\r\ndone\r\n', async () => {
        await run(0, 'RPUSH', 'l', 'a', 'b', 'c');
        await run(0, 'LMPOP', '1', 'l', 'LEFT', 'COUNT', '2');
        await run(0, 'BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '9');
        await run(0, 'ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
        await run(0, 'ZMPOP', '1', 'z', 'MAX', 'COUNT', '1');
        await run(0, 'BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5');
        await run(0, 'ZADD', 'z', '1', 'a', '2', 'b');
        await run(0, 'BZPOPMAX', 'z', '0');
        await run(0, 'BZPOPMIN', 'z', '0');
        for (const [argv, woke] of [
          [
            ['BZMPOP', '0', '1', 'w', 'MAX', 'COUNT', '3'],
            ['ZADD', 'w', '1', 'x', '2', 'y'],
          ],
          [
            ['BZPOPMIN', 'w2', '0'],
            ['ZADD', 'w2', '1', 'x', '2', 'y'],
          ],
          [
            ['BLMPOP', '0', '1', 'w3', 'LEFT', 'COUNT', '3'],
            ['RPUSH', 'w3', 'p', 'q'],
          ],
        ] as const) {
          for (const side of sides) {
            side.clients[1]?.command(...argv);
            for (let i = 0; i < 200; i++) {
              const info = await side.clients[0]?.call('INFO', 'clients');
              if (info?.bytes.includes('blocked_clients:1\r\n')) break;
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          }
          await run(0, ...woke);
          const served = [];
          for (const side of sides) served.push((await side.clients[1]?.read(1))?.[0]?.bytes);
          expect(served[1]?.toString('latin1')).toBe(served[0]?.toString('latin1'));
        }
        await run(0, 'SET', 'done', '1');
      });
      expectSameCommands(streams.replisim, streams.redis);
      expect(streams.redis.some((argv) => argv[0] === 'ZPOPMIN')).toBe(true);
    } finally {
      for (const side of sides) for (const client of side.clients) client.close();
    }
  });
});
