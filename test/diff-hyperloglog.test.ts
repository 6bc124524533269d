/**
 * Differential test of the HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST):
 * an HLL is a string value, so replisim must write exactly Redis 7.0.15's bytes.
 *
 * Method: one real redis-server and one in-process replisim node (collection-diff.ts), every
 * script in RESP2 and RESP3, replies compared byte for byte; the scripts GET the HLL's bytes after
 * the writes that matter and end with DEBUG DIGEST-VALUE of their keys. Covered: the empty sparse
 * HLL, the cached count (written by PFCOUNT, invalidated by a change), sparse opcodes split and
 * merged, promotion to dense when the sparse form passes hll-sparse-max-bytes (default 3000 and a
 * small configured value) and when a register needs a value above 32 (from a dense input of
 * PFMERGE), PFCOUNT of a union, PFMERGE with sparse and dense inputs, the TTL kept across writes,
 * OBJECT ENCODING (raw), the two WRONGTYPE errors, INVALIDOBJ for corrupt sparse HLLs, PFDEBUG's
 * subcommands and errors. Then a fast-check property: random PFADD/PFMERGE/PFCOUNT sequences over
 * a few keys leave the same bytes on both servers, including across the sparse-to-dense promotion
 * (REPLISIM_HLL_RUNS=N for more runs). Propagation (PFCOUNT propagates itself when it writes the
 * cache; PFDEBUG GETREG/TODENSE when they convert) is compared with Redis's replication stream.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cmd,
  describeCollectionDiff,
  encoding,
  type Script,
  type Step,
} from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { flushBoth, useServerPair } from './support/server-pair.js';

const HEADER_SPARSE = Buffer.from('HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80', 'latin1');
const HEADER_DENSE = Buffer.from('HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80', 'latin1');

/** A dense HLL with register `index` set to `value` (6-bit little-endian packing). */
function denseWith(index: number, value: number): Buffer {
  const registers = Buffer.alloc(12288);
  const bit = index * 6;
  const byte = bit >> 3;
  const shift = bit & 7;
  registers[byte] = (registers[byte] ?? 0) | ((value << shift) & 0xff);
  if (byte + 1 < registers.length) {
    registers[byte + 1] = (registers[byte + 1] ?? 0) | (value >> (8 - shift));
  }
  return Buffer.concat([HEADER_DENSE, registers]);
}

