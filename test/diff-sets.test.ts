/**
 * Differential test of the set commands: replisim must answer as Redis 7.0.15 does.
 *
 * Method: one real redis-server and one in-process replisim node with the same options; each
 * script runs on both in RESP2 and in RESP3 (collection-diff.ts) after a FLUSHALL. Intset sets
 * iterate in ascending order in Redis, so every reply that walks one (SMEMBERS, SINTER, SUNION and
 * SDIFF results that are intsets, SPOP/SRANDMEMBER of a whole intset, SSCAN) is compared byte for
 * byte; replies in dict order (hashtable sets) are compared sorted; random picks by property.
 * Encodings are compared with OBJECT ENCODING (or the node's value while OBJECT is not
 * registered), across the intset -> hashtable transitions (a non-integer member, a non-canonical
 * integer, more than set-max-intset-entries members) and for STORE results. Each script ends with
 * DEBUG DIGEST-VALUE of its keys when replisim has DEBUG.
 */
import type { RespValue } from '@replisim/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cmd,
  each,
  encoding,
  flushBoth,
  items,
  type Ports,
  type Protocol,
  runScript,
  type Script,
  scanAll,
  sorted,
  text,
} from './support/collection-diff.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import { type ReplisimNode, startReplisimNode } from './support/replisim-node.js';

const OPTIONS = ['--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes'];

/** `count` random picks from `members`, distinct if `distinct`, as an array (RESP3: set if `set`). */
function picks(members: readonly string[], count: number, distinct: boolean, set = false) {
  return (value: RespValue, protocol: Protocol): void => {
    expect(value.kind).toBe(set && protocol === 3 ? 'set' : 'array');
    const picked = items(value).map(text);
    expect(picked).toHaveLength(count);
    for (const member of picked) expect(members).toContain(member);
    if (distinct) expect(new Set(picked).size).toBe(picked.length);
  };
}

function oneOf(members: readonly string[]) {
  return (value: RespValue): void => {
    expect(members).toContain(text(value));
  };
}

const sequence = (count: number, prefix = ''): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

const BINARY = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);

