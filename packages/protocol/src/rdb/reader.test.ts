/**
 * RdbReader tests. Goal: the reader loads what Redis 7.0 loads, streams, and refuses what Redis
 * refuses with Redis's words. Method: the §2.7 sample (rebuilt by the writer, whose bytes
 * writer.test.ts pins to Redis's) read whole and one byte at a time; hand-built files for the forms
 * 7.0 only reads (LIST, ZSET v1, EXPIRETIME in seconds, IDLE/FREQ, FUNCTION2, PLAIN nodes, LZF'd
 * blobs); and hand-made corruptions (magic, version, type byte, CRC, lengths, duplicates,
 * truncation), each checked for its message, phase, offset and key.
 */
import { describe, expect, it } from 'vitest';
import {
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_SELECTDB,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_ZSET,
} from './constants.js';
import { crc64 } from './crc64.js';
import { ListpackBuilder } from './listpack.js';
import { RdbOutput } from './rdb-output.js';
import { RdbReader } from './reader.js';
import { RdbError, type RdbRecord } from './types.js';
import { RdbWriter } from './writer.js';

/** A file: magic for `version`, the body built by `body`, EOF and (v >= 5) a CRC. */
function file(body: (out: RdbOutput) => void, version = 10, checksum = true): Buffer {
  const out = new RdbOutput();
  out.writeBytes(Buffer.from(`REDIS${String(version).padStart(4, '0')}`, 'latin1'));
  body(out);
  out.writeByte(RDB_OPCODE_EOF);
  const bytes = out.copyOut();
  if (version < 5) return bytes;
  const trailer = Buffer.alloc(8);
  if (checksum) trailer.writeBigUInt64LE(crc64(bytes));
  return Buffer.concat([bytes, trailer]);
}

function readWhole(bytes: Uint8Array, verifyChecksum = true): RdbRecord[] {
  const reader = new RdbReader({ verifyChecksum });
  reader.push(bytes);
  reader.end();
  const records: RdbRecord[] = [];
  for (let record = reader.next(); record !== undefined; record = reader.next()) {
    records.push(record);
  }
  expect(reader.done).toBe(true);
  expect(reader.offset).toBe(bytes.length);
  return records;
}

function readError(bytes: Uint8Array): RdbError {
  try {
    readWhole(bytes);
  } catch (error) {
    if (error instanceof RdbError) return error;
    throw error;
  }
  throw new Error('no RdbError');
}

const keys = (records: RdbRecord[]) => records.filter((record) => record.kind === 'key');

function sampleFile(): Buffer {
  const writer = new RdbWriter({ compression: true, checksum: true });
  writer.header({ redisVersion: '7.0.15', ctimeSeconds: 1_700_000_000, usedMemory: 1_000_000 });
  writer.selectDb(0, 3, 1);
  writer.key('str', { type: 'string', value: 'hello' }, 1_800_000_000_000);
  writer.key('z', {
    type: 'zset',
    encoding: 'listpack',
    size: 3,
    entries: [
      { member: 'a', score: -1 },
      { member: 'b', score: 2.5 },
      { member: 'c', score: Number.POSITIVE_INFINITY },
    ],
  });
  writer.key('lz', { type: 'string', value: 'a'.repeat(44) });
  writer.selectDb(7, 1, 0);
  writer.key('h', { type: 'hash', encoding: 'listpack', size: 1, entries: [['f', 'v']] });
  writer.finish();
  return writer.take();
}

