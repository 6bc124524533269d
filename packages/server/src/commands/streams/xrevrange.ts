/**
 * XREVRANGE key end start [COUNT count]
 *
 * XRANGE in descending order; note the end bound comes first. Details: xrange-generic.ts.
 */
import type { Command } from '../types.js';
import { defineRange } from './xrange-generic.js';

export const xrevrange: Command = defineRange('xrevrange', true, {
  summary:
    'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
});
