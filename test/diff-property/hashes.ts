/**
 * Hashes (t_hash.c): field writes and reads, counters (integer and float) with bad numbers, values
 * past 64 bytes that turn a listpack into a hashtable. Whole-hash reads compare bytes while Redis
 * keeps the hash as a listpack (insertion order) and sorted once it is a hashtable (hash order);
 * random picks compare by shape.
 */
import * as fc from 'fast-check';
import {
  command,
  count,
  entry,
  type Family,
  float,
  integer,
  key,
  member,
  SHAPE,
  value,
} from './model.js';

const pairs = fc.array(fc.tuple(member, value), { minLength: 1, maxLength: 3 });
const fields = fc.array(member, { minLength: 1, maxLength: 3 });

export const HASHES: Family = {
  name: 'hashes',
  core: ['hset', 'hget', 'hdel', 'hlen', 'hgetall'],
  entries: [
    entry('hset', 5, fc.tuple(key, pairs), ([k, ps]) => command(['HSET', k, ...ps.flat()])),
    entry('hmset', 1, fc.tuple(key, pairs), ([k, ps]) => command(['HMSET', k, ...ps.flat()])),
    entry('hsetnx', 1, fc.tuple(key, member, value), ([k, f, v]) => command(['HSETNX', k, f, v])),
    entry('hget', 3, fc.tuple(key, member), ([k, f]) => command(['HGET', k, f])),
    entry('hmget', 1, fc.tuple(key, fields), ([k, fs]) => command(['HMGET', k, ...fs])),
    entry('hdel', 2, fc.tuple(key, fields), ([k, fs]) => command(['HDEL', k, ...fs])),
    entry('hlen', 1, key, (k) => command(['HLEN', k])),
    entry('hstrlen', 1, fc.tuple(key, member), ([k, f]) => command(['HSTRLEN', k, f])),
    entry('hexists', 1, fc.tuple(key, member), ([k, f]) => command(['HEXISTS', k, f])),
    entry('hgetall', 2, key, (k) =>
      command(['HGETALL', k], { kind: 'encoding', key: k, pairs: true }),
    ),
    entry('hkeys', 1, key, (k) =>
      command(['HKEYS', k], { kind: 'encoding', key: k, pairs: false }),
    ),
    entry('hvals', 1, key, (k) =>
      command(['HVALS', k], { kind: 'encoding', key: k, pairs: false }),
    ),
    entry('hincrby', 2, fc.tuple(key, member, integer), ([k, f, n]) =>
      command(['HINCRBY', k, f, n]),
    ),
    entry('hincrbyfloat', 1, fc.tuple(key, member, float), ([k, f, n]) =>
      command(['HINCRBYFLOAT', k, f, n]),
    ),
    entry(
      'hrandfield',
      1,
      fc.tuple(key, fc.constantFrom([], ['1'], ['3'], ['-3'], ['2', 'WITHVALUES'], ['0'], ['x'])),
      ([k, o]) => command(['HRANDFIELD', k, ...o], SHAPE),
    ),
    entry(
      'hscan',
      1,
      fc.tuple(key, fc.constantFrom('0', '0', 'x'), fc.oneof(fc.constantFrom('10', '1'), count)),
      ([k, c, n]) => command(['HSCAN', k, c, 'COUNT', n], SHAPE),
    ),
  ],
};
