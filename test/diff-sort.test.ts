/**
 * Differential test of SORT and SORT_RO: replisim must answer exactly as Redis 7.0.15 does.
 *
 * Method: collection-diff.ts runs each script on a real redis-server and a replisim node, in RESP2
 * and RESP3, comparing reply bytes, and ends with DEBUG DIGEST-VALUE of the keys. The scripts
 * cover lists, intset and hashtable sets and sorted sets; numeric and ALPHA order; BY patterns on
 * strings and hash fields (missing, wrong types, `->` without a field), BY nosort with DESC and
 * LIMIT; GET with `#`, several patterns and missing keys; LIMIT at and past the edges; STORE
 * (replacing a key with a TTL, deleting on an empty result, forced ALPHA for a set under BY
 * nosort); the conversion error; binary elements; and the order of the error checks. A hashtable
 * set read with BY nosort and no STORE comes back in Redis's hash order, so it is compared sorted.
 *
 * The propagation of SORT ... STORE (as received, nothing for an empty store of a missing key, a
 * DEL for a lazily expired BY key) is compared with Redis's replication stream.
 */
import { describe, expect, it } from 'vitest';
import { cmd, describeCollectionDiff, type Script, sorted } from './support/collection-diff.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { useServerPair } from './support/server-pair.js';

const BIN = '\u0000\u00ff\r\n';

