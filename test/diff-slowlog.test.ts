/**
 * Differential test of SLOWLOG against redis-server 7.0.15: which commands are logged, the ids, the
 * arguments as kept (at most 32, each cut at 128 bytes, passwords redacted), the client name, the
 * length limit, GET's count and its errors, LEN, RESET and HELP, in RESP2 and RESP3.
 *
 * Method: both servers get `slowlog-log-slower-than 0` (every command is slow enough) and the same
 * commands on one connection each. Replies that hold no time are compared byte for byte; SLOWLOG GET
 * is compared entry by entry with the timestamp, the duration and the client's port masked (they
 * differ between two servers by nature), after checking that the timestamp is now, the duration
 * is not negative and the peer is this client's loopback address. Ids are compared relative to the
 * newest entry (see masked).
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

type Argv = readonly string[];

/** An entry with the fields that must differ replaced by what the checks proved. */
function masked(entry: RespValue, protocol: 2 | 3, newestId: bigint): unknown {
  if (entry.kind !== 'array' || entry.items.length !== 6) throw new Error('not a slowlog entry');
  const [id, time, duration, args, peer, name] = entry.items;
  if (
    id?.kind !== 'integer' ||
    time?.kind !== 'integer' ||
    duration?.kind !== 'integer' ||
    peer?.kind !== 'bulk'
  ) {
    throw new Error(`bad entry fields (RESP${protocol})`);
  }
  expect(Math.abs(Number(time.value) - Date.now() / 1000)).toBeLessThan(30);
  expect(duration.value >= 0n).toBe(true);
  expect(peer.value.toString()).toMatch(/^127\.0\.0\.1:\d+$/);
  // Ids count every command logged since start (RESET keeps counting), including the start-up
  // PING the test support sends to redis-server only: compare them relative to the newest.
  return { age: newestId - id.value, args, name };
}

async function run(client: RawClient, argv: Argv) {
  return client.call(...argv);
}

describe('SLOWLOG against redis-server', () => {
  const servers = useServerPair({ both: ['--slowlog-log-slower-than', '0'] });

  for (const protocol of [2, 3] as const) {
    it(`logs, limits, redacts and reports as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const redis = await RawClient.connect(ports.redis);
      const ours = await RawClient.connect(ports.replisim);
      try {
        const both = async (argv: Argv) => {
          const [expected, actual] = [await run(redis, argv), await run(ours, argv)];
          return { expected, actual };
        };
        const same = async (...argv: Argv) => {
          const { expected, actual } = await both(argv);
          expect(actual.bytes.toString('latin1'), argv.join(' ')).toBe(
            expected.bytes.toString('latin1'),
          );
        };
        if (protocol === 3) await both(['HELLO', '3']);
        await same('SLOWLOG', 'RESET');
        await same('CLIENT', 'SETNAME', 'slow-one');
        await same('SET', 'k', 'v');
        await same('GET', 'k');
        await same('SET', 'long', 'x'.repeat(200));
        await same('RPUSH', 'many', ...Array.from({ length: 40 }, (_, i) => `e${i}`));
        await same('AUTH', 'nobody', 'secret');
        await same('CONFIG', 'SET', 'masterauth', 'pw', 'hz', '10');
        await same('CONFIG', 'SET', 'masterauth', '');
        await same('ACL', 'SETUSER', 'slowuser', 'on', '>pw');
        await same('ACL', 'SETUSER', 'bad name');
        await same('ACL', 'DELUSER', 'slowuser');
        await same('MULTI');
        await same('INCR', 'n');
        await same('EXEC');
        await same('SLOWLOG', 'LEN');
        await same('SLOWLOG', 'GET', '-2');
        await same('SLOWLOG', 'GET', 'x');
        await same('SLOWLOG', 'GET', '1', '2');
        await same('SLOWLOG', 'HELP');
        await same('SLOWLOG', 'NOPE');
        for (const count of [[], ['2'], ['0'], ['-1']]) {
          const { expected, actual } = await both(['SLOWLOG', 'GET', ...count]);
          if (expected.value.kind !== 'array' || actual.value.kind !== 'array') {
            throw new Error('SLOWLOG GET did not reply an array');
          }
          const newest = (items: RespValue[]): bigint => {
            const first = items[0];
            return first?.kind === 'array' && first.items[0]?.kind === 'integer'
              ? first.items[0].value
              : 0n;
          };
          const [redisItems, ourItems] = [expected.value.items, actual.value.items];
          expect(ourItems.map((e) => masked(e, protocol, newest(ourItems)))).toEqual(
            redisItems.map((e) => masked(e, protocol, newest(redisItems))),
          );
        }
        // slowlog-max-len applies at the next entry.
        await same('CONFIG', 'SET', 'slowlog-max-len', '2');
        await same('PING');
        await same('SLOWLOG', 'LEN');
        await same('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
        await same('PING');
        await same('SLOWLOG', 'LEN');
        await same('CONFIG', 'SET', 'slowlog-max-len', '128', 'slowlog-log-slower-than', '0');
      } finally {
        redis.close();
        ours.close();
      }
    });
  }
});
