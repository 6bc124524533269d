/**
 * SortedSet against a model (a plain array sorted by score then member) under random operations:
 * order, ranks, lower bounds and membership must agree after every step, across chunk splits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareScored, type ScoredMember, SortedSet } from './sorted-set.js';

describe('SortedSet', () => {
  it('agrees with a sorted-array model under random adds and removes', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        member: fc.integer({ min: 0, max: 700 }),
        score: fc.integer({ min: -5, max: 5 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), member: fc.integer({ min: 0, max: 700 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 300, maxLength: 1500, size: 'max' }), (ops) => {
        const set = new SortedSet();
        const model = new Map<string, number>();
        for (const step of ops) {
          const member = `m${step.member}`;
          if (step.kind === 'add') {
            expect(set.add(member, step.score)).toBe(!model.has(member));
            model.set(member, step.score);
          } else {
            expect(set.remove(member)).toBe(model.delete(member));
          }
        }
        const sorted: ScoredMember[] = [...model]
          .map(([member, score]) => ({ member, score }))
          .sort(compareScored);
        expect([...set]).toEqual(sorted);
        expect(set.size).toBe(sorted.length);
        expect(set.range(0, sorted.length - 1)).toEqual(sorted);
        for (const [rank, entry] of sorted.entries()) {
          if (rank % 37 !== 0) continue;
          expect(set.rank(entry.member)).toBe(rank);
          expect(set.at(rank)).toEqual(entry);
        }
        expect(set.firstIndex((e) => e.score < 0)).toBe(sorted.filter((e) => e.score < 0).length);
      }),
      { numRuns: 60 },
    );
  });

  it('orders equal scores by member bytes', () => {
    const set = new SortedSet();
    for (const member of ['b', 'a', '\u00ff', 'B']) set.add(member, 1);
    expect([...set].map((e) => e.member)).toEqual(['B', 'a', 'b', '\u00ff']);
  });
});
