/**
 * The used_memory model of a database: jemalloc size classes, Redis 7.0's per-key layouts, and the
 * incremental charges of keyspace/database.ts.
 *
 * Method: known figures first (jemalloc 5.3's classes; a 10-byte key with a 100-byte value costs
 * Redis 176 bytes plus its bucket, as measured on redis-server 7.0.15, see docs/maxmemory.md),
 * then a property: under any sequence of sets, in-place collection changes, TTL changes and
 * deletes, the charge never drifts (deleting every key brings the dataset back to the empty
 * tables) and a small collection is always charged exactly what a fresh measure gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../keyspace/database.js';
import { Deque } from '../keyspace/deque.js';
import type { RedisValue } from '../keyspace/values.js';
import {
  DICT_ENTRY_BYTES,
  dictTableBytes,
  jemallocSize,
  keyBytes,
  stringValueBytes,
  valueBytes,
} from './value-bytes.js';

/** More runs on demand: REPLISIM_MEMORY_RUNS=1000 npx vitest run ... */
const RUNS_VARIABLE = 'REPLISIM_MEMORY_RUNS';
const RUNS = Number(process.env[RUNS_VARIABLE] ?? '100');

const str = (text: string): RedisValue => ({ type: 'string', value: Buffer.from(text) });

describe('jemalloc size classes and Redis layouts', () => {
  it('rounds to jemalloc 5 classes', () => {
    const sizes = [1, 8, 9, 24, 33, 100, 104, 129, 161, 257, 1000, 5000];
    expect(sizes.map(jemallocSize)).toEqual([
      8, 8, 16, 32, 48, 112, 112, 160, 192, 320, 1024, 5120,
    ]);
  });

  it('charges a string key as Redis 7.0 allocates it', () => {
    // dictEntry 32 + key sds (1 + 10 + 1 -> 16) + robj 16 + raw sds (3 + 100 + 1 -> 112).
    expect(keyBytes(10) + stringValueBytes({ type: 'string', value: Buffer.alloc(100, 97) })).toBe(
      176,
    );
    // embstr: robj + sdshdr8 + bytes + NUL in one allocation (16 + 4 + 10 -> 32).
    expect(stringValueBytes({ type: 'string', value: Buffer.from('abcdefghij') })).toBe(32);
    // int: the bare robj.
    expect(stringValueBytes({ type: 'string', value: Buffer.from('12345') })).toBe(16);
    expect(dictTableBytes(0)).toBe(0);
    expect(dictTableBytes(5)).toBe(64);
    expect(dictTableBytes(100_000)).toBe(131_072 * 8);
  });
});

type Op =
  | { kind: 'setString'; key: number; bytes: number }
  | { kind: 'setList'; key: number; count: number }
  | { kind: 'push'; key: number; count: number; bytes: number }
  | { kind: 'pop'; key: number; count: number }
  | { kind: 'expire'; key: number }
  | { kind: 'persist'; key: number }
  | { kind: 'delete'; key: number };

const KEYS = 8;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('setString' as const),
    key: fc.nat(KEYS),
    bytes: fc.nat(300),
  }),
  fc.record({ kind: fc.constant('setList' as const), key: fc.nat(KEYS), count: fc.nat(40) }),
  fc.record({
    kind: fc.constant('push' as const),
    key: fc.nat(KEYS),
    count: fc.integer({ min: 1, max: 20 }),
    bytes: fc.nat(100),
  }),
  fc.record({
    kind: fc.constant('pop' as const),
    key: fc.nat(KEYS),
    count: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({ kind: fc.constant('expire' as const), key: fc.nat(KEYS) }),
  fc.record({ kind: fc.constant('persist' as const), key: fc.nat(KEYS) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.nat(KEYS) }),
);

function apply(db: Database, op: Op): void {
  const key = `key${op.key}`;
  const value = db.peek(key);
  switch (op.kind) {
    case 'setString':
      db.set(key, str('x'.repeat(op.bytes)));
      return;
    case 'setList':
      db.set(key, {
        type: 'list',
        value: Deque.from(Array.from({ length: op.count + 1 }, () => Buffer.alloc(10))),
      });
      return;
    case 'push':
      if (value?.type !== 'list') return;
      for (let i = 0; i < op.count; i++) value.value.pushBack(Buffer.alloc(op.bytes));
      db.collectionChanged(key, op.count);
      return;
    case 'pop':
      if (value?.type !== 'list') return;
      for (let i = 0; i < op.count && value.value.length > 1; i++) value.value.popFront();
      db.collectionChanged(key, op.count);
      return;
    case 'expire':
      if (value !== undefined) db.setExpiry(key, 1e12);
      return;
    case 'persist':
      db.removeExpiry(key);
      return;
    case 'delete':
      db.delete(key);
      return;
  }
}

describe('incremental charges', () => {
  it('never drift, and small collections are charged exactly', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const db = new Database(0, { onExpired: () => undefined });
        for (const op of ops) {
          apply(db, op);
          // With one key stored alone and small, the charge is an exact measure.
          const [only, ...rest] = [...db.keys()];
          if (only !== undefined && rest.length === 0) {
            const value = db.peek(only);
            const small =
              value?.type === 'string' || (value?.type === 'list' && value.value.length <= 16);
            if (value !== undefined && small) {
              const expiry =
                db.expiryOf(only) === undefined ? 0 : DICT_ENTRY_BYTES + dictTableBytes(1);
              const tables = db.memoryBytes() - keyBytes(only.length) - valueBytes(value) - expiry;
              // What is left is the main table (at least 4 buckets) and maybe an emptied expires table.
              expect([32, 64]).toContain(tables);
            }
          }
        }
        for (const key of [...db.keys()]) db.delete(key);
        db.resizeTables();
        // Only the (shrunk) empty tables remain: 4 buckets each at most.
        expect(db.memoryBytes()).toBeLessThanOrEqual(64);
        db.clear();
        expect(db.memoryBytes()).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('follows a big collection grown in place, within a quarter of a fresh measure', () => {
    const db = new Database(0, { onExpired: () => undefined });
    const list = new Deque<Buffer>();
    db.set('l', { type: 'list', value: list });
    for (let i = 0; i < 10_000; i++) {
      list.pushBack(Buffer.alloc(i % 50));
      db.collectionChanged('l', 1);
      if (i % 997 === 0) {
        const exact = keyBytes(1) + valueBytes({ type: 'list', value: list }) + 32;
        expect(Math.abs(db.memoryBytes() - exact) / exact).toBeLessThan(0.25);
      }
    }
  });
});