/** `count` elements named `prefix0`, `prefix1`, ... */
function elements(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${from + i}`);
}

/** PFADD in batches of `batch`, GET after each: follows the sparse form up to and past promotion. */
function growSteps(key: string, total: number, batch: number): Step[] {
  const steps: Step[] = [];
  for (let from = 0; from < total; from += batch) {
    steps.push(cmd('PFADD', key, ...elements('e', from, batch)));
    steps.push(cmd('GET', key));
    steps.push(cmd('PFDEBUG', 'ENCODING', key));
  }
  steps.push(cmd('PFCOUNT', key), cmd('GET', key));
  return steps;
}

const SCRIPTS: readonly Script[] = [
  {
    name: 'PFADD and PFCOUNT on a sparse HLL, the cached count',
    steps: [
      cmd('PFADD', 'h'),
      cmd('GET', 'h'),
      cmd('PFADD', 'h'),
      cmd('PFCOUNT', 'h'),
      cmd('PFADD', 'h', 'a', 'b', 'c'),
      cmd('GET', 'h'),
      cmd('PFCOUNT', 'h'),
      cmd('GET', 'h'),
      cmd('PFADD', 'h', 'a'),
      cmd('GET', 'h'),
      cmd('PFADD', 'h', 'd', 'a'),
      cmd('GET', 'h'),
      cmd('PFCOUNT', 'h'),
      cmd('PFCOUNT', 'h'),
      cmd('PFCOUNT', 'nokey'),
      cmd('PFADD', 'h2', ...elements('x', 0, 50)),
      cmd('GET', 'h2'),
      cmd('PFCOUNT', 'h', 'h2', 'nokey'),
      cmd('GET', 'h2'),
      cmd('PFADD', 'bin', 'a\x00b', '', '\xff\xfe', 'abcdefgh', 'abcdefghi', '1234567'),
      cmd('GET', 'bin'),
      cmd('PFDEBUG', 'DECODE', 'bin'),
      encoding('h'),
      cmd('PEXPIRE', 'h', '100000'),
      cmd('PFADD', 'h', 'zz'),
      cmd('PFCOUNT', 'h'),
      cmd('TTL', 'h'),
      cmd('PFADD'),
      cmd('PFCOUNT'),
      cmd('PFMERGE'),
    ],
    digest: ['h', 'h2', 'bin'],
  },
  {
    name: 'wrong types and corrupt HLLs',
    steps: [
      cmd('LPUSH', 'l', 'a'),
      cmd('PFADD', 'l', 'x'),
      cmd('PFCOUNT', 'l'),
      cmd('PFCOUNT', 'l', 'nokey'),
      cmd('PFMERGE', 'l'),
      cmd('PFMERGE', 'dest', 'l'),
      cmd('PFDEBUG', 'GETREG', 'l'),
      cmd('SET', 's', 'abc'),
      cmd('PFADD', 's', 'x'),
      cmd('PFCOUNT', 's'),
      cmd('PFMERGE', 'dest', 's'),
      cmd('EXISTS', 'dest'),
      cmd('SET', 'n', '12345'),
      cmd('PFCOUNT', 'n'),
      cmd('SET', 'bad', Buffer.concat([HEADER_SPARSE, Buffer.from([0x7f, 0xff, 0x80])])),
      cmd('PFCOUNT', 'bad'),
      cmd('PFMERGE', 'm', 'bad'),
      cmd('PFCOUNT', 'bad', 'nokey'),
      cmd('PFADD', 'bad', 'a', 'b', 'c'),
      cmd('GET', 'bad'),
      cmd('PFDEBUG', 'DECODE', 'bad'),
      cmd('PFDEBUG', 'GETREG', 'bad'),
      cmd('PFDEBUG', 'TODENSE', 'bad'),
      cmd('SET', 'short', Buffer.concat([HEADER_SPARSE, Buffer.from([0x7f])])),
      cmd('PFCOUNT', 'short'),
      cmd('PFADD', 'short', 'q'),
      cmd('SET', 'd', Buffer.concat([HEADER_DENSE, Buffer.from([0x7f, 0xff])])),
      cmd('PFCOUNT', 'd'),
      cmd('PFADD', 'd', 'a'),
      cmd(
        'SET',
        'e',
        Buffer.from('HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff', 'latin1'),
      ),
      cmd('PFCOUNT', 'e'),
      cmd(
        'SET',
        'magic',
        Buffer.from('HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff', 'latin1'),
      ),
      cmd('PFCOUNT', 'magic'),
      cmd('PFDEBUG', 'ENCODING', 'nokey'),
      cmd('PFDEBUG', 'FOO', 'nokey'),
      cmd('PFDEBUG', 'FOO', 's'),
      cmd('PFADD', 'ok', 'a'),
      cmd('PFDEBUG', 'FOO', 'ok'),
      cmd('PFDEBUG', 'GETREG', 'ok', 'x'),
      cmd('PFDEBUG', 'GETREG'),
      cmd('INFO', 'errorstats'),
    ],
    digest: ['bad', 'short', 'd'],
  },
  {
    name: 'PFDEBUG subcommands',
    steps: [
      cmd('PFADD', 'h', 'a', 'b', 'c', 'd'),
      cmd('PFDEBUG', 'ENCODING', 'h'),
      cmd('PFDEBUG', 'decode', 'h'),
      cmd('PFDEBUG', 'GETREG', 'h'),
      cmd('PFDEBUG', 'ENCODING', 'h'),
      cmd('GET', 'h'),
      cmd('PFDEBUG', 'DECODE', 'h'),
      cmd('PFADD', 'g', 'x'),
      cmd('PFDEBUG', 'TODENSE', 'g'),
      cmd('PFDEBUG', 'TODENSE', 'g'),
      cmd('PFCOUNT', 'g'),
      cmd('PFADD', 'g', 'y'),
      cmd('PFCOUNT', 'g'),
      cmd('GET', 'g'),
      cmd('SET', 'emb', Buffer.concat([HEADER_SPARSE, Buffer.from([0x7f, 0xff])])),
      encoding('emb'),
      cmd('PFDEBUG', 'ENCODING', 'emb'),
      encoding('emb'),
      cmd('SET', 'emb2', Buffer.concat([HEADER_SPARSE, Buffer.from([0x7f, 0xff])])),
      cmd('PFCOUNT', 'emb2'),
      encoding('emb2'),
      cmd('PFSELFTEST'),
    ],
    digest: ['h', 'g', 'emb'],
  },
  {
    name: 'sparse to dense past hll-sparse-max-bytes (3000)',
    steps: [...growSteps('big', 3200, 200), cmd('PFADD', 'big', 'more1', 'more2')],
    digest: ['big'],
  },
  {
    name: 'a small hll-sparse-max-bytes',
    steps: [
      cmd('CONFIG', 'SET', 'hll-sparse-max-bytes', '60'),
      ...growSteps('small', 40, 4),
      cmd('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'),
    ],
    digest: ['small'],
  },
  {
    name: 'PFMERGE',
    steps: [
      cmd('PFADD', 'a', ...elements('a', 0, 30)),
      cmd('PFADD', 'b', ...elements('a', 20, 30)),
      cmd('PFMERGE', 'm', 'a', 'b', 'nokey'),
      cmd('GET', 'm'),
      cmd('PFCOUNT', 'm'),
      cmd('PFMERGE', 'm'),
      cmd('GET', 'm'),
      cmd('PFMERGE', 'a', 'b'),
      cmd('GET', 'a'),
      cmd('PFMERGE', 'empty'),
      cmd('GET', 'empty'),
      cmd('PFMERGE', 'empty2', 'nokey'),
      cmd('GET', 'empty2'),
      cmd('SET', 'big', denseWith(100, 40)),
      cmd('PFCOUNT', 'big'),
      cmd('PFMERGE', 'a', 'big'),
      cmd('PFDEBUG', 'ENCODING', 'a'),
      cmd('GET', 'a'),
      cmd('PFCOUNT', 'a', 'b', 'big'),
      cmd('PFADD', 'c', 'x', 'y'),
      cmd('SET', 'reg40', denseWith(7, 33)),
      cmd('PFADD', 's40', 'q'),
      cmd('PFMERGE', 's40', 'reg40'),
      cmd('GET', 's40'),
      cmd('PFADD', 't', 'x'),
      cmd('EXPIRE', 't', '1000'),
      cmd('PFMERGE', 't', 'c'),
      cmd('TTL', 't'),
      cmd('GET', 't'),
      cmd('PFADD', 'many', ...elements('m', 0, 400)),
      cmd('PFMERGE', 'many2', 'many', 'c'),
      cmd('GET', 'many2'),
      cmd('CONFIG', 'SET', 'hll-sparse-max-bytes', '100'),
      cmd('PFMERGE', 'many3', 'many'),
      cmd('PFDEBUG', 'ENCODING', 'many3'),
      cmd('GET', 'many3'),
      cmd('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'),
    ],
    digest: ['a', 'b', 'm', 'empty', 'big', 's40', 't', 'many2', 'many3'],
  },
  {
    name: 'dense adds and counts',
    steps: [
      cmd('PFADD', 'd', ...elements('d', 0, 5000)),
      cmd('PFDEBUG', 'ENCODING', 'd'),
      cmd('PFCOUNT', 'd'),
      cmd('PFADD', 'd', ...elements('d', 4990, 20)),
      cmd('PFCOUNT', 'd'),
      cmd('GET', 'd'),
      cmd('PFADD', 'd2', ...elements('z', 0, 20000)),
      cmd('PFCOUNT', 'd2'),
      cmd('PFCOUNT', 'd', 'd2'),
      cmd('PFMERGE', 'd3', 'd', 'd2'),
      cmd('PFCOUNT', 'd3'),
      cmd('GET', 'd3'),
    ],
    digest: ['d', 'd2', 'd3'],
  },
];

describeCollectionDiff('HyperLogLog against redis-server 7.0.15', 'string', SCRIPTS);

const RUNS = Number(process.env['REPLISIM_HLL_RUNS'] ?? '6');

describe('HyperLogLog properties against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('random PFADD/PFMERGE/PFCOUNT sequences leave the same bytes on both servers', async () => {
    const key = fc.constantFrom('h1', 'h2', 'h3');
    const element = fc.oneof(
      fc.integer({ min: 0, max: 5000 }).map(String),
      fc.string({ maxLength: 12 }),
    );
    const step = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(key, fc.array(element, { maxLength: 300 }))
          .map(([k, e]) => ['PFADD', k, ...e]),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(key, fc.array(key, { maxLength: 3 }))
          .map(([k, s]) => ['PFMERGE', k, ...s]),
      },
      {
        weight: 2,
        arbitrary: fc.array(key, { minLength: 1, maxLength: 3 }).map((k) => ['PFCOUNT', ...k]),
      },
    );
    const ports = { redis: servers().redis.port, replisim: servers().replisim.port };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        await flushBoth(ports);
        const redis = await RawClient.connect(ports.redis);
        const ours = await RawClient.connect(ports.replisim);
        try {
          for (const argv of steps) {
            const expected = await redis.call(...argv);
            const actual = await ours.call(...argv);
            expect(actual.bytes.toString('latin1'), argv.slice(0, 3).join(' ')).toBe(
              expected.bytes.toString('latin1'),
            );
          }
          for (const name of ['h1', 'h2', 'h3']) {
            const expected = await redis.call('GET', name);
            const actual = await ours.call('GET', name);
            expect(actual.bytes.equals(expected.bytes), `GET ${name}`).toBe(true);
          }
        } finally {
          redis.close();
          ours.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('HyperLogLog propagation against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('propagates PFADD, PFMERGE, a cache-writing PFCOUNT and PFDEBUG conversions', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['PFADD', 'h', 'a', 'b'],
      ['PFADD', 'h', 'a'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'c'],
      ['PFCOUNT', 'h', 'nokey'],
      ['PFCOUNT', 'h'],
      ['PFMERGE', 'm', 'h'],
      ['PFMERGE', 'm'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'TODENSE', 'h'],
      ['PFDEBUG', 'GETREG', 'm'],
      ['PFCOUNT', 'nokey'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.some((argv) => argv[0]?.toUpperCase() === 'PFCOUNT')).toBe(true);
  });
});