const SCRIPTS: readonly Script[] = [
  {
    name: 'SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS of an intset',
    steps: [
      cmd('SADD', 's', '5', '3', '-1', '10', '3'),
      cmd('SADD', 's', '3'),
      cmd('SMEMBERS', 's'),
      cmd('SCARD', 's'),
      cmd('SCARD', 'nokey'),
      cmd('SISMEMBER', 's', '3'),
      cmd('SISMEMBER', 's', '4'),
      cmd('SISMEMBER', 's', 'x'),
      cmd('SISMEMBER', 'nokey', '3'),
      cmd('SMISMEMBER', 's', '3', '4', '10', 'x'),
      cmd('SMISMEMBER', 'nokey', '1', '2'),
      cmd('SREM', 's', '3', '3', '99', 'x'),
      cmd('SMEMBERS', 's'),
      cmd('SMEMBERS', 'nokey'),
      encoding('s'),
      cmd('SREM', 's', '5', '-1', '10', '7'),
      cmd('EXISTS', 's'),
      cmd('SREM', 'nokey', 'a'),
      cmd('SADD', 's'),
      cmd('SREM', 's'),
      cmd('SADD', 'n', '-9223372036854775808', '9223372036854775807', '0', '-5'),
      cmd('SMEMBERS', 'n'),
      encoding('n'),
    ],
    digest: ['s', 'n'],
  },
  {
    name: 'hashtable sets: strings, binary members, non-canonical integers',
    steps: [
      cmd('SADD', 'h', 'b', 'a', 'c'),
      encoding('h'),
      sorted('SMEMBERS', 'h'),
      cmd('SADD', 'h', BINARY, ''),
      cmd('SISMEMBER', 'h', BINARY),
      cmd('SISMEMBER', 'h', ''),
      sorted('SMEMBERS', 'h'),
      cmd('SADD', 'p', '+1'),
      encoding('p'),
      cmd('SADD', 'z', '01'),
      encoding('z'),
      cmd('SADD', 'm', '-0'),
      encoding('m'),
      cmd('SADD', 'sp', ' 1'),
      encoding('sp'),
      cmd('SADD', 'o', '9223372036854775808'),
      encoding('o'),
      cmd('SADD', 'u', '-9223372036854775809'),
      encoding('u'),
      cmd('SADD', 'mixed', '1', '2', '3'),
      encoding('mixed'),
      cmd('SADD', 'mixed', 'x'),
      encoding('mixed'),
      cmd('SREM', 'mixed', 'x'),
      encoding('mixed'),
      sorted('SMEMBERS', 'mixed'),
    ],
    digest: ['h', 'p', 'z', 'm', 'sp', 'o', 'u', 'mixed'],
  },
  {
    name: 'intset to hashtable by set-max-intset-entries',
    steps: [
      cmd('CONFIG', 'SET', 'set-max-intset-entries', '4'),
      cmd('SADD', 's', '1', '2', '3', '4'),
      encoding('s'),
      cmd('SADD', 's', '5'),
      encoding('s'),
      cmd('SREM', 's', '1', '2', '3'),
      encoding('s'),
      sorted('SMEMBERS', 's'),
      cmd('SADD', 't', '1', '2', '3', '4', '5', '6'),
      encoding('t'),
      cmd('CONFIG', 'SET', 'set-max-intset-entries', '0'),
      cmd('SADD', 'zero', '1'),
      encoding('zero'),
      cmd('CONFIG', 'SET', 'set-max-intset-entries', '512'),
      cmd('SADD', 'big', ...sequence(512)),
      encoding('big'),
      cmd('SADD', 'big', '512'),
      encoding('big'),
      cmd('SCARD', 'big'),
    ],
    digest: ['s', 't', 'zero', 'big'],
  },
  {
    name: 'WRONGTYPE for every set command',
    steps: [
      cmd('SET', 'str', 'v'),
      cmd('SADD', 'str', 'a'),
      cmd('SREM', 'str', 'a'),
      cmd('SMEMBERS', 'str'),
      cmd('SISMEMBER', 'str', 'a'),
      cmd('SMISMEMBER', 'str', 'a'),
      cmd('SCARD', 'str'),
      cmd('SPOP', 'str'),
      cmd('SPOP', 'str', '2'),
      cmd('SPOP', 'str', '-2'),
      cmd('SRANDMEMBER', 'str'),
      cmd('SRANDMEMBER', 'str', '2'),
      cmd('SINTER', 'str'),
      cmd('SUNION', 'str'),
      cmd('SDIFF', 'str'),
      cmd('SINTERCARD', '1', 'str'),
      cmd('SSCAN', 'str', '0'),
      cmd('SADD', 's', '1'),
      cmd('SMOVE', 'str', 's', '1'),
      cmd('SMOVE', 's', 'str', '1'),
      cmd('SMOVE', 'nokey', 'str', '1'),
      cmd('SINTER', 'nokey', 'str'),
      cmd('SINTER', 'str', 'nokey'),
      cmd('SINTER', 's', 'str'),
      cmd('SINTERCARD', '2', 'nokey', 'str'),
      cmd('SINTERCARD', '2', 's', 'str'),
      cmd('SUNION', 'nokey', 'str'),
      cmd('SDIFF', 'nokey', 'str'),
      cmd('SINTERSTORE', 'd', 's', 'str'),
      cmd('SUNIONSTORE', 'd', 's', 'str'),
      cmd('SDIFFSTORE', 'd', 's', 'str'),
      cmd('SINTERSTORE', 'str', 'nokey', 's'),
      cmd('GET', 'str'),
      cmd('EXISTS', 'd'),
    ],
  },
  {
    name: 'SPOP',
    steps: [
      cmd('SPOP', 'nokey'),
      cmd('SPOP', 'nokey', '3'),
      cmd('SADD', 's', '3', '1', '2'),
      cmd('SPOP', 's', '0'),
      cmd('SPOP', 's', '-1'),
      cmd('SPOP', 's', 'x'),
      cmd('SPOP', 's', '1', '2'),
      cmd('SPOP', 's', '9223372036854775808'),
      cmd('SPOP', 's', '3'),
      cmd('EXISTS', 's'),
      cmd('SADD', 's', '3', '1', '2'),
      cmd('SPOP', 's', '9223372036854775807'),
      cmd('SADD', 's', '1', '2', '3', '4', '5'),
      each(oneOf(['1', '2', '3', '4', '5']), 'SPOP', 's'),
      cmd('SCARD', 's'),
      each(picks(['1', '2', '3', '4', '5'], 2, true, true), 'SPOP', 's', '2'),
      cmd('SCARD', 's'),
      each(picks(['1', '2', '3', '4', '5'], 1, true, true), 'SPOP', 's', '1'),
      each(oneOf(['1', '2', '3', '4', '5']), 'SPOP', 's'),
      cmd('EXISTS', 's'),
      cmd('SADD', 'h', 'a', 'b', 'c', 'd'),
      each(picks(['a', 'b', 'c', 'd'], 3, true, true), 'SPOP', 'h', '3'),
      cmd('SCARD', 'h'),
      cmd('SADD', 'h2', 'a', 'b', 'c'),
      sorted('SPOP', 'h2', '10'),
      cmd('EXISTS', 'h2'),
    ],
  },
  {
    name: 'SRANDMEMBER',
    steps: [
      cmd('SRANDMEMBER', 'nokey'),
      cmd('SRANDMEMBER', 'nokey', '3'),
      cmd('SRANDMEMBER', 'nokey', '-3'),
      cmd('SADD', 's', '30', '10', '20'),
      cmd('SRANDMEMBER', 's', '0'),
      cmd('SRANDMEMBER', 's', '3'),
      cmd('SRANDMEMBER', 's', '100'),
      cmd('SRANDMEMBER', 's', '9223372036854775807'),
      cmd('SRANDMEMBER', 's', '-9223372036854775808'),
      cmd('SRANDMEMBER', 's', '9223372036854775808'),
      cmd('SRANDMEMBER', 's', 'x'),
      cmd('SRANDMEMBER', 's', '1', '2'),
      cmd('SRANDMEMBER', 's', 'x', '2'),
      each(oneOf(['10', '20', '30']), 'SRANDMEMBER', 's'),
      each(picks(['10', '20', '30'], 2, true), 'SRANDMEMBER', 's', '2'),
      each(picks(['10', '20', '30'], 8, false), 'SRANDMEMBER', 's', '-8'),
      each(picks(['10', '20', '30'], 1, false), 'SRANDMEMBER', 's', '-1'),
      cmd('SCARD', 's'),
      cmd('SADD', 'h', 'a', 'b', 'c'),
      sorted('SRANDMEMBER', 'h', '3'),
      each(picks(['a', 'b', 'c'], 2, true), 'SRANDMEMBER', 'h', '2'),
      each(picks(['a', 'b', 'c'], 5, false), 'SRANDMEMBER', 'h', '-5'),
    ],
    digest: ['s', 'h'],
  },
  {
    name: 'SMOVE',
    steps: [
      cmd('SADD', 'a', '1', '2'),
      cmd('SADD', 'b', 'x'),
      cmd('SMOVE', 'nokey', 'b', '1'),
      cmd('SMOVE', 'a', 'b', '3'),
      cmd('SMOVE', 'a', 'b', '1'),
      encoding('b'),
      cmd('SMOVE', 'a', 'a', '2'),
      cmd('SMOVE', 'a', 'a', '9'),
      cmd('SMOVE', 'a', 'c', '2'),
      cmd('EXISTS', 'a'),
      cmd('SMEMBERS', 'c'),
      encoding('c'),
      cmd('SADD', 'd', 'y'),
      cmd('SMOVE', 'd', 'e', 'y'),
      encoding('e'),
      cmd('SADD', 'f', '5', '6'),
      cmd('SADD', 'g', '5'),
      cmd('SMOVE', 'f', 'g', '5'),
      cmd('SMEMBERS', 'f'),
      cmd('SMEMBERS', 'g'),
      sorted('SMEMBERS', 'b'),
    ],
    digest: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
  },
  {
    name: 'SINTER, SUNION, SDIFF',
    steps: [
      cmd('SADD', 'a', '1', '2', '3', '4', '5'),
      cmd('SADD', 'b', '4', '5', '6', '3'),
      cmd('SADD', 'c', '5', '3', '100'),
      cmd('SADD', 'x', 'p', 'q', '3', '5'),
      cmd('SINTER', 'a'),
      cmd('SINTER', 'a', 'b'),
      cmd('SINTER', 'a', 'b', 'c'),
      cmd('SINTER', 'a', 'nokey'),
      cmd('SINTER', 'nokey', 'a'),
      cmd('SUNION', 'a', 'b', 'c'),
      cmd('SUNION', 'nokey'),
      cmd('SUNION', 'nokey', 'a'),
      cmd('SDIFF', 'a', 'b'),
      cmd('SDIFF', 'a', 'b', 'c'),
      cmd('SDIFF', 'a', 'nokey'),
      cmd('SDIFF', 'nokey', 'a'),
      cmd('SDIFF', 'a', 'a'),
      sorted('SINTER', 'a', 'x'),
      sorted('SUNION', 'a', 'x'),
      sorted('SDIFF', 'x', 'a'),
      cmd('SDIFF', 'a', 'x'),
      sorted('SDIFF', 'x'),
    ],
  },
  {
    name: 'SINTERSTORE, SUNIONSTORE, SDIFFSTORE',
    steps: [
      cmd('SADD', 'a', '1', '2', '3'),
      cmd('SADD', 'b', '2', '3', '4'),
      cmd('SADD', 'x', 'm', '2'),
      cmd('SINTERSTORE', 'd', 'a', 'b'),
      cmd('SMEMBERS', 'd'),
      encoding('d'),
      cmd('SUNIONSTORE', 'd', 'a', 'b'),
      cmd('SMEMBERS', 'd'),
      cmd('SDIFFSTORE', 'd', 'a', 'b'),
      cmd('SMEMBERS', 'd'),
      cmd('SUNIONSTORE', 'dx', 'a', 'x'),
      encoding('dx'),
      sorted('SMEMBERS', 'dx'),
      cmd('SINTERSTORE', 'dx', 'a', 'x'),
      encoding('dx'),
      cmd('SMEMBERS', 'dx'),
      cmd('SDIFFSTORE', 'dy', 'x', 'a'),
      encoding('dy'),
      cmd('SET', 'str', 'v'),
      cmd('SUNIONSTORE', 'str', 'a'),
      cmd('SMEMBERS', 'str'),
      cmd('SINTERSTORE', 'str', 'a', 'nokey'),
      cmd('EXISTS', 'str'),
      cmd('SDIFFSTORE', 'd', 'a', 'a'),
      cmd('EXISTS', 'd'),
      cmd('SINTERSTORE', 'nothing', 'nokey'),
      cmd('SUNIONSTORE', 'nothing', 'nokey'),
      cmd('SUNIONSTORE', 'a', 'a', 'b'),
      cmd('SMEMBERS', 'a'),
      cmd('SINTERSTORE', 'b', 'b', 'a'),
      cmd('SMEMBERS', 'b'),
      cmd('CONFIG', 'SET', 'set-max-intset-entries', '2'),
      cmd('SUNIONSTORE', 'over', 'a'),
      encoding('over'),
      cmd('CONFIG', 'SET', 'set-max-intset-entries', '512'),
    ],
    digest: ['a', 'b', 'd', 'dx', 'dy', 'str', 'over'],
  },
  {
    name: 'TTLs: writes in place keep them, STORE results replace them',
    steps: [
      cmd('SADD', 's', '1', '2', '3'),
      cmd('EXPIRE', 's', '100'),
      cmd('SADD', 's', 'x'),
      cmd('SREM', 's', '1'),
      cmd('TTL', 's'),
      cmd('SADD', 'dst', '9'),
      cmd('EXPIRE', 'dst', '100'),
      cmd('SMOVE', 's', 'dst', '2'),
      cmd('TTL', 'dst'),
      cmd('SUNIONSTORE', 'dst', 'dst', 's'),
      cmd('TTL', 'dst'),
      cmd('EXPIRE', 'dst', '100'),
      cmd('SINTERSTORE', 'dst', 'dst', 'nokey'),
      cmd('EXISTS', 'dst'),
      cmd('SADD', 'gone', '1'),
      cmd('PEXPIRE', 'gone', '1'),
      cmd('DEBUG', 'SLEEP', '0.01'),
      cmd('SCARD', 'gone'),
      cmd('SADD', 'gone', '2'),
      cmd('TTL', 'gone'),
      cmd('SMEMBERS', 'gone'),
    ],
    digest: ['s', 'dst', 'gone'],
  },
  {
    name: 'SINTERCARD',
    steps: [
      cmd('SADD', 'a', '1', '2', '3', '4'),
      cmd('SADD', 'b', '2', '3', '4', '5'),
      cmd('SINTERCARD', '1', 'a'),
      cmd('SINTERCARD', '2', 'a', 'b'),
      cmd('SINTERCARD', '2', 'a', 'b', 'LIMIT', '0'),
      cmd('SINTERCARD', '2', 'a', 'b', 'LIMIT', '2'),
      cmd('SINTERCARD', '2', 'a', 'b', 'limit', '100'),
      cmd('SINTERCARD', '2', 'a', 'b', 'LIMIT', '1', 'LIMIT', '3'),
      cmd('SINTERCARD', '2', 'a', 'nokey'),
      cmd('SINTERCARD', '1', 'nokey'),
      cmd('SINTERCARD', '0', 'a'),
      cmd('SINTERCARD', '-1', 'a'),
      cmd('SINTERCARD', 'x', 'a'),
      cmd('SINTERCARD', '3', 'a', 'b'),
      cmd('SINTERCARD', '1', 'a', 'LIMIT', '-1'),
      cmd('SINTERCARD', '1', 'a', 'LIMIT', 'x'),
      cmd('SINTERCARD', '1', 'a', 'LIMIT'),
      cmd('SINTERCARD', '1', 'a', 'FOO', '1'),
      cmd('SINTERCARD', '1', 'a', 'b'),
      cmd('SINTERCARD', '9223372036854775808', 'a'),
    ],
  },
  {
    name: 'SSCAN of an intset and argument errors',
    steps: [
      cmd('SADD', 's', '30', '10', '20', '11'),
      cmd('SSCAN', 's', '0'),
      cmd('SSCAN', 's', '0', 'COUNT', '1'),
      cmd('SSCAN', 's', '0', 'MATCH', '1*'),
      cmd('SSCAN', 's', '0', 'MATCH', '*', 'COUNT', '5'),
      cmd('SSCAN', 's', '99'),
      cmd('SSCAN', 's', '-1'),
      cmd('SSCAN', 's', 'x'),
      cmd('SSCAN', 's', '0', 'COUNT', '0'),
      cmd('SSCAN', 's', '0', 'COUNT', 'x'),
      cmd('SSCAN', 's', '0', 'MATCH'),
      cmd('SSCAN', 's', '0', 'TYPE', 'set'),
      cmd('SSCAN', 'nokey', '0', 'COUNT', '0'),
      cmd('SSCAN', 'nokey', '-5'),
    ],
  },
  {
    name: 'SSCAN of a hashtable set',
    steps: [
      cmd('SADD', 'h', ...sequence(700, 'm')),
      scanAll(false, 'SSCAN', 'h'),
      scanAll(false, 'SSCAN', 'h', 'COUNT', '9'),
      scanAll(false, 'SSCAN', 'h', 'MATCH', 'm5*', 'COUNT', '40'),
      cmd('SADD', 'big', ...sequence(600)),
      scanAll(false, 'SSCAN', 'big', 'COUNT', '100'),
      cmd('SCARD', 'big'),
    ],
    digest: ['h', 'big'],
  },
];

describe('set commands against redis-server 7.0.15', () => {
  let redis: RedisServer | undefined;
  let replisim: ReplisimNode | undefined;
  const ports = (): Ports => {
    if (redis === undefined || replisim === undefined) throw new Error('servers not started');
    return { redis: redis.port, replisim: replisim.port };
  };
  const peekEncoding = (key: string): string => {
    const value = replisim?.node.databases[0]?.peek(key);
    if (value === undefined) return '<null>';
    return value.type === 'set' ? value.encoding : `<${value.type}>`;
  };

  beforeAll(async () => {
    [redis, replisim] = await Promise.all([startRedisServer(OPTIONS), startReplisimNode(OPTIONS)]);
  });

  afterAll(async () => {
    replisim?.stop();
    await redis?.stop();
  });

  for (const protocol of [2, 3] as const) {
    describe(`RESP${protocol}`, () => {
      for (const script of SCRIPTS) {
        it(script.name, async () => {
          await flushBoth(ports());
          await runScript(script, ports(), protocol, peekEncoding);
        });
      }
    });
  }
});
