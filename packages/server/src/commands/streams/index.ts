/** The stream commands (t_stream.c), listed for the table (commands/table.ts). */
import type { Command } from '../types.js';
import { xack } from './xack.js';
import { xadd } from './xadd.js';
import { xautoclaim } from './xautoclaim.js';
import { xclaim } from './xclaim.js';
import { xdel } from './xdel.js';
import { xgroup } from './xgroup.js';
import { xinfo } from './xinfo.js';
import { xlen } from './xlen.js';
import { xpending } from './xpending.js';
import { xrange } from './xrange.js';
import { xread } from './xread.js';
import { xreadgroup } from './xreadgroup.js';
import { xrevrange } from './xrevrange.js';
import { xsetid } from './xsetid.js';
import { xtrim } from './xtrim.js';

export const STREAMS_COMMANDS: readonly Command[] = [
  xack,
  xadd,
  xautoclaim,
  xclaim,
  xdel,
  xgroup,
  xinfo,
  xlen,
  xpending,
  xrange,
  xread,
  xreadgroup,
  xrevrange,
  xsetid,
  xtrim,
];
