/**
 * Deque against an array model under random pushes, pops, inserts and removals at both ends and in
 * the middle, across ring wrap-around and growth.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deque } from './deque.js';

describe('Deque', () => {
  it('agrees with an array model', () => {
    const op = fc.oneof(
      fc.constant({ kind: 'pushFront' as const }),
      fc.constant({ kind: 'pushBack' as const }),
      fc.constant({ kind: 'popFront' as const }),
      fc.constant({ kind: 'popBack' as const }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(50) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400, size: 'max' }), (ops) => {
        const deque = new Deque<number>();
        const model: number[] = [];
        ops.forEach((step, value) => {
          if (step.kind === 'pushFront') {
            deque.pushFront(value);
            model.unshift(value);
          } else if (step.kind === 'pushBack') {
            deque.pushBack(value);
            model.push(value);
          } else if (step.kind === 'popFront') {
            expect(deque.popFront()).toBe(model.shift());
          } else if (step.kind === 'popBack') {
            expect(deque.popBack()).toBe(model.pop());
          } else if (step.kind === 'insert') {
            const at = Math.min(step.at, model.length);
            deque.insertAt(at, value);
            model.splice(at, 0, value);
          } else {
            expect(deque.removeAt(step.at)).toBe(model.splice(step.at, 1)[0]);
          }
          expect(deque.length).toBe(model.length);
        });
        expect(deque.toArray()).toEqual(model);
        expect([...deque]).toEqual(model);
      }),
      { numRuns: 100 },
    );
  });
});
