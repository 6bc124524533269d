/**
 * RdbWriter tests. Goal: the writer emits the bytes Redis 7.0.15 writes. Method: the annotated
 * SAVE of §2.7 (13 keys, every encoding 7.0 writes) is rebuilt with the same header values and
 * compared byte for byte, trailer included (its CRC recomputed, since the sample's repl-id is not
 * recorded); then each string and length form is pinned at its thresholds, the quicklist node split
 * at 8 KB, the chunked output (take) and out-of-order records (encodeKeyRecord + raw). A last test
 * measures throughput on 1M 100-byte string keys and bounds it loosely.
 */
import { describe, expect, it } from 'vitest';
import { crc64 } from './crc64.js';
import { decodeListpack } from './listpack.js';
import { RdbOutput } from './rdb-output.js';
import type { RdbHeader } from './types.js';
import { quicklistNodes, zsetScoreText } from './value-encoding.js';
import { encodeKeyRecord, RdbWriter } from './writer.js';

const REPL_ID = '8c1f0b5e3a9d47c2b6e0f13a5d7c9b2e4f6a8d10';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const str = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

/** §2.7 byte for byte, with our repl-id in place of the unrecorded one and without the CRC. */
const SAMPLE_WITHOUT_CRC = hex(
  [
    '524544495330303130',
    `fa09${str('redis-ver')}06${str('7.0.15')}`,
    `fa0a${str('redis-bits')}c040`,
    `fa05${str('ctime')}c2bf9a046b`,
    `fa08${str('used-mem')}c2281b1800`,
    `fa0e${str('repl-stream-db')}c000`,
    `fa07${str('repl-id')}28${str(REPL_ID)}`,
    `fa0b${str('repl-offset')}c16302`,
    `fa08${str('aof-base')}c000`,
    'fe00',
    'fb0d01',
    `0404${str('hbig')}0101${str('f')}01${str('v')}`,
    `1001${str('h')}0d 0d000000 0200 816602 817602 ff`,
    `1101${str('z')}14 14000000 0400 816102 0101 816202 83${str('2.5')}04 ff`,
    `0003${str('str')}05${str('hello')}`,
    `0003${str('neg')}c0fe`,
    `0504${str('zbig')}0101${str('x')}000000000000f03f`,
    `fc2f5af20fa2010000 0002${str('ex')}01${str('v')}`,
    `0002${str('lz')}c3092c 016161e01f00016161`,
    `0003${str('big')}0a${str('3000000000')}`,
    `1204${str('list')}0102 0f 0f000000 0300 816102 816202 0101 ff`,
    `0b04${str('iset')}0e 02000000 03000000 0100 0200 0300`,
    `0003${str('int')}c13930`,
    `0204${str('sset')}02 01${str('b')}01${str('a')}`,
    'ff',
  ].join(''),
);

const SAMPLE_HEADER: RdbHeader = {
  redisVersion: '7.0.15',
  ctimeSeconds: 0x6b049abf,
  usedMemory: 0x181b28,
  replication: { streamDb: 0, replid: REPL_ID, offset: 611 },
};

/** Writes the sample; `between` runs after every call (to take() at every point). */
function writeSample(writer: RdbWriter, between: () => void = () => {}): void {
  writer.header(SAMPLE_HEADER);
  between();
  writer.selectDb(0, 13, 1);
  between();
  writer.key('hbig', { type: 'hash', encoding: 'hashtable', size: 1, entries: [['f', 'v']] });
  between();
  writer.key('h', { type: 'hash', encoding: 'listpack', size: 1, entries: [['f', 'v']] });
  between();
  writer.key('z', {
    type: 'zset',
    encoding: 'listpack',
    size: 2,
    entries: [
      { member: 'a', score: 1 },
      { member: 'b', score: 2.5 },
    ],
  });
  between();
  writer.key('str', { type: 'string', value: 'hello' });
  between();
  writer.key('neg', { type: 'string', value: Buffer.from('-2') });
  between();
  writer.key('zbig', {
    type: 'zset',
    encoding: 'skiplist',
    size: 1,
    entries: [{ member: 'x', score: 1 }],
  });
  between();
  writer.key('ex', { type: 'string', value: 'v' }, 0x1a20ff25a2f);
  between();
  writer.key('lz', { type: 'string', value: 'a'.repeat(44) });
  between();
  writer.key('big', { type: 'string', value: '3000000000' });
  between();
  writer.key('list', { type: 'list', size: 3, elements: ['a', 'b', '1'] });
  between();
  writer.key('iset', { type: 'set', encoding: 'intset', size: 3, members: ['3', '1', '2'] });
  between();
  writer.key('int', { type: 'string', value: '12345' });
  between();
  writer.key('sset', { type: 'set', encoding: 'hashtable', size: 2, members: ['b', 'a'] });
  between();
  writer.finish();
  between();
}