describe('RdbReader: files Redis 7.0 writes', () => {
  it('returns every record in file order, with keys, values and expiries', () => {
    const bytes = sampleFile();
    const records = readWhole(bytes);
    expect(records.filter((r) => r.kind === 'aux').map((r) => r.kind === 'aux' && r.name)).toEqual([
      'redis-ver',
      'redis-bits',
      'ctime',
      'used-mem',
      'aof-base',
    ]);
    expect(records).toContainEqual({ kind: 'aux', name: 'ctime', value: '1700000000' });
    expect(records).toContainEqual({ kind: 'selectdb', db: 7 });
    expect(records).toContainEqual({ kind: 'resizedb', size: 3, expires: 1 });
    expect(keys(records)).toEqual([
      {
        kind: 'key',
        db: 0,
        key: 'str',
        value: { type: 'string', value: Buffer.from('hello') },
        expireMs: 1_800_000_000_000,
      },
      {
        kind: 'key',
        db: 0,
        key: 'z',
        value: {
          type: 'zset',
          encoding: 'listpack',
          entries: [
            { member: 'a', score: -1 },
            { member: 'b', score: 2.5 },
            { member: 'c', score: Number.POSITIVE_INFINITY },
          ],
        },
      },
      {
        kind: 'key',
        db: 0,
        key: 'lz',
        value: { type: 'string', value: Buffer.from('a'.repeat(44)) },
      },
      {
        kind: 'key',
        db: 7,
        key: 'h',
        value: { type: 'hash', encoding: 'listpack', entries: [['f', Buffer.from('v')]] },
      },
    ]);
    const eof = records.at(-1);
    expect(eof?.kind).toBe('eof');
    if (eof?.kind === 'eof') {
      expect(eof.storedChecksum).toBe(bytes.readBigUInt64LE(bytes.length - 8));
      expect(eof.computedChecksum).toBe(eof.storedChecksum);
    }
  });

  it('streams: fed one byte at a time, it returns the same records, each once its bytes arrived', () => {
    const bytes = sampleFile();
    const whole = readWhole(bytes);
    const reader = new RdbReader();
    const records: RdbRecord[] = [];
    for (let i = 0; i < bytes.length; i++) {
      reader.push(bytes.subarray(i, i + 1));
      for (let record = reader.next(); record !== undefined; record = reader.next()) {
        records.push(record);
        // Small records come out as soon as their last byte is in.
        expect(reader.offset).toBe(i + 1);
      }
    }
    expect(reader.done).toBe(true);
    expect(records).toEqual(whole);
  });

  it('returns values the caller owns, not views of the pushed chunks', () => {
    const bytes = sampleFile();
    const reader = new RdbReader();
    const input = Buffer.from(bytes);
    reader.push(input);
    const records: RdbRecord[] = [];
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      records.push(record);
    }
    input.fill(0);
    expect(records).toEqual(readWhole(bytes));
  });

  it('reads a PLAIN quicklist node and LZF-compressed listpacks', () => {
    const listpack = new ListpackBuilder();
    for (let i = 0; i < 50; i++) listpack.push('same-element');
    const bytes = file((out) => {
      out.writeByte(RDB_TYPE_LIST_QUICKLIST_2);
      out.writeString('l', true);
      out.writeLength(2);
      out.writeLength(QUICKLIST_NODE_CONTAINER_PLAIN);
      out.writeString('plain element', true);
      out.writeLength(2);
      out.writeString(listpack.finish(), true);
    });
    expect(bytes.includes(0xc3)).toBe(true);
    const [record] = keys(readWhole(bytes));
    expect(record?.value).toEqual({
      type: 'list',
      elements: [
        Buffer.from('plain element'),
        ...Array.from({ length: 50 }, () => Buffer.from('same-element')),
      ],
    });
  });

  it('reads the older forms 7.0 still loads: LIST, ZSET v1, EXPIRETIME seconds, IDLE, FREQ', () => {
    const bytes = file((out) => {
      out.writeByte(RDB_OPCODE_SELECTDB);
      out.writeLength(2);
      out.writeByte(RDB_OPCODE_EXPIRETIME);
      out.writeBytes(Buffer.from([0x10, 0x27, 0x00, 0x00]));
      out.writeByte(RDB_OPCODE_IDLE);
      out.writeLength(300);
      out.writeByte(RDB_OPCODE_FREQ);
      out.writeByte(5);
      out.writeByte(RDB_TYPE_LIST);
      out.writeString('l', false);
      out.writeLength(2);
      out.writeString('x', false);
      out.writeString('42', false);
      out.writeByte(RDB_TYPE_ZSET);
      out.writeString('z', false);
      out.writeLength(3);
      for (const [member, score] of [
        ['a', '1.5'],
        ['b', '\xfe'],
        ['c', '\xff'],
      ] as const) {
        out.writeString(member, false);
        if (score.length === 1) out.writeByte(score.charCodeAt(0));
        else {
          out.writeByte(score.length);
          out.writeBytes(Buffer.from(score));
        }
      }
      out.writeByte(RDB_OPCODE_FUNCTION2);
      out.writeString('#!lua name=lib\n', false);
    }, 9);
    const records = readWhole(bytes);
    expect(keys(records)).toEqual([
      {
        kind: 'key',
        db: 2,
        key: 'l',
        value: { type: 'list', elements: [Buffer.from('x'), Buffer.from('42')] },
        expireMs: 10_000_000,
        idleSeconds: 300,
        freq: 5,
      },
      {
        kind: 'key',
        db: 2,
        key: 'z',
        value: {
          type: 'zset',
          encoding: 'skiplist',
          entries: [
            { member: 'a', score: 1.5 },
            { member: 'b', score: Number.POSITIVE_INFINITY },
            { member: 'c', score: Number.NEGATIVE_INFINITY },
          ],
        },
      },
    ]);
    expect(records).toContainEqual({ kind: 'function', code: '#!lua name=lib\n' });
  });

  it('accepts versions 1..10, with no CRC trailer before version 5', () => {
    for (const version of [1, 4, 5, 10]) {
      const bytes = file((out) => {
        out.writeByte(0);
        out.writeString('k', false);
        out.writeString('v', false);
      }, version);
      expect(keys(readWhole(bytes))).toHaveLength(1);
    }
  });

  it('skips empty collections, as Redis does, and keeps reading', () => {
    const bytes = file((out) => {
      out.writeByte(RDB_TYPE_SET);
      out.writeString('empty', false);
      out.writeLength(0);
      out.writeByte(RDB_TYPE_HASH_LISTPACK);
      out.writeString('empty2', false);
      out.writeString(new ListpackBuilder().finish(), false);
      out.writeByte(0);
      out.writeString('k', false);
      out.writeString('v', false);
    });
    expect(keys(readWhole(bytes)).map((record) => record.key)).toEqual(['k']);
  });

  it('does not verify a zero CRC (rdbchecksum no), nor any CRC with verifyChecksum off', () => {
    const body = (out: RdbOutput) => {
      out.writeByte(0);
      out.writeString('k', false);
      out.writeString('v', false);
    };
    expect(keys(readWhole(file(body, 10, false)))).toHaveLength(1);
    const corrupt = file(body);
    corrupt.writeUInt8(corrupt[corrupt.length - 1] === 0 ? 1 : 0, corrupt.length - 1);
    expect(keys(readWhole(corrupt, false))).toHaveLength(1);
  });
});

