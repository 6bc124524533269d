/** The bitmap commands (Redis's bitops.c), listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { bitcount } from './bitcount.js';
import { bitfield } from './bitfield.js';
import { bitfieldRo } from './bitfield-ro.js';
import { bitop } from './bitop.js';
import { bitpos } from './bitpos.js';
import { getbit } from './getbit.js';
import { setbit } from './setbit.js';

export const BITMAPS_COMMANDS: readonly Command[] = [
  bitcount,
  bitfield,
  bitfieldRo,
  bitop,
  bitpos,
  getbit,
  setbit,
];