/** The bytes writeString gives for one value. */
function stringBytes(value: string | Buffer, compression = true): string {
  const out = new RdbOutput();
  out.writeString(value, compression);
  return out.copyOut().toString('hex');
}

describe('RdbWriter: the §2.7 sample', () => {
  it('writes the 13-key SAVE byte for byte, then the CRC64 of every byte before it', () => {
    const writer = new RdbWriter({ compression: true, checksum: true });
    writeSample(writer);
    const file = writer.take();
    expect(file.subarray(0, -8).toString('hex')).toBe(SAMPLE_WITHOUT_CRC.toString('hex'));
    expect(file.readBigUInt64LE(file.length - 8)).toBe(crc64(SAMPLE_WITHOUT_CRC));
    expect(file.length).toBe(376 - 40 + REPL_ID.length);
    expect(writer.totalBytes).toBe(file.length);
  });

  it('writes 8 zero bytes instead of the CRC with checksum off', () => {
    const writer = new RdbWriter({ compression: true, checksum: false });
    writeSample(writer);
    const file = writer.take();
    expect(file.subarray(0, -8).equals(SAMPLE_WITHOUT_CRC)).toBe(true);
    expect(file.subarray(-8).equals(Buffer.alloc(8))).toBe(true);
  });

  it('gives the same file however often take() is called', () => {
    const whole = new RdbWriter({ compression: true, checksum: true });
    writeSample(whole);
    const expected = whole.take();
    const chunked = new RdbWriter({ compression: true, checksum: true });
    const chunks: Buffer[] = [];
    writeSample(chunked, () => {
      const pending = chunked.pendingBytes;
      const chunk = chunked.take();
      expect(chunk.length).toBe(pending);
      expect(chunked.pendingBytes).toBe(0);
      chunks.push(chunk);
    });
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(chunked.totalBytes).toBe(expected.length);
    expect(chunked.take().length).toBe(0);
  });

  it('appends out-of-order records with raw(), covered by the CRC like any key', () => {
    const direct = new RdbWriter({ compression: true, checksum: true });
    const viaRaw = new RdbWriter({ compression: true, checksum: true });
    for (const writer of [direct, viaRaw]) {
      writer.header(SAMPLE_HEADER);
      writer.selectDb(3, 2, 1);
    }
    const list = { type: 'list', size: 2, elements: ['x', 'y'] } as const;
    direct.key('k1', list, 1_700_000_000_000);
    direct.key('k2', { type: 'string', value: 'v' });
    viaRaw.raw(encodeKeyRecord('k1', list, 1_700_000_000_000, { compression: true }));
    viaRaw.raw(
      encodeKeyRecord('k2', { type: 'string', value: 'v' }, undefined, { compression: true }),
    );
    direct.finish();
    viaRaw.finish();
    expect(viaRaw.take().equals(direct.take())).toBe(true);
  });

  it('refuses calls out of order (programmer errors)', () => {
    const writer = new RdbWriter({ compression: false, checksum: true });
    expect(() => writer.selectDb(0, 1, 0)).toThrow(/header\(\) first/);
    writer.header(SAMPLE_HEADER);
    expect(() => writer.header(SAMPLE_HEADER)).toThrow();
    writer.finish();
    expect(() => writer.key('k', { type: 'string', value: 'v' })).toThrow();
  });

  it('writes the aof-base flag and no repl fields without replication', () => {
    const writer = new RdbWriter({ compression: false, checksum: true });
    writer.header({ redisVersion: '7.0.15', ctimeSeconds: 1, usedMemory: 2, aofBase: true });
    const bytes = writer.take().toString('latin1');
    expect(bytes).not.toContain('repl-');
    expect(bytes.endsWith(`\xfa\x08aof-base\xc0\x01`)).toBe(true);
  });
});