describe('RdbReader: corrupt and truncated input', () => {
  it('refuses a bad magic and an unknown version (phase start)', () => {
    const badMagic = readError(Buffer.from('RXDIS0010\xff', 'latin1'));
    expect(badMagic.reason).toBe('Wrong signature trying to load DB from file');
    expect(badMagic.phase).toBe('start');
    expect(badMagic.offset).toBe(9);
    const badVersion = readError(file(() => {}, 11));
    expect(badVersion.reason).toBe("Can't handle RDB format version 11");
    expect(readError(file(() => {}, 0)).reason).toBe("Can't handle RDB format version 0");
    // Redis's atoi would read "001x" as version 1 and skip the CRC; we refuse it.
    const damagedVersion = file(() => {});
    damagedVersion.write('x', 8, 'latin1');
    expect(readError(damagedVersion).reason).toBe("Can't handle RDB format version 001x");
  });

  it('refuses an unknown type byte like redis-check-rdb: "Invalid object type: N"', () => {
    const error = readError(file((out) => out.writeByte(65)));
    expect(error.reason).toBe('Invalid object type: 65');
    expect(error.phase).toBe('read-type');
    expect(error.offset).toBe(10);
    expect(error.message).toContain('offset 10');
  });

  it('reports a CRC mismatch in phase check-sum', () => {
    const bytes = sampleFile();
    bytes[21] = (bytes[21] ?? 0) ^ 0x01; // a digit of the redis-ver value
    const error = readError(bytes);
    expect(error.reason).toBe('RDB CRC error');
    expect(error.phase).toBe('check-sum');
    expect(error.offset).toBe(bytes.length);
  });

  it('reports a truncation only after end(), as Unexpected EOF, with the key being read', () => {
    const bytes = sampleFile();
    const cut = bytes.length - 12;
    const reader = new RdbReader();
    reader.push(bytes.subarray(0, cut));
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      // Drain what is complete; the rest waits for input.
    }
    expect(reader.done).toBe(false);
    reader.end();
    expect(() => reader.next()).toThrow(RdbError);
    try {
      reader.next();
    } catch (error) {
      expect(error).toBeInstanceOf(RdbError);
      if (error instanceof RdbError) {
        expect(error.truncated).toBe(true);
        expect(error.reason).toBe('Unexpected EOF reading RDB file');
        expect(error.phase).toBe('read-object-value');
        expect(error.key).toBe('h');
        expect(error.valueType).toBe(RDB_TYPE_HASH_LISTPACK);
      }
    }
  });

  it('refuses duplicates in hashtable sets, hashes and zsets', () => {
    const duplicateSet = file((out) => {
      out.writeByte(RDB_TYPE_SET);
      out.writeString('s', false);
      out.writeLength(2);
      out.writeString('m', false);
      out.writeString('m', false);
    });
    expect(readError(duplicateSet).reason).toBe('Duplicate set members detected');
    const listpack = new ListpackBuilder();
    for (const item of ['f', '1', 'f', '2']) listpack.push(item);
    const duplicateHash = file((out) => {
      out.writeByte(RDB_TYPE_HASH_LISTPACK);
      out.writeString('h', false);
      out.writeString(listpack.finish(), false);
    });
    const error = readError(duplicateHash);
    expect(error.reason).toBe('Hash listpack integrity check failed.');
    expect(error.key).toBe('h');
  });

  it('refuses module data, bad lengths, bad string encodings and a bad LZF stream', () => {
    const moduleAux = file((out) => {
      out.writeByte(RDB_OPCODE_MODULE_AUX);
      out.writeLength(0);
      out.writeLength(2);
      out.writeLength(1);
    });
    expect(readError(moduleAux).reason).toBe(
      "The RDB file contains AUX module data I can't load: no matching module 'AAAAAAAAA'",
    );
    const badLength = readError(
      file((out) => {
        out.writeByte(RDB_OPCODE_SELECTDB);
        out.writeByte(0x85);
      }),
    );
    expect(badLength.reason).toBe('Unknown length encoding 2 in rdbLoadLen()');
    const badEncoding = readError(
      file((out) => {
        out.writeByte(RDB_OPCODE_AUX);
        out.writeByte(0xc7);
      }),
    );
    expect(badEncoding.reason).toBe('Unknown RDB string encoding type 7');
    const badLzf = readError(
      file((out) => {
        out.writeByte(0);
        out.writeString('k', false);
        out.writeBytes(Buffer.from([0xc3, 0x02, 0x05, 0x1f, 0x61]));
      }),
    );
    expect(badLzf.reason).toBe('Invalid LZF compressed string');
  });

  it('names the module of a module value it cannot load, as Redis does', () => {
    // A module type id is its 9-character name in 6-bit digits, then a 10-bit encoding version.
    const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = 0n;
    for (const char of 'ReJSON-RL') id = (id << 6n) | BigInt(charset.indexOf(char));
    id = (id << 10n) | 3n;
    const bytes = file((out) => {
      out.writeByte(RDB_TYPE_MODULE_2);
      out.writeString('json', false);
      out.writeByte(0x81);
      const big = Buffer.alloc(8);
      big.writeBigUInt64BE(id);
      out.writeBytes(big);
    });
    const error = readError(bytes);
    expect(error.reason).toBe(
      "The RDB file contains module data I can't load: no matching module type 'ReJSON-RL'",
    );
    expect(error.key).toBe('json');
  });

  it('keeps throwing the same error once it failed', () => {
    const reader = new RdbReader();
    reader.push(Buffer.from('RXDIS0010'));
    expect(() => reader.next()).toThrow(/Wrong signature/);
    expect(() => reader.next()).toThrow(/Wrong signature/);
  });
});

