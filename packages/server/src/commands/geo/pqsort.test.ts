/**
 * pqsort (Redis's partial quicksort): whatever the ties, the first k+1 entries are the k+1
 * smallest in order and the array stays a permutation of its input.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { pqsort } from './pqsort.js';

it('puts the smallest entries first, in order, for any range end', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 120 }),
      fc.nat(),
      (keys, pick) => {
        const items = keys.map((key, id) => ({ key, id }));
        const last = pick % items.length;
        const sorted = [...items].sort((a, b) => a.key - b.key);
        pqsort(items, (a, b) => (a.key > b.key ? 1 : a.key === b.key ? 0 : -1), 0, last);
        expect(items.slice(0, last + 1).map((i) => i.key)).toEqual(
          sorted.slice(0, last + 1).map((i) => i.key),
        );
        expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(keys.map((_, id) => id));
      },
    ),
    { numRuns: 300 },
  );
});
