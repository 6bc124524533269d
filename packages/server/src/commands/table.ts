/**
 * The command table: every command replisim implements, listed alphabetically. Built once at load;
 * a duplicate name is a programmer error. Lookups accept the lower-case and the upper-case spelling
 * directly (what clients send), and the dispatcher lower-cases anything else.
 */
import { assert } from '@replisim/base';
import { auth } from './connection/auth.js';
import { client } from './connection/client.js';
import { echo } from './connection/echo.js';
import { hello } from './connection/hello.js';
import { ping } from './connection/ping.js';
import { quit } from './connection/quit.js';
import { select } from './connection/select.js';
import { del } from './keys/del.js';
import { exists } from './keys/exists.js';
import { commandCommand } from './server/command.js';
import { configCommand } from './server/config.js';
import { dbsize } from './server/dbsize.js';
import { flushall } from './server/flushall.js';
import { flushdb } from './server/flushdb.js';
import { info } from './server/info.js';
import { time } from './server/time.js';
import { get } from './strings/get.js';
import { set } from './strings/set.js';
import type { Command } from './types.js';

export const COMMAND_LIST: readonly Command[] = [
  auth,
  client,
  commandCommand,
  configCommand,
  dbsize,
  del,
  echo,
  exists,
  flushall,
  flushdb,
  get,
  hello,
  info,
  ping,
  quit,
  select,
  set,
  time,
];

function buildTable(commands: readonly Command[]): ReadonlyMap<string, Command> {
  const table = new Map<string, Command>();
  for (const command of commands) {
    assert(!table.has(command.name), `duplicate command ${command.name}`);
    assert(
      command.name === command.name.toLowerCase(),
      `command names are lower-case: ${command.name}`,
    );
    table.set(command.name, command);
    table.set(command.name.toUpperCase(), command);
  }
  return table;
}

export const COMMAND_TABLE: ReadonlyMap<string, Command> = buildTable(COMMAND_LIST);
