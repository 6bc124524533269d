/**
 * checkRdb tests. Goal: the same report redis-check-rdb 7.0.15 prints, line for line (minus its
 * log prefixes). Method: a 166-byte dump SAVEd by redis-server 7.0.15 (4 keys in dbs 0 and 3, one
 * with a TTL) and the outputs redis-check-rdb gave for it and for four damaged copies (cut at byte
 * 150, byte 140 set to 'A' (a type byte), byte 130 set to 'A' (inside a value), and the CRC
 * zeroed), captured once and pasted here.
 */
import { describe, expect, it } from 'vitest';
import { checkRdb } from './check.js';

const REDIS_DUMP = Buffer.from(
  '524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040fa0563' +
    '74696d65c2c425076bfa08757365642d6d656dc208770f00fa08616f662d62617365c000fe00fb030111017a' +
    '14140000000400816102010181620283322e3504fffc5d0fed13a201000000026578017600037374720568' +
    '656c6c6ffe03fb01001001680d0d0000000200816602817602ffffb028cac49108c72a',
  'hex',
);
/** The TTL'd key's expiry (unix ms) in REDIS_DUMP. */
const EXPIRE_MS = Number(REDIS_DUMP.readBigInt64LE(0x6e));

const HEADER_LINES = [
  '[offset 0] Checking RDB file dump.rdb',
  "[offset 27] AUX FIELD redis-ver = '7.0.15'",
  "[offset 41] AUX FIELD redis-bits = '64'",
  "[offset 53] AUX FIELD ctime = '1795630532'",
  "[offset 68] AUX FIELD used-mem = '1013512'",
  "[offset 80] AUX FIELD aof-base = '0'",
  '[offset 82] Selecting DB ID 0',
  '[offset 137] Selecting DB ID 3',
];

const info = (keys: number, expires: number, expired: number) => [
  `[info] ${keys} keys read`,
  `[info] ${expires} expires`,
  `[info] ${expired} already expired`,
];

function damaged(edit: (bytes: Buffer) => Buffer): Buffer {
  return edit(Buffer.from(REDIS_DUMP));
}

describe('checkRdb', () => {
  it('reports a good dump as redis-check-rdb does', () => {
    const report = checkRdb(REDIS_DUMP, { nowMs: EXPIRE_MS - 1 });
    expect(report.ok).toBe(true);
    expect(report.lines).toEqual([
      ...HEADER_LINES,
      '[offset 166] Checksum OK',
      '[offset 166] \\o/ RDB looks OK! \\o/',
      ...info(4, 1, 0),
    ]);
  });

  it('counts keys whose expiry is before nowMs as already expired', () => {
    expect(checkRdb(REDIS_DUMP, { nowMs: EXPIRE_MS + 1 }).lines.at(-1)).toBe(
      '[info] 1 already expired',
    );
  });

  it('reports a truncation with the key and type being read', () => {
    const report = checkRdb(damaged((bytes) => bytes.subarray(0, 150)));
    expect(report.ok).toBe(false);
    expect(report.lines).toEqual([
      ...HEADER_LINES,
      '--- RDB ERROR DETECTED ---',
      '[offset 144] Unexpected EOF reading RDB file',
      '[additional info] While doing: read-object-value',
      "[additional info] Reading key 'h'",
      '[additional info] Reading type 16 (hash-listpack)',
      ...info(4, 1, 0),
    ]);
  });

  it('reports an invalid type byte', () => {
    const report = checkRdb(damaged((bytes) => bytes.fill(0x41, 140, 141)));
    expect(report.lines).toEqual([
      ...HEADER_LINES,
      '--- RDB ERROR DETECTED ---',
      '[offset 141] Invalid object type: 65',
      '[additional info] While doing: read-type',
      ...info(3, 1, 0),
    ]);
  });

  it('reports a CRC mismatch', () => {
    const report = checkRdb(damaged((bytes) => bytes.fill(0x41, 130, 131)));
    expect(report.lines).toEqual([
      ...HEADER_LINES,
      '--- RDB ERROR DETECTED ---',
      '[offset 166] RDB CRC error',
      '[additional info] While doing: check-sum',
      ...info(4, 1, 0),
    ]);
  });

  it('reports a zero CRC as "saved with checksum disabled"', () => {
    const report = checkRdb(damaged((bytes) => bytes.fill(0, 158)));
    expect(report.ok).toBe(true);
    expect(report.lines.slice(-5, -3)).toEqual([
      '[offset 166] RDB file was saved with checksum disabled: no check performed.',
      '[offset 166] \\o/ RDB looks OK! \\o/',
    ]);
  });

  it('reports a bad magic and a newer version in phase start', () => {
    const tail = [
      '[additional info] While doing: start',
      '[additional info] Reading type 0 (string)',
      ...info(0, 0, 0),
    ];
    expect(checkRdb(Buffer.from('RXDIS0010'), { fileName: 'v2.rdb' }).lines).toEqual([
      '[offset 0] Checking RDB file v2.rdb',
      '--- RDB ERROR DETECTED ---',
      '[offset 9] Wrong signature trying to load DB from file',
      ...tail,
    ]);
    expect(checkRdb(Buffer.from('REDIS0011')).lines.slice(1)).toEqual([
      '--- RDB ERROR DETECTED ---',
      "[offset 9] Can't handle RDB format version 11",
      ...tail,
    ]);
  });
});
