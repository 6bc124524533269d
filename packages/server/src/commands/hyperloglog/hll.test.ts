/**
 * Unit tests of the HLL data structure (hll.ts), with expectations taken from Redis 7.0.15:
 * the empty sparse HLL's bytes, the registers `PFADD h a b c` sets (Redis's PFDEBUG DECODE prints
 * `Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603`), and the PFSELFTEST invariant as a property:
 * the same elements added to a sparse and to a dense HLL give the same registers and count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addElement,
  countOf,
  createHll,
  decodeSparse,
  denseGet,
  encodingOf,
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  patternOf,
  sparseToDense,
} from './hll.js';

describe('HyperLogLog data structure', () => {
  it('creates the empty sparse HLL Redis creates', () => {
    expect(createHll().toString('hex')).toBe(
      `${Buffer.from('HYLL\x01').toString('hex')}${'00'.repeat(11)}7fff`,
    );
    expect(countOf(createHll())).toBe(0);
  });

  it('hashes elements to the registers Redis uses', () => {
    const patterns = ['a', 'b', 'c'].map((e) => patternOf(Buffer.from(e)));
    const byIndex = patterns
      .map((p) => [p.index, p.count])
      .sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
    expect(byIndex).toEqual([
      [8436, 1],
      [12711, 2],
      [15780, 1],
    ]);
    let hll = createHll();
    for (const e of ['a', 'b', 'c']) hll = addElement(hll, Buffer.from(e), 3000).bytes;
    expect(decodeSparse(hll)).toBe('Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603');
  });

  it('sparse and dense agree on registers and count (PFSELFTEST invariant)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 400 }),
        fc.integer({ min: 30, max: 4000 }),
        (elements, maxBytes) => {
          let sparse = createHll();
          let dense: Buffer = Buffer.alloc(HLL_DENSE_SIZE);
          dense.write('HYLL', 0, 'latin1');
          for (const element of elements) {
            sparse = addElement(sparse, Buffer.from(element), maxBytes).bytes;
            dense = addElement(dense, Buffer.from(element), maxBytes).bytes;
          }
          expect(encodingOf(dense)).toBe(HLL_DENSE);
          if (encodingOf(sparse) === HLL_SPARSE)
            expect(sparse.length).toBeLessThanOrEqual(Math.max(maxBytes, 18));
          const converted = sparseToDense(sparse);
          expect(converted).toBeDefined();
          for (let i = 0; i < HLL_REGISTERS; i += 97) {
            expect(denseGet(converted ?? dense, i)).toBe(denseGet(dense, i));
          }
          expect(countOf(sparse)).toBe(countOf(dense));
        },
      ),
      { numRuns: 40 },
    );
  });
});
