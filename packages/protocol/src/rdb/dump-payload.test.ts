/**
 * DUMP payload tests. Goal: payloads in the exact form createDumpPayload makes, and RESTORE's two
 * refusals. Method: a payload captured from redis-server 7.0.15 (DUMP of a 44-byte string, the
 * §2.7 LZF value) is decoded and re-encoded byte for byte; every type round-trips; damaged
 * payloads are refused with the reason RESTORE would give. test/rdb-interop.test.ts runs DUMP and
 * RESTORE against a real server both ways.
 */
import { describe, expect, it } from 'vitest';
import { RDB_TYPE_SET } from './constants.js';
import { crc64 } from './crc64.js';
import { decodeDumpPayload, encodeDumpPayload } from './dump-payload.js';
import type { RdbValueIn } from './types.js';

/** DUMP of SET k <44 x 'a'> on redis-server 7.0.15: type 0, LZF string, version 10, CRC. */
const REDIS_STRING_PAYLOAD = '00c3092c016161e01f000161610a009811f4b6aa5376ff';
/** DUMP of ZADD z 1 a 2.5 b on redis-server 7.0.15: type 17, the listpack, version, CRC. */
const REDIS_ZSET_PAYLOAD = '1114140000000400816102010181620283322e3504ff0a00d44c6ea4f644d9d7';

const redisStringPayload = (): Buffer => Buffer.from(REDIS_STRING_PAYLOAD, 'hex');

/** A payload with a correct footer around arbitrary value bytes. */
function withFooter(value: Buffer, version = 10): Buffer {
  const body = Buffer.concat([value, Buffer.from([version & 0xff, version >> 8])]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, crc]);
}

const VALUES: readonly RdbValueIn[] = [
  { type: 'string', value: 'a'.repeat(44) },
  { type: 'string', value: Buffer.from('12345') },
  { type: 'list', size: 3, elements: ['a', Buffer.from([0, 255]), '-7'] },
  { type: 'set', encoding: 'intset', size: 3, members: ['5', '-70000', '1'] },
  { type: 'set', encoding: 'hashtable', size: 2, members: ['x', 'y'] },
  { type: 'hash', encoding: 'listpack', size: 1, entries: [['f', 'v']] },
  { type: 'hash', encoding: 'hashtable', size: 1, entries: [['f', Buffer.alloc(100, 1)]] },
  {
    type: 'zset',
    encoding: 'listpack',
    size: 2,
    entries: [
      { member: 'a', score: 0.1 },
      { member: 'b', score: 3 },
    ],
  },
  {
    type: 'zset',
    encoding: 'skiplist',
    size: 2,
    entries: [
      { member: 'a', score: -1 },
      { member: 'b', score: 1e300 },
    ],
  },
];

describe('DUMP payloads', () => {
  it('encodes what Redis 7.0.15 DUMPs, and decodes it', () => {
    const payload = redisStringPayload();
    const encoded = encodeDumpPayload(
      { type: 'string', value: 'a'.repeat(44) },
      { compression: true },
    );
    expect(encoded.toString('hex')).toBe(REDIS_STRING_PAYLOAD);
    expect(decodeDumpPayload(payload)).toEqual({
      ok: true,
      value: { type: 'string', value: Buffer.from('a'.repeat(44)) },
    });
    const zset: RdbValueIn = {
      type: 'zset',
      encoding: 'listpack',
      size: 2,
      entries: [
        { member: 'a', score: 1 },
        { member: 'b', score: 2.5 },
      ],
    };
    expect(encodeDumpPayload(zset, { compression: true }).toString('hex')).toBe(REDIS_ZSET_PAYLOAD);
    expect(decodeDumpPayload(Buffer.from(REDIS_ZSET_PAYLOAD, 'hex'))).toEqual({
      ok: true,
      value: { type: 'zset', encoding: 'listpack', entries: [...zset.entries] },
    });
  });

  it('round-trips every type and encoding', () => {
    for (const value of VALUES) {
      for (const compression of [false, true]) {
        const result = decodeDumpPayload(encodeDumpPayload(value, { compression }));
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.value.type).toBe(value.type);
      }
    }
    const zset = decodeDumpPayload(
      encodeDumpPayload(VALUES[8] as RdbValueIn, { compression: true }),
    );
    expect(zset).toEqual({
      ok: true,
      value: {
        type: 'zset',
        encoding: 'skiplist',
        entries: [
          { member: 'b', score: 1e300 },
          { member: 'a', score: -1 },
        ],
      },
    });
  });

  it('refuses a newer version or a wrong CRC as version-or-checksum', () => {
    const payload = redisStringPayload();
    const newer = withFooter(payload.subarray(0, -10), 11);
    expect(decodeDumpPayload(newer)).toEqual({ ok: false, reason: 'version-or-checksum' });
    const older = withFooter(payload.subarray(0, -10), 9);
    expect(decodeDumpPayload(older).ok).toBe(true);
    for (let i = 0; i < payload.length; i++) {
      const damaged = Buffer.from(payload);
      damaged[i] = (damaged[i] ?? 0) ^ 0x10;
      expect(decodeDumpPayload(damaged).ok).toBe(false);
    }
    expect(decodeDumpPayload(Buffer.alloc(5))).toEqual({
      ok: false,
      reason: 'version-or-checksum',
    });
  });

  it('refuses value bytes that do not load as bad-format', () => {
    const bad = [
      Buffer.from([8, 0x01, 0x61]),
      Buffer.from([0, 0x05, 0x61]),
      Buffer.from([RDB_TYPE_SET, 0x00]),
      Buffer.from([0, 0xc3, 0x02, 0x05, 0x1f, 0x61]),
      Buffer.from([]),
    ];
    for (const value of bad) {
      expect(decodeDumpPayload(withFooter(value))).toEqual({ ok: false, reason: 'bad-format' });
    }
  });
});
