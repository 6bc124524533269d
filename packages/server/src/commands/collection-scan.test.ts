/**
 * HSCAN/SSCAN's guarantee for hashtable collections, checked on scanStep directly: every element
 * present for the whole walk is returned at least once, however elements are added and deleted
 * between the calls, including deletions heavy enough to compact the slot table (a new epoch, so
 * older cursors restart). Method: a property test drives a Set through random add/delete batches
 * interleaved with scan steps of random COUNT, from cursor 0 until the reply cursor is 0, and
 * compares the union of returned elements with the elements never deleted. Also: cursor parsing
 * follows strtoul, and the options parse as Redis's scanGenericCommand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScanCursor, parseScanOptions, scanStep } from './collection-scan.js';
import { ErrorReply } from './types.js';

const STEPS_MAX = 100_000;

function sourceOf(set: Set<string>) {
  return {
    identity: set,
    get size() {
      return set.size;
    },
    has: (element: string) => set.has(element),
    elements: () => set.values(),
  };
}

describe('scanStep', () => {
  it('returns every element present throughout, under random adds and deletes', () => {
    const op = fc.record({ del: fc.boolean(), element: fc.nat(1999) });
    fc.assert(
      fc.property(
        fc.nat(1500),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 200 })), {
          minLength: 1,
          maxLength: 60,
        }),
        (initial, steps) => {
          const set = new Set<string>();
          for (let i = 0; i < initial; i++) set.add(`e${i}`);
          const throughout = new Set(set);
          const returned = new Set<string>();
          let cursor = 0n;
          let index = 0;
          do {
            const [count, ops] = steps[index % steps.length] ?? [10, []];
            const step = scanStep(sourceOf(set), cursor, count);
            expect(step.elements.length).toBeLessThanOrEqual(count);
            for (const element of step.elements) returned.add(element);
            cursor = step.next;
            for (const { del, element } of ops) {
              const name = `e${element}`;
              if (del) {
                set.delete(name);
                throughout.delete(name);
              } else {
                set.add(name);
              }
            }
            index++;
            expect(index).toBeLessThan(STEPS_MAX);
          } while (cursor !== 0n);
          for (const element of throughout) expect(returned.has(element), element).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('walks an unchanged collection exactly once, in insertion order', () => {
    const set = new Set(Array.from({ length: 25 }, (_, i) => `m${i}`));
    const seen: string[] = [];
    let cursor = 0n;
    do {
      const step = scanStep(sourceOf(set), cursor, 7);
      seen.push(...step.elements);
      cursor = step.next;
    } while (cursor !== 0n);
    expect(seen).toEqual([...set]);
  });
});

describe('parseScanCursor', () => {
  const parse = (text: string) => parseScanCursor(Buffer.from(text));

  it('follows strtoul: a sign, wrap-around for "-", empty is 0', () => {
    expect(parse('0')).toBe(0n);
    expect(parse('')).toBe(0n);
    expect(parse('+7')).toBe(7n);
    expect(parse('-1')).toBe(2n ** 64n - 1n);
    expect(parse('18446744073709551615')).toBe(2n ** 64n - 1n);
  });

  it('rejects spaces, garbage and overflow', () => {
    for (const text of [' 1', '1 ', 'x', '0x10', '-', '18446744073709551616', '1.0']) {
      expect(parse(text), text).toBeInstanceOf(ErrorReply);
    }
  });
});

describe('parseScanOptions', () => {
  const parse = (...words: string[]) =>
    parseScanOptions(
      ['SSCAN', 'k', '0', ...words].map((word) => Buffer.from(word)),
      3,
    );

  it('reads MATCH and COUNT, the last one winning', () => {
    expect(parse()).toEqual({ count: 10, pattern: undefined });
    expect(parse('MATCH', 'a*', 'count', '3', 'COUNT', '5')).toEqual({ count: 5, pattern: 'a*' });
    expect(parse('MATCH', '*')).toEqual({ count: 10, pattern: undefined });
  });

  it('answers Redis errors', () => {
    const message = (reply: unknown) => (reply instanceof ErrorReply ? reply.message : reply);
    expect(message(parse('COUNT', '0'))).toBe('ERR syntax error');
    expect(message(parse('COUNT', 'x'))).toBe('ERR value is not an integer or out of range');
    expect(message(parse('COUNT'))).toBe('ERR syntax error');
    expect(message(parse('TYPE', 'set'))).toBe('ERR syntax error');
  });
});
