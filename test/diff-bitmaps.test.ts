/**
 * Differential test of the bitmap commands and LCS: replisim must answer exactly as Redis 7.0.15.
 *
 * Method: one real redis-server and one in-process replisim node (collection-diff.ts); every
 * script runs on both in RESP2 and in RESP3 after a FLUSHALL, every reply compared byte for byte,
 * and each script ends with DEBUG DIGEST-VALUE of its keys. Besides hand-written edge cases
 * (offsets at the limits, `#` offsets, wrong types, the order of argument checks, int-encoded
 * strings, OBJECT ENCODING after each kind of write), three scripts are generated from a fixed
 * seed: BITCOUNT and BITPOS over every small range in bytes and bits (negative and past-the-end
 * indexes included), and a few hundred BITFIELD operations of random widths, signs, offsets and
 * overflow modes on one key, which pins the overflow arithmetic to Redis's.
 *
 * The propagated forms (SETBIT only when something changed, BITFIELD only with a write, BITOP
 * deleting its destination) are compared with Redis's replication stream.
 */
import { describe, expect, it } from 'vitest';
import {
  cmd,
  describeCollectionDiff,
  encoding,
  type Script,
  type Step,
} from './support/collection-diff.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { useServerPair } from './support/server-pair.js';

/** xorshift32 from a fixed seed: the generated scripts are the same on every run. */
function generator(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
}

/** BITCOUNT and BITPOS over ranges of a 4-byte string with mixed bits. */
function rangeSteps(): Step[] {
  const steps: Step[] = [
    cmd('SET', 'r', '\u00ff\u00f0\u0000\u0081'),
    cmd('SET', 'ones', '\u00ff\u00ff'),
  ];
  const indexes = ['0', '1', '2', '3', '5', '-1', '-2', '-3', '-5', '9', '31', '-32', '40'];
  for (const start of indexes) {
    for (const end of ['0', '2', '-1', '-3', '31', '100']) {
      steps.push(cmd('BITCOUNT', 'r', start, end));
      steps.push(cmd('BITCOUNT', 'r', start, end, 'BIT'));
      steps.push(cmd('BITPOS', 'r', '1', start, end, 'BIT'));
      steps.push(cmd('BITPOS', 'r', '0', start, end, 'BIT'));
      steps.push(cmd('BITPOS', 'ones', '0', start, end, 'BIT'));
      steps.push(cmd('BITPOS', 'r', '0', start, end));
    }
    steps.push(cmd('BITPOS', 'r', '1', start));
    steps.push(cmd('BITPOS', 'ones', '0', start));
    steps.push(cmd('BITPOS', 'r', '0', start));
  }
  return steps;
}

