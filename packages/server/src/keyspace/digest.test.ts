/**
 * DEBUG DIGEST and DIGEST-VALUE after the switch to the allocation-free SHA-1 (sha1.ts) and the
 * reused scratch digests: they must give exactly what debug.c's construction gives with a standard
 * SHA-1. Method: a from-scratch reference written straight from debug.c with node:crypto (one fresh
 * buffer per step, nothing shared) digests random databases holding every type, with and without
 * TTLs, in several numbered databases; both must agree bit for bit. The byte-identity with a real
 * redis-server is covered by the differential tests (test/diff-*.test.ts compare DEBUG DIGEST).
 * DIGEST_PROPERTY_RUNS=N runs more cases.
 */
import { createHash } from 'node:crypto';
import { formatDouble } from '@replisim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from './database.js';
import { Deque } from './deque.js';
import { datasetDigest, valueDigest } from './digest.js';
import { SortedSet } from './sorted-set.js';
import { formatStreamId, STREAM_ID_MAX, Stream } from './stream.js';
import { OBJ_TYPE, type RedisValue } from './values.js';

const RUNS = Number(process.env['DIGEST_PROPERTY_RUNS'] ?? '100');
const STREAM_LIMITS = { streamNodeMaxBytes: 4096, streamNodeMaxEntries: 3 };

// The reference: debug.c's xorDigest / mixDigest with a fresh node:crypto hash at every step.
const sha1 = (data: Uint8Array): Buffer => createHash('sha1').update(data).digest();
function xorDigest(digest: Buffer, data: Uint8Array): void {
  const hash = sha1(data);
  for (let i = 0; i < 20; i++) digest[i] = (digest[i] as number) ^ (hash[i] as number);
}
function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
function htonl(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
function referenceValue(digest: Buffer, value: RedisValue, hasExpiry: boolean): void {
  mixDigest(digest, htonl(OBJ_TYPE[value.type]));
  if (value.type === 'string') mixDigest(digest, value.value);
  if (value.type === 'list') for (const element of value.value) mixDigest(digest, element);
  if (value.type === 'set') for (const member of value.value) xorDigest(digest, latin1(member));
  if (value.type === 'zset') {
    for (const { member, score } of value.value) {
      const element = Buffer.alloc(20);
      mixDigest(element, latin1(member));
      mixDigest(element, latin1(formatDouble(score)));
      xorDigest(digest, element);
    }
  }
  if (value.type === 'hash') {
    for (const [field, fieldValue] of value.value) {
      const element = Buffer.alloc(20);
      mixDigest(element, latin1(field));
      mixDigest(element, fieldValue);
      xorDigest(digest, element);
    }
  }
  if (value.type === 'stream') {
    for (const entry of value.value.range(0n, STREAM_ID_MAX)) {
      mixDigest(digest, latin1(formatStreamId(entry.id).replace('-', '.')));
      for (const item of entry.fields) mixDigest(digest, item);
    }
  }
  if (hasExpiry) xorDigest(digest, latin1('!!expire!!'));
}
function referenceDataset(databases: readonly Database[]): string {
  const final = Buffer.alloc(20);
  for (const db of databases) {
    if (db.size() === 0) continue;
    mixDigest(final, htonl(db.index));
    for (const key of db.keys()) {
      const digest = Buffer.alloc(20);
      mixDigest(digest, latin1(key));
      referenceValue(digest, db.peek(key) as RedisValue, db.expiryOf(key) !== undefined);
      xorDigest(final, digest);
    }
  }
  return final.toString('hex');
}

// Random values of every type. Members and keys are latin1 strings (any byte, long ones too).
const text = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 90,
});
const bytes = fc.uint8Array({ maxLength: 130 }).map((array) => Buffer.from(array));
const value: fc.Arbitrary<RedisValue> = fc.oneof(
  bytes.map((b): RedisValue => ({ type: 'string', value: b })),
  fc.array(bytes, { maxLength: 6 }).map((items): RedisValue => {
    const deque = new Deque<Buffer>();
    for (const item of items) deque.pushBack(item);
    return { type: 'list', value: deque };
  }),
  fc
    .array(text, { maxLength: 6 })
    .map((items): RedisValue => ({ type: 'set', value: new Set(items), encoding: 'hashtable' })),
  fc
    .array(fc.tuple(text, fc.double({ noNaN: true })), { maxLength: 6 })
    .map((items): RedisValue => {
      const zset = new SortedSet();
      for (const [member, score] of items) zset.add(member, score);
      return { type: 'zset', value: zset, encoding: 'skiplist' };
    }),
  fc
    .array(fc.tuple(text, bytes), { maxLength: 6 })
    .map((items): RedisValue => ({ type: 'hash', value: new Map(items), encoding: 'hashtable' })),
  fc.array(fc.array(bytes, { minLength: 2, maxLength: 4 }), { maxLength: 5 }).map((entries) => {
    const stream = new Stream();
    entries.forEach((fields, i) => {
      stream.append((BigInt(i + 1) << 64n) | 7n, fields.slice(0, 2), STREAM_LIMITS);
    });
    return { type: 'stream', value: stream, encoding: 'stream' } as RedisValue;
  }),
);
const dataset = fc.array(fc.array(fc.tuple(text, value, fc.boolean()), { maxLength: 12 }), {
  minLength: 1,
  maxLength: 3,
});

function databasesOf(contents: [string, RedisValue, boolean][][]): Database[] {
  return contents.map((keys, index) => {
    const db = new Database(index, { onExpired: () => {} });
    for (const [key, stored, ttl] of keys) {
      db.set(key, stored);
      if (ttl) db.setExpiry(key, 1_000_000);
    }
    return db;
  });
}

describe('DEBUG DIGEST', () => {
  it('equals the from-scratch debug.c digest on random datasets of every type', () => {
    fc.assert(
      fc.property(dataset, (contents) => {
        const databases = databasesOf(contents);
        expect(datasetDigest(databases)).toBe(referenceDataset(databases));
        for (const db of databases) {
          for (const key of db.keys()) {
            const digest = Buffer.alloc(20);
            referenceValue(digest, db.peek(key) as RedisValue, db.expiryOf(key) !== undefined);
            expect(valueDigest(db, key)).toBe(digest.toString('hex'));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives 40 zeros for an empty dataset and a missing key, and known Redis digests', () => {
    const db = new Database(0, { onExpired: () => {} });
    expect(datasetDigest([db])).toBe('0'.repeat(40));
    expect(valueDigest(db, 'missing')).toBe('0'.repeat(40));
    // redis-server 7.0.15: SET a 1, then DEBUG DIGEST-VALUE a and DEBUG DIGEST.
    db.set('a', { type: 'string', value: Buffer.from('1') });
    expect(valueDigest(db, 'a')).toBe(REDIS_VALUE_DIGEST_A_1);
    expect(datasetDigest([db])).toBe(REDIS_DIGEST_A_1);
  });
});

/** Read off redis-server 7.0.15 after SET a 1 (DEBUG DIGEST-VALUE a, DEBUG DIGEST). */
const REDIS_VALUE_DIGEST_A_1 = 'b4fc66738120fba0b5aa500ab5c2bf89cea1c5da';
const REDIS_DIGEST_A_1 = '943d800368fb9c0e951138f1bc0e313ac769d91f';
