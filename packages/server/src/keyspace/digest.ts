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
import { createHash } from 'node:crypto';
import { formatDouble } from '@replisim/protocol';
import type { Database } from './database.js';
import { formatStreamId, STREAM_ID_MAX } from './stream.js';
import { OBJ_TYPE, type RedisValue } from './values.js';

const DIGEST_BYTES = 20;

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

function xorDigest(digest: Buffer, data: Uint8Array): void {
  const hash = sha1(data);
  for (let i = 0; i < DIGEST_BYTES; i++) digest[i] = (digest[i] ?? 0) ^ (hash[i] ?? 0);
}

function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Mixes a value (and its TTL mark) into `digest`, as xorObjectDigest does. */
function xorValueDigest(digest: Buffer, value: RedisValue, hasExpiry: boolean): void {
  mixDigest(digest, uint32(OBJ_TYPE[value.type]));
  switch (value.type) {
    case 'string':
      mixDigest(digest, value.value);
      break;
    case 'list':
      for (const element of value.value) mixDigest(digest, element);
      break;
    case 'set':
      for (const member of value.value) xorDigest(digest, latin1(member));
      break;
    case 'zset':
      for (const { member, score } of value.value) {
        const element = Buffer.alloc(DIGEST_BYTES);
        mixDigest(element, latin1(member));
        mixDigest(element, latin1(formatDouble(score)));
        xorDigest(digest, element);
      }
      break;
    case 'hash':
      for (const [field, fieldValue] of value.value) {
        const element = Buffer.alloc(DIGEST_BYTES);
        mixDigest(element, latin1(field));
        mixDigest(element, fieldValue);
        xorDigest(digest, element);
      }
      break;
    case 'stream':
      // Entries in order as "<ms>.<seq>" then each field and value; groups are not digested.
      for (const entry of value.value.range(0n, STREAM_ID_MAX)) {
        mixDigest(digest, latin1(formatStreamId(entry.id).replace('-', '.')));
        for (const item of entry.fields) mixDigest(digest, item);
      }
      break;
  }
  if (hasExpiry) xorDigest(digest, latin1('!!expire!!'));
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
    mixDigest(final, uint32(db.index));
    for (const key of db.keys()) {
      const value = db.peek(key);
      if (value === undefined) continue;
      const digest = Buffer.alloc(DIGEST_BYTES);
      mixDigest(digest, latin1(key));
      xorValueDigest(digest, value, db.expiryOf(key) !== undefined);
      xorDigest(final, digest);
    }
  }
  return final.toString('hex');
}
