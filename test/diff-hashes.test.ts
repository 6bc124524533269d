/**
 * Differential test of the hash commands: replisim must answer as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node with the same options; each
 * script is run on both in RESP2 and in RESP3 (collection-diff.ts) after a FLUSHALL. Replies are
 * compared byte for byte where Redis's order is deterministic (scalars, errors, listpack hashes,
 * whose order is insertion order), as sorted pairs or elements for hashtable hashes (dict order),
 * and by property for HRANDFIELD's random picks. HSCAN of a listpack hash is compared byte for
 * byte (one call, cursor 0); of a hashtable hash, as the contents of a complete walk. Encodings
 * are compared with OBJECT ENCODING (or the node's value while OBJECT is not registered), across
 * the listpack -> hashtable transitions by entries and by value length. Each script ends with
 * DEBUG DIGEST-VALUE of its keys when replisim has DEBUG.
 */
import type { RespValue } from '@replisim/protocol';
import { expect } from 'vitest';
import {
  cmd,
  describeCollectionDiff,
  each,
  encoding,
  items,
  type Protocol,
  type Script,
  scanAll,
  sorted,
  sortedPairs,
  text,
} from './support/collection-diff.js';

/** HSET key f0 v0 f1 v1 ... with `count` fields (`prefix` + index). */
function manyFields(key: string, count: number, prefix = 'f'): string[] {
  const argv = ['HSET', key];
  for (let i = 0; i < count; i++) argv.push(`${prefix}${i}`, `v${i}`);
  return argv;
}

/** HRANDFIELD with a count: the right number of (distinct if `distinct`) fields of `fields`. */
function randomFields(fields: readonly string[], expected: number, distinct: boolean) {
  return (value: RespValue): void => {
    const picked = items(value).map(text);
    expect(picked).toHaveLength(expected);
    for (const field of picked) expect(fields).toContain(field);
    if (distinct) expect(new Set(picked).size).toBe(picked.length);
  };
}

/** HRANDFIELD ... WITHVALUES: pairs as flat items (RESP2) or 2-arrays (RESP3), values correct. */
function randomPairs(hash: Readonly<Record<string, string>>, expected: number) {
  return (value: RespValue, protocol: Protocol): void => {
    const list = items(value);
    const pairs: [string, string][] = [];
    if (protocol === 3) {
      for (const pair of list) {
        const [field, fieldValue] = items(pair).map(text);
        pairs.push([field ?? '', fieldValue ?? '']);
      }
    } else {
      for (let i = 0; i + 1 < list.length; i += 2) {
        pairs.push([text(list[i] as RespValue), text(list[i + 1] as RespValue)]);
      }
    }
    expect(pairs).toHaveLength(expected);
    for (const [field, fieldValue] of pairs) expect(hash[field]).toBe(fieldValue);
  };
}

const BINARY = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
const LONG_VALUE = 'x'.repeat(65);
const EXACT_VALUE = 'y'.repeat(64);

