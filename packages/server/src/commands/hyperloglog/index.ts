/** The HyperLogLog commands, listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { pfadd } from './pfadd.js';
import { pfcount } from './pfcount.js';
import { pfdebug } from './pfdebug.js';
import { pfmerge } from './pfmerge.js';
import { pfselftest } from './pfselftest.js';

export const HYPERLOGLOG_COMMANDS: readonly Command[] = [
  pfadd,
  pfcount,
  pfdebug,
  pfmerge,
  pfselftest,
];
