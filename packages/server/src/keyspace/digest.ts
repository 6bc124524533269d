/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE computed exactly as Redis 7.0's debug.c does, so the same
 * dataset gives the same 40 hex characters on replisim and on redis-server. That makes "these two
 * nodes hold the same data" a one-line check for the differential tests and the replication checkers.
 *
 * The building blocks (debug.c):
 *   xorDigest(d, data):  d ^= SHA1(data)
 *   mixDigest(d, data):  d ^= SHA1(data); d = SHA1(d)
 * Per key: d = 0; mixDigest(d, key); mixDigest(d, htonl(type)); then the value (strings and list
 * elements mixed in order; set members xor'ed, so order does not matter; hash pairs and zset entries
 * each digested on their own and xor'ed in; stream entries mixed in order as "<ms>.<seq>" and their
 * fields and values); "!!expire!!" xor'ed if the key has a TTL. Per database
 * with keys: mixDigest(final, htonl(db)), then final ^= SHA1(d) for every key.
 */
import { formatDouble } from '@replisim/protocol';
import type { Database } from './database.js';
import { SHA1_BYTES, sha1Into, sha1Latin1Into, sha1Uint32Into } from './sha1.js';
import { formatStreamId, STREAM_ID_MAX } from './stream.js';
import { OBJ_TYPE, type RedisValue } from './values.js';

const DIGEST_BYTES = SHA1_BYTES;

/*
 * Scratch digests, reused so that digesting a dataset allocates nothing per key (sha1.ts says why
 * that matters). Each has one role, and no role nests inside itself: `hashed` holds one SHA-1
 * just before it is xor'ed in, `keyDigest` one key's digest in `datasetDigest`, `elementDigest`
 * one hash field or zset entry in `xorValueDigest`.
 */
const hashed = Buffer.alloc(DIGEST_BYTES);
const keyDigest = Buffer.alloc(DIGEST_BYTES);
const elementDigest = Buffer.alloc(DIGEST_BYTES);

/** digest ^= hashed */
function xorHashed(digest: Buffer): void {
  for (let i = 0; i < DIGEST_BYTES; i++) digest[i] = (digest[i] ?? 0) ^ (hashed[i] ?? 0);
}

/** xorDigest: digest ^= SHA1(data) */
function xorDigest(digest: Buffer, data: Uint8Array): void {
  sha1Into(data, hashed);
  xorHashed(digest);
}

/** xorDigest of a latin1 string (members, fields, keys, formatted numbers). */
function xorDigestLatin1(digest: Buffer, text: string): void {
  sha1Latin1Into(text, hashed);
  xorHashed(digest);
}

/** mixDigest: digest ^= SHA1(data); digest = SHA1(digest) */
function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1Into(digest, digest);
}

function mixDigestLatin1(digest: Buffer, text: string): void {
  xorDigestLatin1(digest, text);
  sha1Into(digest, digest);
}

/** mixDigest of a 32-bit number in network order (htonl), as Redis mixes types and db numbers. */
function mixDigestUint32(digest: Buffer, value: number): void {
  sha1Uint32Into(value, hashed);
  xorHashed(digest);
  sha1Into(digest, digest);
}

/** Mixes a value (and its TTL mark) into `digest`, as xorObjectDigest does. */
function xorValueDigest(digest: Buffer, value: RedisValue, hasExpiry: boolean): void {
  mixDigestUint32(digest, OBJ_TYPE[value.type]);
  switch (value.type) {
    case 'string':
      mixDigest(digest, value.value);
      break;
    case 'list':
      for (const element of value.value) mixDigest(digest, element);
      break;
    case 'set':
      for (const member of value.value) xorDigestLatin1(digest, member);
      break;
    case 'zset':
      for (const { member, score } of value.value) {
        elementDigest.fill(0);
        mixDigestLatin1(elementDigest, member);
        mixDigestLatin1(elementDigest, formatDouble(score));
        xorDigest(digest, elementDigest);
      }
      break;
    case 'hash':
      for (const [field, fieldValue] of value.value) {
        elementDigest.fill(0);
        mixDigestLatin1(elementDigest, field);
        mixDigest(elementDigest, fieldValue);
        xorDigest(digest, elementDigest);
      }
      break;
    case 'stream':
      // Entries in order as "<ms>.<seq>" then each field and value; groups are not digested.
      for (const entry of value.value.range(0n, STREAM_ID_MAX)) {
        mixDigestLatin1(digest, formatStreamId(entry.id).replace('-', '.'));
        for (const item of entry.fields) mixDigest(digest, item);
      }
      break;
  }
  if (hasExpiry) xorDigestLatin1(digest, '!!expire!!');
}

/** DEBUG DIGEST-VALUE for one key: 40 zero digits when the key does not exist. */
export function valueDigest(db: Database, key: string): string {
  const digest = Buffer.alloc(DIGEST_BYTES);
  const value = db.peek(key);
  if (value !== undefined) xorValueDigest(digest, value, db.expiryOf(key) !== undefined);
  return digest.toString('hex');
}

/** DEBUG DIGEST of the whole dataset: 40 zero digits when every database is empty. */
export function datasetDigest(databases: readonly Database[]): string {
  const final = Buffer.alloc(DIGEST_BYTES);
  for (const db of databases) {
    if (db.size() === 0) continue;
    mixDigestUint32(final, db.index);
    for (const key of db.keys()) {
      const value = db.peek(key);
      if (value === undefined) continue;
      keyDigest.fill(0);
      mixDigestLatin1(keyDigest, key);
      xorValueDigest(keyDigest, value, db.expiryOf(key) !== undefined);
      xorDigest(final, keyDigest);
    }
  }
  return final.toString('hex');
}
