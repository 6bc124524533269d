/**
 * Differential test of MEMORY against redis-server 7.0.15, in RESP2 and RESP3: USAGE answers the
 * same bytes for strings (int, embstr, raw) and for the listpack, intset and quicklist encodings,
 * null for a missing key, and the same errors for bad SAMPLES; DOCTOR, PURGE and HELP answer the
 * same bytes; STATS has Redis's field names, order and reply types (the values are replisim's
 * model, see docs/server-and-config.md, so they are not compared).
 *
 * Known difference, not tested for equality: hashtable and skiplist encodings (USAGE answers more,
 * see commands/server/memory.ts) and MALLOC-STATS (Redis prints jemalloc's report).
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

const SETUP: readonly (readonly string[])[] = [
  ['SET', 'k', 'v'],
  ['SET', 'int', '12345'],
  ['SET', 'emb', 'x'.repeat(44)],
  ['SET', 'raw', 'x'.repeat(45)],
  ['SET', 'big', 'x'.repeat(5000)],
  ['SET', 'a-key-name-longer-than-thirty-two-bytes', 'v'],
  ['SET', 'ttl', 'v', 'EX', '100'],
  ['RPUSH', 'list', 'a', 'b', 'c', '1234567'],
  ['HSET', 'hash', 'f', 'v', 'g', 'w'],
  ['SADD', 'ints', '1', '2', '300000'],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b'],
];

const SAME: readonly (readonly string[])[] = [
  ...[
    'k',
    'int',
    'emb',
    'raw',
    'big',
    'a-key-name-longer-than-thirty-two-bytes',
    'ttl',
    'list',
    'hash',
    'ints',
    'zset',
    'missing',
  ].map((key) => ['MEMORY', 'USAGE', key]),
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', '0'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', '10'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'],
  ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'],
  ['MEMORY', 'USAGE', 'k', 'NOPE', '1'],
  ['MEMORY', 'USAGE'],
  ['MEMORY', 'DOCTOR'],
  ['MEMORY', 'PURGE'],
  ['MEMORY', 'HELP'],
  ['MEMORY', 'NOPE'],
];

/** The reply's shape: map keys with the kind of each value, recursively. */
function shape(value: RespValue): unknown {
  if (value.kind === 'map') {
    return value.entries.map(([name, item]) => [
      name.kind === 'bulk' ? name.value.toString() : name.kind,
      shape(item),
    ]);
  }
  if (value.kind === 'array') {
    const pairs: unknown[] = [];
    for (let i = 0; i < value.items.length; i += 2) {
      const name = value.items[i];
      const item = value.items[i + 1];
      if (name === undefined || item === undefined) throw new Error('odd array');
      pairs.push([name.kind === 'bulk' ? name.value.toString() : name.kind, shape(item)]);
    }
    return pairs;
  }
  // A RESP2 double is a bulk string: only its being a number matters.
  if (value.kind === 'bulk')
    return Number.isNaN(Number(value.value.toString())) ? 'text' : 'number';
  return value.kind;
}

describe('MEMORY against redis-server', () => {
  const servers = useServerPair();
  for (const protocol of [2, 3] as const) {
    it(`answers USAGE, DOCTOR, PURGE, HELP and the STATS fields as Redis (RESP${protocol})`, async () => {
      const { ports } = servers();
      const redis = await RawClient.connect(ports.redis);
      const ours = await RawClient.connect(ports.replisim);
      try {
        const hello = protocol === 3 ? [['HELLO', '3']] : [];
        for (const argv of [['FLUSHALL'], ...hello, ...SETUP]) {
          await redis.call(...argv);
          await ours.call(...argv);
        }
        for (const argv of SAME) {
          const expected = await redis.call(...argv);
          const actual = await ours.call(...argv);
          expect(actual.bytes.toString('latin1'), argv.join(' ')).toBe(
            expected.bytes.toString('latin1'),
          );
        }
        const expected = await redis.call('MEMORY', 'STATS');
        const actual = await ours.call('MEMORY', 'STATS');
        expect(shape(actual.value)).toEqual(shape(expected.value));
      } finally {
        redis.close();
        ours.close();
      }
    });
  }
});