const SCRIPTS: readonly Script[] = [
  {
    name: 'HSET, HGET, HMGET, HEXISTS, HLEN, HSTRLEN and listpack order',
    steps: [
      cmd('HSET', 'h', 'a', '1', 'b', '2', 'c', '3'),
      cmd('HSET', 'h', 'b', 'two', 'd', '4'),
      cmd('HSET', 'h', 'a', '1'),
      cmd('HGETALL', 'h'),
      cmd('HKEYS', 'h'),
      cmd('HVALS', 'h'),
      cmd('HGET', 'h', 'b'),
      cmd('HGET', 'h', 'nope'),
      cmd('HGET', 'nokey', 'a'),
      cmd('HMGET', 'h', 'a', 'nope', 'd', 'a'),
      cmd('HMGET', 'nokey', 'a', 'b'),
      cmd('HEXISTS', 'h', 'a'),
      cmd('HEXISTS', 'h', 'nope'),
      cmd('HEXISTS', 'nokey', 'a'),
      cmd('HLEN', 'h'),
      cmd('HLEN', 'nokey'),
      cmd('HSTRLEN', 'h', 'b'),
      cmd('HSTRLEN', 'h', 'nope'),
      cmd('HSTRLEN', 'nokey', 'b'),
      cmd('HSET', 'h', '', ''),
      cmd('HGET', 'h', ''),
      cmd('HSET', 'h', BINARY, BINARY),
      cmd('HGET', 'h', BINARY),
      cmd('HSTRLEN', 'h', BINARY),
      cmd('HGETALL', 'h'),
      cmd('HGETALL', 'nokey'),
      cmd('HKEYS', 'nokey'),
      cmd('HVALS', 'nokey'),
      encoding('h'),
    ],
    digest: ['h'],
  },
  {
    name: 'HSET argument errors, HMSET, HSETNX',
    steps: [
      cmd('HSET', 'h', 'f'),
      cmd('HSET', 'h', 'f', 'v', 'g'),
      cmd('HMSET', 'h', 'f'),
      cmd('HMSET', 'h', 'f', 'v', 'g'),
      cmd('EXISTS', 'h'),
      cmd('HMSET', 'h', 'f', 'v', 'g', 'w'),
      cmd('HSETNX', 'h', 'f', 'other'),
      cmd('HSETNX', 'h', 'new', 'value'),
      cmd('HSETNX', 'fresh', 'f', 'v'),
      cmd('HSETNX', 'h', 'x'),
      cmd('HGETALL', 'h'),
      cmd('HGETALL', 'fresh'),
    ],
    digest: ['h', 'fresh'],
  },
  {
    name: 'HDEL and deleting the key when empty',
    steps: [
      cmd('HSET', 'h', 'a', '1', 'b', '2', 'c', '3'),
      cmd('HDEL', 'h', 'nope'),
      cmd('HDEL', 'h', 'a', 'a', 'nope'),
      cmd('HGETALL', 'h'),
      cmd('HSET', 'h', 'a', 'again'),
      cmd('HGETALL', 'h'),
      cmd('HDEL', 'h', 'a'),
      cmd('HDEL', 'h', 'b', 'c', 'd'),
      cmd('EXISTS', 'h'),
      cmd('HDEL', 'nokey', 'a'),
      cmd('HDEL', 'h'),
    ],
  },
  {
    name: 'WRONGTYPE for every hash command',
    steps: [
      cmd('SET', 's', 'string'),
      cmd('HSET', 's', 'f', 'v'),
      cmd('HMSET', 's', 'f', 'v'),
      cmd('HSETNX', 's', 'f', 'v'),
      cmd('HGET', 's', 'f'),
      cmd('HMGET', 's', 'f'),
      cmd('HDEL', 's', 'f'),
      cmd('HEXISTS', 's', 'f'),
      cmd('HLEN', 's'),
      cmd('HKEYS', 's'),
      cmd('HVALS', 's'),
      cmd('HGETALL', 's'),
      cmd('HINCRBY', 's', 'f', '1'),
      cmd('HINCRBY', 's', 'f', 'x'),
      cmd('HINCRBYFLOAT', 's', 'f', '1'),
      cmd('HINCRBYFLOAT', 's', 'f', 'x'),
      cmd('HSTRLEN', 's', 'f'),
      cmd('HRANDFIELD', 's'),
      cmd('HRANDFIELD', 's', '1'),
      cmd('HRANDFIELD', 's', 'x'),
      cmd('HSCAN', 's', '0'),
      cmd('HSCAN', 's', 'x'),
      cmd('HSCAN', 's', '0', 'BAD'),
      cmd('GET', 's'),
    ],
  },
  {
    name: 'HINCRBY',
    steps: [
      cmd('HINCRBY', 'h', 'n', '5'),
      cmd('HINCRBY', 'h', 'n', '-7'),
      cmd('HINCRBY', 'h', 'n', '0'),
      cmd('HINCRBY', 'h', 'n', 'x'),
      cmd('HINCRBY', 'h', 'n', '1.5'),
      cmd('HINCRBY', 'h', 'n', '-0'),
      cmd('HINCRBY', 'h', 'n', '+1'),
      cmd('HINCRBY', 'h', 'n', ' 1'),
      cmd('HINCRBY', 'h', 'n', '9223372036854775808'),
      cmd('HSET', 'h', 'big', '9223372036854775806', 'small', '-9223372036854775807'),
      cmd('HINCRBY', 'h', 'big', '1'),
      cmd('HINCRBY', 'h', 'big', '1'),
      cmd('HINCRBY', 'h', 'small', '-1'),
      cmd('HINCRBY', 'h', 'small', '-1'),
      cmd('HINCRBY', 'h', 'small', '9223372036854775807'),
      cmd('HSET', 'h', 's', 'abc', 'z', '007', 'sp', ' 1', 'neg0', '-0'),
      cmd('HINCRBY', 'h', 's', '1'),
      cmd('HINCRBY', 'h', 'z', '1'),
      cmd('HINCRBY', 'h', 'sp', '1'),
      cmd('HINCRBY', 'h', 'neg0', '1'),
      cmd('HGETALL', 'h'),
    ],
    digest: ['h'],
  },
  {
    name: 'HINCRBYFLOAT and its long double formatting',
    steps: [
      cmd('HINCRBYFLOAT', 'h', 'f', '0.1'),
      cmd('HINCRBYFLOAT', 'h', 'f', '0.2'),
      cmd('HINCRBYFLOAT', 'h', 'f', '-0.3'),
      cmd('HINCRBYFLOAT', 'h', 'g', '1e300'),
      cmd('HINCRBYFLOAT', 'h', 'g', '-1e300'),
      cmd('HINCRBYFLOAT', 'h', 'e', '5.0e3'),
      cmd('HINCRBYFLOAT', 'h', 'e', '1.1e-5'),
      cmd('HINCRBYFLOAT', 'h', 'x', '0x10'),
      cmd('HINCRBYFLOAT', 'h', 'x', '3.14159265358979323846'),
      cmd('HINCRBYFLOAT', 'h', 'x', '-1.5'),
      cmd('HINCRBYFLOAT', 'h', 'tiny', '1e-20'),
      cmd('HINCRBYFLOAT', 'h', 'i', '10'),
      cmd('HINCRBYFLOAT', 'h', 'i', '-10.5'),
      cmd('HINCRBYFLOAT', 'h', 'f', 'inf'),
      cmd('HINCRBYFLOAT', 'h', 'f', '-inf'),
      cmd('HINCRBYFLOAT', 'h', 'f', 'nan'),
      cmd('HINCRBYFLOAT', 'h', 'f', 'abc'),
      cmd('HINCRBYFLOAT', 'h', 'f', ''),
      cmd('HINCRBYFLOAT', 'h', 'f', ' 1'),
      cmd('HINCRBYFLOAT', 'h', 'f', '1e5000'),
      cmd('HINCRBYFLOAT', 'h', 'f', '1e-5000'),
      cmd('HSET', 'h', 'str', 'abc', 'inf', 'inf', 'int', '42', 'sp', '1 '),
      cmd('HINCRBYFLOAT', 'h', 'str', '1'),
      cmd('HINCRBYFLOAT', 'h', 'inf', '1'),
      cmd('HINCRBYFLOAT', 'h', 'int', '0.5'),
      cmd('HINCRBYFLOAT', 'h', 'sp', '1'),
      cmd('HINCRBYFLOAT', 'h', 'g', '1.7e308'),
      cmd('HINCRBYFLOAT', 'h', 'g', '1.7e308'),
      // The 309-digit value made the hash a hashtable: dict order.
      sortedPairs('HGETALL', 'h'),
    ],
    digest: ['h'],
  },
  {
    name: 'listpack to hashtable by number of entries',
    steps: [
      cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '4'),
      cmd('HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4'),
      encoding('h'),
      cmd('HGETALL', 'h'),
      cmd('HSET', 'h', 'e', '5'),
      encoding('h'),
      cmd('HDEL', 'h', 'a', 'b', 'c'),
      encoding('h'),
      sortedPairs('HGETALL', 'h'),
      sorted('HKEYS', 'h'),
      sorted('HVALS', 'h'),
      cmd('HSET', 'big', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'),
      encoding('big'),
      cmd('HMSET', 'big2', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'),
      encoding('big2'),
      cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '512'),
      cmd(...manyFields('many', 513)),
      encoding('many'),
      cmd('HLEN', 'many'),
      cmd(...manyFields('edge', 512)),
      encoding('edge'),
      cmd('HSET', 'edge', 'f0', 'new'),
      encoding('edge'),
      cmd('HSETNX', 'edge', 'extra', 'v'),
      encoding('edge'),
      cmd('HGET', 'edge', 'f0'),
    ],
    digest: ['h', 'big', 'big2', 'many', 'edge'],
  },
  {
    name: 'listpack to hashtable by value and field length',
    steps: [
      cmd('HSET', 'h1', 'f', EXACT_VALUE),
      encoding('h1'),
      cmd('HSET', 'h1', EXACT_VALUE, 'v'),
      encoding('h1'),
      cmd('HSET', 'h1', 'g', LONG_VALUE),
      encoding('h1'),
      cmd('HSET', 'h2', LONG_VALUE, 'v'),
      encoding('h2'),
      cmd('HSET', 'h3', 'f', 'v'),
      cmd('HSETNX', 'h3', 'f', LONG_VALUE),
      encoding('h3'),
      cmd('HGET', 'h3', 'f'),
      cmd('HSET', 'h4', 'n', '1'),
      cmd('HINCRBYFLOAT', 'h4', 'n', '0.1234567890123456789'),
      encoding('h4'),
      cmd('HINCRBYFLOAT', 'h4', 'n', '1e60'),
      encoding('h4'),
      cmd('HSET', 'h5', 'n', '1'),
      cmd('HINCRBY', 'h5', LONG_VALUE, '1'),
      encoding('h5'),
      cmd('HDEL', 'h2', LONG_VALUE),
      cmd('HSET', 'h2', 'short', 'v'),
      encoding('h2'),
      cmd('CONFIG', 'SET', 'hash-max-listpack-value', '3'),
      cmd('HSET', 'h6', 'abc', 'def'),
      encoding('h6'),
      cmd('HSET', 'h6', 'abcd', 'e'),
      encoding('h6'),
      cmd('CONFIG', 'SET', 'hash-max-listpack-value', '64'),
    ],
    digest: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  },
  {
    name: 'TTLs: hash writes keep them, an expired hash is gone',
    steps: [
      cmd('HSET', 'h', 'a', '1'),
      cmd('EXPIRE', 'h', '100'),
      cmd('HSET', 'h', 'b', '2'),
      cmd('HINCRBY', 'h', 'n', '1'),
      cmd('HINCRBYFLOAT', 'h', 'f', '1.5'),
      cmd('HDEL', 'h', 'a'),
      cmd('TTL', 'h'),
      cmd('HSET', 'gone', 'a', '1'),
      cmd('PEXPIRE', 'gone', '1'),
      cmd('DEBUG', 'SLEEP', '0.01'),
      cmd('HLEN', 'gone'),
      cmd('HINCRBY', 'gone', 'a', '5'),
      cmd('TTL', 'gone'),
      cmd('HGETALL', 'gone'),
    ],
    digest: ['h', 'gone'],
  },
  {
    name: 'HRANDFIELD',
    steps: [
      cmd('HSET', 'h', 'a', '1', 'b', '2', 'c', '3'),
      cmd('HRANDFIELD', 'nokey'),
      cmd('HRANDFIELD', 'nokey', '3'),
      cmd('HRANDFIELD', 'nokey', '-3', 'WITHVALUES'),
      cmd('HRANDFIELD', 'h', '0'),
      cmd('HRANDFIELD', 'h', '0', 'WITHVALUES'),
      cmd('HRANDFIELD', 'h', '3'),
      cmd('HRANDFIELD', 'h', '100', 'WITHVALUES'),
      cmd('HRANDFIELD', 'h', '9223372036854775807'),
      cmd('HRANDFIELD', 'h', 'x'),
      cmd('HRANDFIELD', 'h', '1', 'x'),
      cmd('HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'),
      cmd('HRANDFIELD', 'h', '-9223372036854775808'),
      cmd('HRANDFIELD', 'h', '9223372036854775808'),
      cmd('HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'),
      cmd('HRANDFIELD', 'h', '-4611686018427387904', 'withvalues'),
      cmd('HRANDFIELD', 'x', '1', 'nope'),
      each((value) => expect(['a', 'b', 'c']).toContain(text(value)), 'HRANDFIELD', 'h'),
      each(randomFields(['a', 'b', 'c'], 2, true), 'HRANDFIELD', 'h', '2'),
      each(randomFields(['a', 'b', 'c'], 10, false), 'HRANDFIELD', 'h', '-10'),
      each(randomPairs({ a: '1', b: '2', c: '3' }, 2), 'HRANDFIELD', 'h', '2', 'WITHVALUES'),
      each(randomPairs({ a: '1', b: '2', c: '3' }, 7), 'HRANDFIELD', 'h', '-7', 'WITHVALUES'),
      cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '2'),
      cmd('HSET', 'ht', 'a', '1', 'b', '2', 'c', '3'),
      sorted('HRANDFIELD', 'ht', '3'),
      sortedPairs('HRANDFIELD', 'ht', '5', 'WITHVALUES'),
      each(randomFields(['a', 'b', 'c'], 2, true), 'HRANDFIELD', 'ht', '2'),
      cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '512'),
    ],
  },
  {
    name: 'HSCAN of a listpack hash and argument errors',
    steps: [
      cmd('HSET', 'h', 'a1', '1', 'b1', '2', 'a2', '3'),
      cmd('HSCAN', 'h', '0'),
      cmd('HSCAN', 'h', '0', 'COUNT', '1'),
      cmd('HSCAN', 'h', '0', 'MATCH', 'a*'),
      cmd('HSCAN', 'h', '0', 'match', '*', 'count', '100'),
      cmd('HSCAN', 'h', '0', 'MATCH', 'zz*'),
      cmd('HSCAN', 'h', '12345'),
      cmd('HSCAN', 'h', '-1'),
      cmd('HSCAN', 'h', 'x'),
      cmd('HSCAN', 'h', ' 0'),
      cmd('HSCAN', 'h', '18446744073709551616'),
      cmd('HSCAN', 'h', '0', 'COUNT', '0'),
      cmd('HSCAN', 'h', '0', 'COUNT', '-1'),
      cmd('HSCAN', 'h', '0', 'COUNT', 'x'),
      cmd('HSCAN', 'h', '0', 'COUNT'),
      cmd('HSCAN', 'h', '0', 'TYPE', 'string'),
      cmd('HSCAN', 'h', '0', 'NOVALUES'),
      cmd('HSCAN', 'nokey', '0', 'BAD', 'OPTIONS', 'x'),
      cmd('HSCAN', 'nokey', 'x'),
    ],
  },
  {
    name: 'HSCAN of a hashtable hash',
    steps: [
      cmd(...manyFields('h', 600)),
      scanAll(true, 'HSCAN', 'h'),
      scanAll(true, 'HSCAN', 'h', 'COUNT', '7'),
      scanAll(true, 'HSCAN', 'h', 'COUNT', '1000'),
      scanAll(true, 'HSCAN', 'h', 'MATCH', 'f1*', 'COUNT', '50'),
      cmd('HSET', 'h', BINARY, BINARY),
      scanAll(true, 'HSCAN', 'h', 'COUNT', '100'),
      cmd('HLEN', 'h'),
    ],
    digest: ['h'],
  },
];

describeCollectionDiff('hash commands against redis-server 7.0.15', 'hash', SCRIPTS);
