/**
 * The generic key commands, listed for the table (commands/table.ts), plus DEBUG (server/debug.ts),
 * which belongs to the same piece of work.
 */
import { debug } from '../server/debug.js';
import type { Command } from '../types.js';
import { copy } from './copy.js';
import { del } from './del.js';
import { dump } from './dump.js';
import { exists } from './exists.js';
import { expire } from './expire.js';
import { expireat } from './expireat.js';
import { expiretime } from './expiretime.js';
import { keys } from './keys.js';
import { migrate } from './migrate.js';
import { move } from './move.js';
import { object } from './object.js';
import { persist } from './persist.js';
import { pexpire } from './pexpire.js';
import { pexpireat } from './pexpireat.js';
import { pexpiretime } from './pexpiretime.js';
import { pttl } from './pttl.js';
import { randomkey } from './randomkey.js';
import { rename } from './rename.js';
import { renamenx } from './renamenx.js';
import { restore } from './restore.js';
import { scan } from './scan.js';
import { sort } from './sort.js';
import { sortRo } from './sort-ro.js';
import { swapdb } from './swapdb.js';
import { touch } from './touch.js';
import { ttl } from './ttl.js';
import { type } from './type.js';
import { unlink } from './unlink.js';

export const KEYS_COMMANDS: readonly Command[] = [
  copy,
  debug,
  del,
  dump,
  exists,
  expire,
  expireat,
  expiretime,
  keys,
  migrate,
  move,
  object,
  persist,
  pexpire,
  pexpireat,
  pexpiretime,
  pttl,
  randomkey,
  rename,
  renamenx,
  restore,
  scan,
  sort,
  sortRo,
  swapdb,
  touch,
  ttl,
  type,
  unlink,
];
