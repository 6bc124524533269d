/**
 * XRANGE key start end [COUNT count]
 *
 * The entries with start <= ID <= end in ascending order, as [id, [field, value, ...]] pairs.
 * Details and errors: xrange-generic.ts.
 */
import type { Command } from '../types.js';
import { defineRange } from './xrange-generic.js';

export const xrange: Command = defineRange('xrange', false, {
  summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
});
