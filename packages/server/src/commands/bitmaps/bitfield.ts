/**
 * BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value |
 * INCRBY type offset increment ...]
 *
 * Reads and writes integer fields of a string; see bitfield-generic.ts.
 */
import type { Command } from '../types.js';
import { defineBitfield } from './bitfield-generic.js';

export const bitfield: Command = defineBitfield('bitfield', {
  summary: 'Perform arbitrary bitfield integer operations on strings',
  since: '3.2.0',
  group: 'bitmap',
  complexity: 'O(1) for each subcommand specified',
});
