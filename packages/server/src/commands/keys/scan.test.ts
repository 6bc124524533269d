/**
 * SCAN's guarantee, checked against the slot table directly: every key present for the whole
 * iteration is returned at least once, however keys are added and deleted between the calls, and
 * even when the deletions compact the table (which advances its epoch and restarts old cursors).
 * Method: a property test drives a Database through random insert/delete batches interleaved with
 * SCAN steps of random COUNT, from a first cursor of 0 to a reply cursor of 0, and compares the
 * union of the returned keys with the keys that were never deleted. Cursor parsing follows strtoul.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database } from '../../keyspace/database.js';
import { decodeScanCursor, encodeScanCursor, parseScanCursor, scanSlots } from './scan.js';

const STEPS_MAX = 100_000;

function newDatabase(): Database {
  return new Database(0, { onExpired: () => undefined });
}

const str = (value: string) => ({ type: 'string' as const, value: Buffer.from(value) });

describe('SCAN over the slot table', () => {
  it('returns every key present throughout, under random inserts and deletes', () => {
    const op = fc.record({ del: fc.boolean(), key: fc.nat(3999) });
    fc.assert(
      fc.property(
        fc.nat(3000),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 200, size: 'max' })),
          { minLength: 1, maxLength: 100, size: 'max' },
        ),
        (initial, steps) => {
          const db = newDatabase();
          for (let i = 0; i < initial; i++) db.set(`k${i}`, str('v'));
          const throughout = new Set(db.keys());
          const returned = new Set<string>();
          let cursor = 0n;
          let stepIndex = 0;
          do {
            // Churn stops after the scripted steps: under endless churn, compactions could keep
            // restarting the cursor (see scan.ts), and the property is about keys, not liveness.
            const [count, ops] = steps[stepIndex] ?? [10, []];
            const step = scanSlots(db, cursor, count);
            for (const key of step.keys) returned.add(key);
            cursor = step.next;
            for (const { del, key } of ops) {
              const name = `k${key}`;
              if (del) {
                db.delete(name);
                throughout.delete(name);
              } else {
                db.set(name, str('w'));
              }
            }
            stepIndex++;
            expect(stepIndex).toBeLessThan(STEPS_MAX);
          } while (cursor !== 0n);
          for (const key of throughout) expect(returned.has(key), key).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('restarts a cursor from before a compaction instead of skipping keys', () => {
    const db = newDatabase();
    for (let i = 0; i < 3000; i++) db.set(`k${i}`, str('v'));
    const first = scanSlots(db, 0n, 100);
    expect(first.keys).toHaveLength(100);
    const epoch = db.epoch;
    // Deleting the first 1500 keys makes holes as many as keys: the table is compacted and every
    // surviving key moves down by 1500 slots, so resuming at slot 100 would skip k1500..k1599.
    for (let i = 0; i < 1500; i++) db.delete(`k${i}`);
    expect(db.epoch).toBeGreaterThan(epoch);
    const second = scanSlots(db, first.next, 100);
    expect(second.keys[0]).toBe('k1500');
  });

  it('walks a table without changes in slot order, COUNT keys per call', () => {
    const db = newDatabase();
    for (let i = 0; i < 25; i++) db.set(`k${i}`, str('v'));
    const seen: string[] = [];
    let cursor = 0n;
    let calls = 0;
    do {
      const step = scanSlots(db, cursor, 10);
      seen.push(...step.keys);
      cursor = step.next;
      calls++;
    } while (cursor !== 0n);
    expect(calls).toBe(3);
    expect(seen).toEqual([...db.keys()]);
  });

  it('visits at most 10 x COUNT slots of holes per call', () => {
    const db = newDatabase();
    for (let i = 0; i < 600; i++) db.set(`k${i}`, str('v'));
    for (let i = 0; i < 500; i++) db.delete(`k${i}`);
    const step = scanSlots(db, 0n, 5);
    expect(step.keys).toEqual([]);
    expect(decodeScanCursor(step.next, db.epoch)).toBe(50);
  });

  it('parses cursors as strtoul: wrap-around, empty, junk and overflow', () => {
    const parse = (text: string) => parseScanCursor(Buffer.from(text));
    expect(parse('0')).toBe(0n);
    expect(parse('')).toBe(0n);
    expect(parse('00')).toBe(0n);
    expect(parse('+7')).toBe(7n);
    expect(parse('-1')).toBe(2n ** 64n - 1n);
    expect(parse('-18446744073709551615')).toBe(1n);
    expect(parse('18446744073709551615')).toBe(2n ** 64n - 1n);
    for (const bad of ['18446744073709551616', '-', 'x', ' 1', '1 ', '0x1', '1.5']) {
      expect(parse(bad), bad).toBeUndefined();
    }
    expect(encodeScanCursor(3, 10, 10)).toBe(0n);
    expect(decodeScanCursor(encodeScanCursor(3, 7, 10), 3)).toBe(7);
    expect(decodeScanCursor(encodeScanCursor(3, 7, 10), 4)).toBe(0);
  });
});
