/**
 * Differential test of DEBUG POPULATE: replisim must build the same dataset as Redis 7.0.15 and
 * answer every call with the same bytes.
 *
 * Method: one real redis-server and one in-process replisim node with DEBUG enabled. One script runs
 * step by step on both: populations with and without prefix and size (cut, zero-padded, embstr and
 * raw lengths), a prefix with a zero byte, an empty and an over-long prefix, existing keys that must
 * be skipped, an expired key that must be replaced, another database, and every argument error. Each
 * reply must be byte-identical, GETRANGE shows the stored bytes, and at the end DEBUG DIGEST (the
 * whole dataset) and DBSIZE of both databases must match. The replication streams are compared too:
 * a raw socket attached to redis-server with SYNC against replisim's propagation log. POPULATE itself
 * must propagate nothing on either; only the writes around it (and the DEL of the expired key) do.
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { capturePropagation, expectSameCommands } from './support/replication-stream.js';
import { useServerPair } from './support/server-pair.js';

type Argv = readonly (string | Buffer)[];
/** A command to send, or a pause (ms) that lets a 1 ms expiry pass on both servers. */
type Step = Argv | number;

const OPTIONS = ['--enable-debug-command', 'yes'] as const;
const LONG_PREFIX = 'x'.repeat(200);

const SCRIPT: readonly Step[] = [
  ['DEBUG', 'POPULATE', '3', 'key', '10'],
  ['GETRANGE', 'key:0', '0', '-1'],
  ['GET', 'key:2'],
  ['DEBUG', 'POPULATE', '5'],
  ['GET', 'key:1'],
  ['GET', 'key:4'],
  ['SET', 'mine:1', 'kept'],
  ['DEBUG', 'POPULATE', '3', 'mine'],
  ['GET', 'mine:1'],
  ['GET', 'mine:2'],
  ['DEBUG', 'POPULATE', '12', 'cut', '3'],
  ['GET', 'cut:11'],
  ['DEBUG', 'POPULATE', '2', 'zero', '0'],
  ['GET', 'zero:1'],
  ['DEBUG', 'POPULATE', '2', 'e44', '44'],
  ['OBJECT', 'ENCODING', 'e44:1'],
  ['DEBUG', 'POPULATE', '2', 'e45', '45'],
  ['OBJECT', 'ENCODING', 'e45:1'],
  ['GETRANGE', 'e45:1', '0', '-1'],
  ['OBJECT', 'ENCODING', 'key:0'],
  ['DEBUG', 'POPULATE', '2', Buffer.from('nul\0after', 'latin1')],
  ['EXISTS', 'nul:0', 'nul:1'],
  ['DEBUG', 'POPULATE', '2', ''],
  ['GET', ':1'],
  ['DEBUG', 'POPULATE', '3', LONG_PREFIX],
  ['GET', LONG_PREFIX.slice(0, 127)],
  ['SET', 'gone:0', 'old', 'PX', '1'],
  20,
  ['DEBUG', 'POPULATE', '2', 'gone'],
  ['GET', 'gone:0'],
  ['TTL', 'gone:0'],
  ['DEBUG', 'POPULATE', '0'],
  ['DEBUG', 'POPULATE', '-1'],
  ['DEBUG', 'POPULATE', 'abc'],
  ['DEBUG', 'POPULATE', '+3'],
  ['DEBUG', 'POPULATE', '03'],
  ['DEBUG', 'POPULATE', '1.5'],
  ['DEBUG', 'POPULATE', ''],
  ['DEBUG', 'POPULATE', '4', 'bad', '-5'],
  ['DEBUG', 'POPULATE', '4', 'bad', 'abc'],
  ['EXISTS', 'bad:0'],
  ['DEBUG', 'POPULATE', '1', 'a', '2', 'extra'],
  ['DEBUG', 'Populate'],
  ['SELECT', '3'],
  ['DEBUG', 'POPULATE', '1000', 'big', '100'],
  ['GETRANGE', 'big:999', '0', '-1'],
  ['DBSIZE'],
  ['SELECT', '0'],
  ['DBSIZE'],
  ['DEBUG', 'DIGEST'],
  ['SET', 'marker', 'end'],
];

describe('DEBUG POPULATE against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: OPTIONS });

  it('builds the same dataset with the same replies, and propagates none of it', async () => {
    const { redis, replisim } = servers();
    const [expectedClient, actualClient] = await Promise.all([
      RawClient.connect(redis.port),
      RawClient.connect(replisim.port),
    ]);
    try {
      const streams = await capturePropagation(servers(), 'marker', async () => {
        for (const step of SCRIPT) {
          if (typeof step === 'number') {
            await new Promise((resolve) => setTimeout(resolve, step));
            continue;
          }
          const [expected, actual] = await Promise.all([
            expectedClient.call(...step),
            actualClient.call(...step),
          ]);
          const where = step.map((arg) => arg.toString().slice(0, 24)).join(' ');
          expect(actual.bytes.toString('latin1'), where).toBe(expected.bytes.toString('latin1'));
        }
        // The digest covers every key; it must not be the empty dataset's zeros.
        const digest = await actualClient.call('DEBUG', 'DIGEST');
        expect(digest.bytes.toString()).not.toBe('+0000000000000000000000000000000000000000\r\n');
      });
      expectSameCommands(streams.replisim, streams.redis);
      expect(streams.redis.map((argv) => argv[0]?.toUpperCase())).toEqual([
        'SET',
        'SET',
        'DEL',
        'SET',
      ]);
    } finally {
      expectedClient.close();
      actualClient.close();
    }
  });
});