describe('RdbWriter: the string rule (rdbSaveRawString)', () => {
  it('int-encodes canonical integers in the smallest of INT8/16/32', () => {
    expect(stringBytes('0')).toBe('c000');
    expect(stringBytes('127')).toBe('c07f');
    expect(stringBytes('-128')).toBe('c080');
    expect(stringBytes('128')).toBe('c18000');
    expect(stringBytes('-129')).toBe('c17fff');
    expect(stringBytes('32767')).toBe('c1ff7f');
    expect(stringBytes('-32768')).toBe('c10080');
    expect(stringBytes('32768')).toBe('c200800000');
    expect(stringBytes('2147483647')).toBe('c2ffffff7f');
    expect(stringBytes('-2147483648')).toBe('c200000080');
    expect(stringBytes(Buffer.from('-2147483648'))).toBe('c200000080');
  });

  it('writes non-canonical or out-of-range integers as plain strings', () => {
    for (const text of ['2147483648', '-2147483649', '01', '-0', '+1', ' 1', '1 ', '-', '1e3']) {
      expect(stringBytes(text)).toBe(`${text.length.toString(16).padStart(2, '0')}${str(text)}`);
      expect(stringBytes(Buffer.from(text))).toBe(stringBytes(text));
    }
  });

  it('tries LZF only above 20 bytes, and keeps it only if it saves at least 4 bytes', () => {
    expect(stringBytes('a'.repeat(20))).toBe(`14${str('a'.repeat(20))}`);
    expect(stringBytes('a'.repeat(21)).startsWith('c3')).toBe(true);
    expect(stringBytes('a'.repeat(21), false)).toBe(`15${str('a'.repeat(21))}`);
    const incompressible = Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 97 + 13) & 0xff));
    expect(stringBytes(incompressible)).toBe(`28${incompressible.toString('hex')}`);
  });

  it('writes 6-bit, 14-bit and 32-bit lengths at their thresholds', () => {
    const lengthOf = (size: number): string =>
      stringBytes(Buffer.alloc(size, 0x78).fill(0x79, 0, 1), false).slice(0, 10);
    expect(lengthOf(63).slice(0, 2)).toBe('3f');
    expect(lengthOf(64).slice(0, 4)).toBe('4040');
    expect(lengthOf(16383).slice(0, 4)).toBe('7fff');
    expect(lengthOf(16384)).toBe('8000004000');
  });
});

describe('RdbWriter: zset listpack scores (d2string)', () => {
  it('prints integral scores up to 2^62 as integers, others as %.17g', () => {
    expect(zsetScoreText(1)).toBe('1');
    expect(zsetScoreText(-0)).toBe('-0');
    expect(zsetScoreText(0)).toBe('0');
    expect(zsetScoreText(2.5)).toBe('2.5');
    expect(zsetScoreText(0.1)).toBe('0.10000000000000001');
    expect(zsetScoreText(1e17)).toBe('100000000000000000');
    expect(zsetScoreText(2 ** 62)).toBe('4611686018427387904');
    expect(zsetScoreText(-(2 ** 62))).toBe('-4611686018427387904');
    expect(zsetScoreText(2 ** 62 + 1024)).toBe('4.6116860184273889e+18');
    expect(zsetScoreText(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });
});

describe('RdbWriter: quicklist nodes (list-max-listpack-size -2)', () => {
  it('starts a node when node bytes + element bytes + 8 would pass 8192', () => {
    const element = 'e'.repeat(100);
    const nodes = quicklistNodes(Array.from({ length: 200 }, () => element));
    const sizes = nodes.map((node) => ('packed' in node ? node.packed.count : -1));
    // Each entry takes 2 + 100 + 1 bytes (string header, data, backlen); an empty listpack 7.
    const perNode = Math.floor((8192 - 7 - 8 - 100) / 103) + 1;
    expect(perNode).toBe(79);
    expect(sizes[0]).toBe(perNode);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(200);
    for (const node of nodes) {
      if ('packed' in node) expect(node.packed.byteLength).toBeLessThanOrEqual(8192);
    }
  });

  it('gives an element above 8 KB a PACKED node of its own', () => {
    const nodes = quicklistNodes(['a', 'x'.repeat(9000), 'b']);
    expect(nodes.map((node) => ('packed' in node ? node.packed.count : -1))).toEqual([1, 1, 1]);
    const middle = nodes[1];
    expect(middle !== undefined && 'packed' in middle).toBe(true);
    if (middle !== undefined && 'packed' in middle) {
      expect(decodeListpack(middle.packed.finish())[0]?.length).toBe(9000);
    }
  });
});

describe('RdbWriter: throughput', () => {
  it('serialises 1M string keys of 100 bytes in well under a few seconds', () => {
    const keys = 1_000_000;
    const value = Buffer.alloc(100, 0x61);
    for (let i = 0; i < 100; i++) value[i] = (i * 131 + 7) & 0xff;
    // Compression off: with it on, LZF is tried (and fails) on every 100-byte value, which the
    // module doc's numbers show separately.
    const writer = new RdbWriter({ compression: false, checksum: true });
    writer.header({ redisVersion: '7.0.15', ctimeSeconds: 1, usedMemory: 1 });
    writer.selectDb(0, keys, 0);
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < keys; i++) {
      writer.key(`key:${i}`, { type: 'string', value });
      if (writer.pendingBytes >= 1 << 20) bytes += writer.take().length;
    }
    writer.finish();
    bytes += writer.take().length;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `RdbWriter: ${keys} keys, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s ` +
        `(${Math.round(keys / seconds)} keys/s, ${(bytes / 1e6 / seconds).toFixed(0)} MB/s)`,
    );
    expect(bytes).toBe(writer.totalBytes);
    expect(seconds).toBeLessThan(5);
  });
});