describe('RdbReader: big records in small chunks', () => {
  it('reads a 1 MB list fed 64 bytes at a time without re-parsing it from the start each time', () => {
    const elements = Array.from({ length: 100_000 }, (_, i) => `element-${i}`);
    const writer = new RdbWriter({ compression: false, checksum: true });
    writer.header({ redisVersion: '7.0.15', ctimeSeconds: 1, usedMemory: 1 });
    writer.selectDb(0, 1, 0);
    writer.key('big', { type: 'list', size: elements.length, elements });
    writer.finish();
    const bytes = writer.take();
    expect(bytes.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const reader = new RdbReader();
    let list: RdbRecord | undefined;
    for (let offset = 0; offset < bytes.length; offset += 64) {
      reader.push(bytes.subarray(offset, offset + 64));
      for (let record = reader.next(); record !== undefined; record = reader.next()) {
        if (record.kind === 'key') list = record;
      }
    }
    // The list record is over 4 KB, so it is retried only when the buffered bytes double, and the
    // final attempt comes with end(). Re-parsing on every chunk instead would parse ~16k times
    // ~0.5 MB: minutes, not this bound.
    reader.end();
    for (let record = reader.next(); record !== undefined; record = reader.next()) {
      if (record.kind === 'key') list = record;
    }
    expect(performance.now() - started).toBeLessThan(5000);
    expect(reader.done).toBe(true);
    expect(list?.kind === 'key' && list.value.type === 'list' && list.value.elements.length).toBe(
      100_000,
    );
  });
});

describe('RdbReader: throughput', () => {
  it('loads 1M string keys of 100 bytes in well under a few seconds', () => {
    const count = 1_000_000;
    const value = Buffer.alloc(100);
    for (let i = 0; i < 100; i++) value[i] = (i * 131 + 7) & 0xff;
    const writer = new RdbWriter({ compression: false, checksum: true });
    writer.header({ redisVersion: '7.0.15', ctimeSeconds: 1, usedMemory: 1 });
    writer.selectDb(0, count, 0);
    const chunks: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      writer.key(`key:${i}`, { type: 'string', value });
      if (writer.pendingBytes >= 64 * 1024) chunks.push(writer.take());
    }
    writer.finish();
    chunks.push(writer.take());
    const started = performance.now();
    const reader = new RdbReader();
    let loaded = 0;
    for (const chunk of chunks) {
      reader.push(chunk);
      for (let record = reader.next(); record !== undefined; record = reader.next()) {
        if (record.kind === 'key') loaded += 1;
      }
    }
    reader.end();
    expect(reader.next()).toBeUndefined();
    const seconds = (performance.now() - started) / 1000;
    const megabytes = writer.totalBytes / 1e6;
    console.log(
      `RdbReader: ${count} keys, ${megabytes.toFixed(1)} MB in ${seconds.toFixed(2)} s ` +
        `(${Math.round(count / seconds)} keys/s, ${(megabytes / seconds).toFixed(0)} MB/s)`,
    );
    expect(loaded).toBe(count);
    expect(reader.done).toBe(true);
    expect(seconds).toBeLessThan(5);
  });
});
