/**
 * HyperLogLog (hyperloglog.c): PFADD of a few members or of a batch (so sparse HLLs grow, split
 * and merge opcodes, and sometimes turn dense), PFCOUNT of one key (which writes the cached count)
 * or of several (a union), PFMERGE, and GET of the bytes. The shared keys also hold other types and
 * plain strings, which reach the WRONGTYPE and the HLL WRONGTYPE errors.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, key, keys, member } from './model.js';

const batch: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.array(member, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 400 }))
      .map(([from, count]) => Array.from({ length: count }, (_, i) => `e${from + i}`)),
  },
);

export const HYPERLOGLOG: Family = {
  name: 'hyperloglog',
  core: ['pfadd', 'pfcount', 'pfmerge'],
  entries: [
    entry('pfadd', 4, fc.tuple(key, batch), ([k, ms]) => command(['PFADD', k, ...ms])),
    entry('pfcount', 3, keys(1, 3), (ks) => command(['PFCOUNT', ...ks])),
    entry('pfmerge', 2, keys(1, 3), (ks) => command(['PFMERGE', ...ks])),
    entry('pfadd', 1, key, (k) => command(['GET', k])),
  ],
};