const SCRIPTS: readonly Script[] = [
  {
    name: 'numeric and ALPHA sorts of lists, sets and sorted sets',
    steps: [
      cmd('RPUSH', 'l', '3', '1', '2', '10', '-1.5', '1e2', '0x10', ' 7', '2'),
      cmd('SORT', 'l'),
      cmd('SORT', 'l', 'DESC'),
      cmd('SORT', 'l', 'ALPHA'),
      cmd('SORT', 'l', 'alpha', 'desc'),
      cmd('SORT', 'l', 'DESC', 'ASC'),
      cmd('SORT', 'l', 'LIMIT', '1', '3'),
      cmd('SORT', 'l', 'LIMIT', '-5', '2'),
      cmd('SORT', 'l', 'LIMIT', '2', '-1'),
      cmd('SORT', 'l', 'LIMIT', '8', '5'),
      cmd('SORT', 'l', 'LIMIT', '9', '5'),
      cmd('SORT', 'l', 'LIMIT', '100', '5'),
      cmd('SORT', 'l', 'LIMIT', '0', '0'),
      cmd('SORT', 'l', 'LIMIT', '3', '9223372036854775807'),
      cmd('SORT_RO', 'l', 'DESC', 'LIMIT', '0', '2'),
      cmd('SADD', 'si', '5', '-3', '100', '7'),
      cmd('SORT', 'si'),
      cmd('SORT', 'si', 'DESC', 'ALPHA'),
      cmd('SADD', 'sh', 'b', 'a', 'c', BIN, 'd\u0000a', 'ab\u0000'),
      cmd('SORT', 'sh', 'ALPHA'),
      cmd('SORT', 'sh'),
      cmd('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '2', '20'),
      cmd('SORT', 'z', 'ALPHA'),
      cmd('SORT', 'z'),
      cmd('RPUSH', 'ties', '1.0', '1', '01', '+1', '1e0'),
      cmd('SORT', 'ties'),
      cmd('SORT', 'ties', 'DESC'),
      cmd('RPUSH', 'bad', '1', 'nan'),
      cmd('SORT', 'bad'),
      cmd('RPUSH', 'bad3', '1', '2x'),
      cmd('SORT', 'bad3'),
      cmd('RPUSH', 'odd', '', 'inf', '-inf', '1\u0000junk', '4'),
      cmd('SORT', 'odd'),
      cmd('SORT', 'nokey'),
      cmd('SORT', 'nokey', 'LIMIT', '0', '1', 'GET', '#'),
      // Last: Redis checks strtod's errno without clearing it first, so after an overflow the
      // numeric sorts of this connection fail until some call resets errno (sort.c).
      cmd('RPUSH', 'bad2', '1', '1e400'),
      cmd('SORT', 'bad2'),
    ],
    digest: ['l', 'si', 'sh', 'z'],
  },
  {
    name: 'BY patterns, GET patterns and hash fields',
    steps: [
      cmd('RPUSH', 'ids', '1', '2', '3', '4'),
      cmd('MSET', 'w_1', '40', 'w_2', '10', 'w_3', '30', 'name_1', 'one', 'name_2', 'two'),
      cmd('HSET', 'h_1', 'f', '5', 'n', 'uno'),
      cmd('HSET', 'h_3', 'f', '1'),
      cmd('SADD', 'w_4', 'set'),
      cmd('SORT', 'ids', 'BY', 'w_*'),
      cmd('SORT', 'ids', 'BY', 'w_*', 'DESC'),
      cmd('SORT', 'ids', 'BY', 'w_*', 'GET', '#', 'GET', 'name_*'),
      cmd('SORT', 'ids', 'BY', 'w_*', 'GET', 'name_*', 'LIMIT', '1', '2'),
      cmd('SORT', 'ids', 'BY', 'h_*->f'),
      cmd('SORT', 'ids', 'BY', 'h_*->f', 'GET', 'h_*->n', 'GET', 'h_*->f', 'GET', 'h_*->'),
      cmd('SORT', 'ids', 'BY', 'name_*', 'ALPHA', 'GET', '#'),
      cmd('SORT', 'ids', 'GET', 'nostar'),
      cmd('SORT', 'ids', 'GET', '#', 'GET', 'w_*->f'),
      cmd('SORT', 'ids', 'BY', 'w_*', 'LIMIT', '0', '2', 'DESC'),
      cmd('SORT', 'ids', 'BY', '*'),
      cmd('SET', '1', 'x'),
      cmd('SORT', 'ids', 'BY', '*'),
      cmd('SORT', 'ids', 'BY', 'w_*', 'GET', '*'),
      cmd('SORT_RO', 'ids', 'BY', 'w_*', 'GET', 'name_*'),
    ],
    digest: ['ids', 'h_1'],
  },
  {
    name: 'BY nosort keeps the native order',
    steps: [
      cmd('RPUSH', 'l', 'c', 'a', 'b', 'd'),
      cmd('SORT', 'l', 'BY', 'nosort'),
      cmd('SORT', 'l', 'BY', 'nosort', 'DESC'),
      cmd('SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'),
      cmd('SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2'),
      cmd('SORT', 'l', 'BY', 'nosort', 'LIMIT', '5', '2'),
      cmd('SORT', 'l', 'BY', 'nosort', 'GET', '#', 'GET', 'x_*'),
      cmd('ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '4', 'd'),
      cmd('SORT', 'z', 'BY', 'nosort'),
      cmd('SORT', 'z', 'BY', 'nosort', 'DESC'),
      cmd('SORT', 'z', 'BY', 'nosort', 'LIMIT', '1', '2'),
      cmd('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5'),
      cmd('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '9', '5'),
      cmd('SADD', 'si', '3', '1', '2'),
      cmd('SORT', 'si', 'BY', 'nosort'),
      cmd('SADD', 'sh', 'c', 'a', 'b'),
      sorted('SORT', 'sh', 'BY', 'nosort'),
      cmd('SORT', 'sh', 'BY', 'nosort', 'STORE', 'dst'),
      cmd('LRANGE', 'dst', '0', '-1'),
      cmd('SORT', 'sh', 'BY', 'nosort', 'DESC', 'STORE', 'dst'),
      cmd('LRANGE', 'dst', '0', '-1'),
      cmd('SORT', 'si', 'BY', 'nosort', 'DESC', 'STORE', 'dst'),
      cmd('LRANGE', 'dst', '0', '-1'),
    ],
    digest: ['l', 'z', 'dst'],
  },
  {
    name: 'STORE and the order of errors',
    steps: [
      cmd('RPUSH', 'l', '3', '1', '2'),
      cmd('SET', 'dst', 'v', 'EX', '100'),
      cmd('SORT', 'l', 'STORE', 'dst'),
      cmd('TTL', 'dst'),
      cmd('LRANGE', 'dst', '0', '-1'),
      cmd('OBJECT', 'ENCODING', 'dst'),
      cmd('SORT', 'l', 'GET', 'missing_*', 'GET', '#', 'STORE', 'dst'),
      cmd('LRANGE', 'dst', '0', '-1'),
      cmd('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'dst'),
      cmd('EXISTS', 'dst'),
      cmd('SORT', 'nokey', 'STORE', 'dst'),
      cmd('SORT', 'l', 'STORE', 'a', 'STORE', 'b'),
      cmd('EXISTS', 'a', 'b'),
      cmd('SORT', 'l', 'STORE', 'l'),
      cmd('LRANGE', 'l', '0', '-1'),
      cmd('SORT_RO', 'l', 'STORE', 'x'),
      cmd('SORT', 'l', 'LIMIT', '1'),
      cmd('SORT', 'l', 'LIMIT', 'x', '1'),
      cmd('SORT', 'l', 'LIMIT', '1', 'y'),
      cmd('SORT', 'l', 'LIMIT', 'x', 'y', 'FOO'),
      cmd('SORT', 'l', 'FOO', 'LIMIT', 'x', 'y'),
      cmd('SORT', 'l', 'BY'),
      cmd('SORT', 'l', 'GET'),
      cmd('SORT', 'l', 'STORE'),
      cmd('SET', 's', 'v'),
      cmd('SORT', 's'),
      cmd('SORT', 's', 'FOO'),
      cmd('SORT', 's', 'STORE', 'dst'),
      cmd('HSET', 'h', 'f', 'v'),
      cmd('SORT', 'h'),
      cmd('RPUSH', 'bad', 'x'),
      cmd('SORT', 'bad', 'STORE', 'dst2'),
      cmd('EXISTS', 'dst2'),
      cmd('SORT', 'bad', 'ALPHA', 'STORE', 'dst2'),
      cmd('LRANGE', 'dst2', '0', '-1'),
    ],
    digest: ['l', 'dst', 'a', 'b', 'dst2'],
  },
];

describeCollectionDiff('SORT against redis-server 7.0.15', 'list', SCRIPTS);

describe('SORT propagation against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('propagates SORT ... STORE as received, and nothing for plain SORT', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['RPUSH', 'l', '3', '1', '2'],
      ['SORT', 'l'],
      ['SORT', 'l', 'STORE', 'dst'],
      ['SORT', 'l', 'DESC', 'LIMIT', '0', '1', 'STORE', 'dst'],
      ['SORT', 'nokey', 'STORE', 'dst'],
      ['SORT', 'nokey', 'STORE', 'dst'],
      ['SADD', 'sh', 'c', 'a', 'b'],
      ['SORT', 'sh', 'BY', 'nosort', 'STORE', 'dst'],
      ['SORT_RO', 'l'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.filter((argv) => argv[0]?.toUpperCase() === 'SORT')).toHaveLength(4);
  });
});