/** Random BITFIELD operations on one key, a few per command. */
function bitfieldSteps(count: number): Step[] {
  const next = generator(0x5eed1234);
  const steps: Step[] = [];
  const values = [
    '0',
    '1',
    '-1',
    '127',
    '128',
    '-129',
    '255',
    '65535',
    '9223372036854775807',
    '-9223372036854775808',
    '4611686018427387904',
    '-4611686018427387905',
  ];
  for (let i = 0; i < count; i++) {
    const argv = ['BITFIELD', 'bf'];
    for (let op = 1 + next(3); op > 0; op--) {
      const signed = next(2) === 0;
      const bits = 1 + next(signed ? 64 : 63);
      const type = `${signed ? 'i' : 'u'}${bits}`;
      const offset = next(4) === 0 ? `#${next(6)}` : String(next(80));
      switch (next(4)) {
        case 0:
          argv.push('GET', type, offset);
          break;
        case 1:
          argv.push('SET', type, offset, values[next(values.length)] ?? '0');
          break;
        case 2:
          argv.push('INCRBY', type, offset, values[next(values.length)] ?? '0');
          break;
        default:
          argv.push('OVERFLOW', ['WRAP', 'SAT', 'FAIL', 'sat'][next(4)] ?? 'WRAP');
      }
    }
    steps.push(cmd(...argv));
  }
  steps.push(cmd('GET', 'bf'));
  return steps;
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'SETBIT and GETBIT',
    steps: [
      cmd('SETBIT', 'b', '7', '1'),
      cmd('GET', 'b'),
      cmd('SETBIT', 'b', '7', '1'),
      cmd('SETBIT', 'b', '7', '0'),
      cmd('SETBIT', 'b', '100', '1'),
      cmd('STRLEN', 'b'),
      cmd('GETBIT', 'b', '100'),
      cmd('GETBIT', 'b', '99'),
      cmd('GETBIT', 'b', '4294967295'),
      cmd('GETBIT', 'nokey', '0'),
      cmd('SETBIT', 'b', '-1', '1'),
      cmd('SETBIT', 'b', '4294967296', '1'),
      cmd('SETBIT', 'b', 'x', '1'),
      cmd('SETBIT', 'b', '1', '2'),
      cmd('SETBIT', 'b', '1', '-1'),
      cmd('SETBIT', 'b', '1', 'x'),
      cmd('SETBIT', 'b', 'x', 'x'),
      cmd('GETBIT', 'b', '-1'),
      cmd('GETBIT', 'b', '4294967296'),
      cmd('GETBIT', 'b', '01'),
      cmd('SADD', 'set', 'm'),
      cmd('SETBIT', 'set', '0', '1'),
      cmd('SETBIT', 'set', '-1', '1'),
      cmd('GETBIT', 'set', '0'),
      cmd('GETBIT', 'set', 'x'),
      cmd('SET', 'int', '12345'),
      encoding('int'),
      cmd('GETBIT', 'int', '2'),
      cmd('GETBIT', 'int', '3'),
      cmd('SETBIT', 'int', '0', '0'),
      encoding('int'),
      cmd('GET', 'int'),
      cmd('SET', 'e', 'short'),
      cmd('SETBIT', 'e', '1', '1'),
      encoding('e'),
      encoding('b'),
      cmd('SET', 't', 'v', 'EX', '100'),
      cmd('SETBIT', 't', '3', '1'),
      cmd('TTL', 't'),
    ],
    digest: ['b', 'set', 'int', 'e', 't'],
  },
  {
    name: 'BITCOUNT: ranges, units and the order of checks',
    steps: [
      cmd('SET', 's', 'foobar'),
      cmd('BITCOUNT', 's'),
      cmd('BITCOUNT', 's', '0', '0'),
      cmd('BITCOUNT', 's', '1', '1'),
      cmd('BITCOUNT', 's', '1', '1', 'BYTE'),
      cmd('BITCOUNT', 's', '5', '30', 'BIT'),
      cmd('BITCOUNT', 's', '5', '30', 'bit'),
      cmd('BITCOUNT', 's', '-1', '-2'),
      cmd('BITCOUNT', 's', '-1', '-2', 'FOO'),
      cmd('BITCOUNT', 's', '1', '2', 'FOO'),
      cmd('BITCOUNT', 's', '1'),
      cmd('BITCOUNT', 's', '1', '2', 'BIT', 'x'),
      cmd('BITCOUNT', 's', 'a', '2'),
      cmd('BITCOUNT', 's', '1', 'b'),
      cmd('BITCOUNT', 'nokey', 'a', 'b'),
      cmd('BITCOUNT', 'nokey', '1'),
      cmd('BITCOUNT', 'nokey'),
      cmd('SET', 'empty', ''),
      cmd('BITCOUNT', 'empty'),
      cmd('BITCOUNT', 'empty', '0', '-1'),
      cmd('BITCOUNT', 'empty', '0', '-1', 'BIT'),
      cmd('SADD', 'set', 'm'),
      cmd('BITCOUNT', 'set'),
      cmd('BITCOUNT', 'set', 'x'),
      cmd('BITCOUNT', 's', '-9223372036854775808', '9223372036854775807'),
      cmd('BITCOUNT', 's', '0', '9223372036854775807', 'BIT'),
      cmd('SET', 'n', '-42'),
      cmd('BITCOUNT', 'n'),
    ],
    digest: ['s', 'empty', 'set', 'n'],
  },
  {
    name: 'BITPOS: bits, ranges, errors',
    steps: [
      cmd('SET', 's', '\u00ff\u00f0\u0000'),
      cmd('BITPOS', 's', '0'),
      cmd('BITPOS', 's', '1'),
      cmd('BITPOS', 's', '1', '2'),
      cmd('BITPOS', 's', '0', '0', '0'),
      cmd('BITPOS', 's', '0', '0', '-1'),
      cmd('BITPOS', 's', '1', '7', '15', 'BIT'),
      cmd('BITPOS', 's', '0', '7', '15', 'BIT'),
      cmd('BITPOS', 's', '2'),
      cmd('BITPOS', 's', '-1'),
      cmd('BITPOS', 's', 'x'),
      cmd('BITPOS', 'nokey', '1'),
      cmd('BITPOS', 'nokey', '0'),
      cmd('BITPOS', 'nokey', '2'),
      cmd('BITPOS', 'nokey', '0', 'x', 'y', 'z'),
      cmd('BITPOS', 's', '0', 'x'),
      cmd('BITPOS', 's', '0', '1', 'x'),
      cmd('BITPOS', 's', '0', '1', '2', 'FOO'),
      cmd('BITPOS', 's', '0', 'x', '2', 'FOO'),
      cmd('BITPOS', 's', '0', '1', 'x', 'FOO'),
      cmd('BITPOS', 's', '0', '1', '2', 'BIT', 'x'),
      cmd('SET', 'ones', '\u00ff\u00ff\u00ff'),
      cmd('BITPOS', 'ones', '0'),
      cmd('BITPOS', 'ones', '0', '0', '-1'),
      cmd('BITPOS', 'ones', '0', '1'),
      cmd('SET', 'empty', ''),
      cmd('BITPOS', 'empty', '0'),
      cmd('BITPOS', 'empty', '1'),
      cmd('SADD', 'set', 'm'),
      cmd('BITPOS', 'set', '1'),
    ],
    digest: ['s', 'ones', 'empty', 'set'],
  },
  { name: 'BITCOUNT and BITPOS over generated ranges', steps: rangeSteps(), digest: ['r'] },
  {
    name: 'BITOP',
    steps: [
      cmd('SET', 'a', 'foobar'),
      cmd('SET', 'b', 'abc'),
      cmd('BITOP', 'AND', 'dest', 'a', 'b'),
      cmd('GET', 'dest'),
      encoding('dest'),
      cmd('BITOP', 'or', 'dest', 'a', 'b', 'nokey'),
      cmd('GET', 'dest'),
      cmd('BITOP', 'XOR', 'dest', 'a', 'b'),
      cmd('GET', 'dest'),
      cmd('BITOP', 'NOT', 'dest', 'b'),
      cmd('GET', 'dest'),
      cmd('BITOP', 'NOT', 'dest', 'a', 'b'),
      cmd('BITOP', 'NAND', 'dest', 'a'),
      cmd('BITOP', 'AND', 'dest', 'a', 'nokey'),
      cmd('GET', 'dest'),
      cmd('SET', 'ttl', 'v', 'EX', '100'),
      cmd('BITOP', 'OR', 'ttl', 'a'),
      cmd('TTL', 'ttl'),
      cmd('BITOP', 'AND', 'dest', 'nokey', 'nokey2'),
      cmd('EXISTS', 'dest'),
      cmd('BITOP', 'NOT', 'dest', 'nokey'),
      cmd('SADD', 'set', 'm'),
      cmd('BITOP', 'AND', 'dest', 'a', 'set'),
      cmd('BITOP', 'AND', 'set', 'a'),
      cmd('TYPE', 'set'),
      cmd('BITOP', 'NOT', 'dest', 'set'),
      cmd('SET', 'int', '1234'),
      cmd('BITOP', 'NOT', 'dest', 'int'),
      cmd('GET', 'dest'),
      cmd('SET', 'empty', ''),
      cmd('BITOP', 'OR', 'dest', 'empty'),
      cmd('EXISTS', 'dest'),
    ],
    digest: ['a', 'b', 'dest', 'ttl', 'set', 'int'],
  },
  {
    name: 'BITFIELD and BITFIELD_RO: types, offsets, overflow, errors',
    steps: [
      cmd('BITFIELD', 'bf', 'SET', 'i8', '0', '100', 'GET', 'i8', '0'),
      cmd('BITFIELD', 'bf', 'INCRBY', 'i8', '0', '100'),
      cmd('BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '100'),
      cmd('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', '0', '100'),
      cmd(
        'BITFIELD',
        'bf',
        'OVERFLOW',
        'FAIL',
        'INCRBY',
        'i8',
        '0',
        '-1',
        'INCRBY',
        'u2',
        '100',
        '5',
      ),
      cmd('BITFIELD', 'bf', 'SET', 'u8', '#1', '255', 'GET', 'u4', '#3', 'GET', 'i64', '0'),
      cmd('BITFIELD', 'bf', 'SET', 'i64', '0', '-9223372036854775808', 'INCRBY', 'i64', '0', '-1'),
      cmd(
        'BITFIELD',
        'bf',
        'OVERFLOW',
        'SAT',
        'INCRBY',
        'i64',
        '0',
        '-1',
        'INCRBY',
        'u63',
        '64',
        '-1',
      ),
      cmd('BITFIELD', 'bf', 'SET', 'u63', '0', '-1', 'OVERFLOW', 'SAT', 'SET', 'u63', '0', '-1'),
      cmd('BITFIELD', 'bf', 'SET', 'u1', '5', '2', 'SET', 'i1', '6', '1', 'GET', 'i1', '6'),
      cmd('BITFIELD', 'bf'),
      cmd('BITFIELD', 'nokey'),
      cmd('EXISTS', 'nokey'),
      cmd('BITFIELD', 'nokey', 'GET', 'u8', '0'),
      cmd('EXISTS', 'nokey'),
      cmd('BITFIELD', 'bf', 'GET', 'u64', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'i65', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'i0', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'I8', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'x8', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'u', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'u08', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '-1'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '#-1'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '#x'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '4294967296'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '#536870912'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '#536870911'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '#2305843009213693952'),
      cmd('BITFIELD', 'bf', 'SET', 'u8', '0'),
      cmd('BITFIELD', 'bf', 'SET', 'u8', '0', 'x'),
      cmd('BITFIELD', 'bf', 'INCRBY', 'u8', '0', '1.5'),
      cmd('BITFIELD', 'bf', 'GET', 'u8'),
      cmd('BITFIELD', 'bf', 'OVERFLOW'),
      cmd('BITFIELD', 'bf', 'OVERFLOW', 'FOO', 'GET', 'u8', '0'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '0', 'OVERFLOW', 'FOO'),
      cmd('BITFIELD', 'bf', 'FOO'),
      cmd('BITFIELD', 'bf', 'GET', 'u8', '0', 'SET', 'u8', 'x', '1'),
      cmd('BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'GET', 'i4', '#2'),
      cmd('BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'),
      cmd('BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '1'),
      cmd('BITFIELD_RO', 'bf', 'OVERFLOW', 'SAT'),
      cmd('BITFIELD_RO', 'bf'),
      cmd('BITFIELD_RO', 'nokey', 'GET', 'u8', '0'),
      cmd('SADD', 'set', 'm'),
      cmd('BITFIELD', 'set', 'GET', 'u8', '0'),
      cmd('BITFIELD', 'set', 'SET', 'u8', '0', '1'),
      cmd('BITFIELD', 'set'),
      cmd('BITFIELD', 'set', 'GET', 'u8', 'x'),
      cmd('BITFIELD_RO', 'set', 'GET', 'u8', '0'),
      cmd('SET', 'int', '100'),
      cmd('BITFIELD', 'int', 'GET', 'u8', '0'),
      encoding('int'),
      cmd('BITFIELD', 'int', 'INCRBY', 'u8', '0', '1'),
      encoding('int'),
      cmd('GET', 'int'),
      cmd('BITFIELD', 'grow', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '64', '1000'),
      cmd('GET', 'grow'),
      cmd('GET', 'bf'),
    ],
    digest: ['bf', 'set', 'int', 'grow'],
  },
  { name: 'BITFIELD, generated operations', steps: bitfieldSteps(300), digest: ['bf'] },
  {
    name: 'LCS',
    steps: [
      cmd('SET', 'a', 'ohmytext'),
      cmd('SET', 'b', 'mynewtext'),
      cmd('LCS', 'a', 'b'),
      cmd('LCS', 'a', 'b', 'LEN'),
      cmd('LCS', 'a', 'b', 'IDX'),
      cmd('LCS', 'a', 'b', 'idx', 'MINMATCHLEN', '4'),
      cmd('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'),
      cmd('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN', '-5'),
      cmd('LCS', 'a', 'b', 'WITHMATCHLEN'),
      cmd('LCS', 'a', 'b', 'MINMATCHLEN', '2'),
      cmd('LCS', 'a', 'b', 'LEN', 'IDX'),
      cmd('LCS', 'a', 'b', 'LEN', 'FOO'),
      cmd('LCS', 'a', 'b', 'MINMATCHLEN'),
      cmd('LCS', 'a', 'b', 'MINMATCHLEN', 'x'),
      cmd('LCS', 'a', 'b', 'MINMATCHLEN', 'x', 'LEN', 'IDX'),
      cmd('LCS', 'a', 'b', 'LEN', 'LEN'),
      cmd('LCS', 'a', 'nokey'),
      cmd('LCS', 'nokey', 'nokey2', 'IDX'),
      cmd('LCS', 'a', 'a', 'IDX', 'WITHMATCHLEN'),
      cmd('SADD', 'set', 'm'),
      cmd('LCS', 'a', 'set'),
      cmd('LCS', 'set', 'a', 'FOO'),
      cmd('SET', 'x', 'aaaabbbbccccdddd'),
      cmd('SET', 'y', 'ddddccccbbbbaaaa'),
      cmd('LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN'),
      cmd('SET', 'p', 'abcabcabcxyzxyz'),
      cmd('SET', 'q', 'xyzabcxyzabcabc'),
      cmd('LCS', 'p', 'q'),
      cmd('LCS', 'p', 'q', 'IDX', 'WITHMATCHLEN'),
      cmd('LCS', 'q', 'p', 'IDX', 'MINMATCHLEN', '3'),
      cmd('SET', 'n1', '1234567'),
      cmd('SET', 'n2', '7654321'),
      cmd('LCS', 'n1', 'n2', 'IDX'),
    ],
    digest: ['a', 'b', 'x', 'y'],
  },
];

describeCollectionDiff('bitmaps and LCS against redis-server 7.0.15', 'string', SCRIPTS);

describe('bitmap propagation against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('propagates writes that change something, as received', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '3', '0'],
      ['SETBIT', 'b', '30', '0'],
      ['SET', 'int', '12'],
      ['SETBIT', 'int', '0', '0'],
      ['BITFIELD', 'b', 'GET', 'u8', '0'],
      ['BITFIELD', 'b', 'GET', 'u8', '0', 'SET', 'u4', '#1', '3'],
      ['BITFIELD', 'b', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9'],
      ['BITFIELD_RO', 'b', 'GET', 'u8', '0'],
      ['BITOP', 'OR', 'dest', 'b', 'int'],
      ['BITOP', 'AND', 'dest', 'nokey'],
      ['BITOP', 'AND', 'dest', 'nokey'],
      ['SET', 'a', 'xyz'],
      ['LCS', 'a', 'b'],
      ['MULTI'],
      ['SETBIT', 'm', '1', '1'],
      ['BITFIELD', 'm', 'INCRBY', 'i5', '3', '1'],
      ['EXEC'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.some((argv) => argv[0]?.toUpperCase() === 'BITFIELD')).toBe(true);
  });
});
