/**
 * BITFIELD_RO key [GET type offset ...]
 *
 * BITFIELD limited to GET, for read-only contexts (replicas); see bitfield-generic.ts.
 */
import type { Command } from '../types.js';
import { defineBitfield } from './bitfield-generic.js';

export const bitfieldRo: Command = defineBitfield('bitfield_ro', {
  summary:
    'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
  since: '6.0.0',
  group: 'bitmap',
  complexity: 'O(1) for each subcommand specified',
});
