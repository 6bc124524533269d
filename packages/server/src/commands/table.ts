/**
 * The command table: every command replisim implements. Each family folder lists its own commands
 * (so work on one type never edits another's list); the table sorts them by name. Built once at load;
 * a duplicate name is a programmer error. Lookups accept the lower-case and the upper-case spelling
 * directly (what clients send), and the dispatcher lower-cases anything else.
 */
import { assert } from '@replisim/base';
import { aclCommand } from './acl/acl.js';
import { BITMAPS_COMMANDS } from './bitmaps/index.js';
import { CLUSTER_COMMANDS } from './cluster/index.js';
import { auth } from './connection/auth.js';
import { client } from './connection/client.js';
import { echo } from './connection/echo.js';
import { hello } from './connection/hello.js';
import { ping } from './connection/ping.js';
import { quit } from './connection/quit.js';
import { reset } from './connection/reset.js';
import { select } from './connection/select.js';
import { GEO_COMMANDS } from './geo/index.js';
import { HASHES_COMMANDS } from './hashes/index.js';
import { HYPERLOGLOG_COMMANDS } from './hyperloglog/index.js';
import { KEYS_COMMANDS } from './keys/index.js';
import { LISTS_COMMANDS } from './lists/index.js';
import { PUBSUB_COMMANDS } from './pubsub/index.js';
import { MASTER_REPLICATION_COMMANDS } from './replication/index.js';
import { SCRIPTING_COMMANDS } from './scripting/index.js';
import { bgsave } from './server/bgsave.js';
import { commandCommand } from './server/command.js';
import { configCommand } from './server/config.js';
import { dbsize } from './server/dbsize.js';
import { flushall } from './server/flushall.js';
import { flushdb } from './server/flushdb.js';
import { info } from './server/info.js';
import { lastsave } from './server/lastsave.js';
import { latencyCommand } from './server/latency.js';
import { lolwut } from './server/lolwut.js';
import { memoryCommand } from './server/memory.js';
import { moduleCommand } from './server/module.js';
import { monitor } from './server/monitor.js';
import { replicaof, slaveof } from './server/replicaof.js';
import { save } from './server/save.js';
import { shutdown } from './server/shutdown.js';
import { slowlogCommand } from './server/slowlog.js';
import { time } from './server/time.js';
import { SETS_COMMANDS } from './sets/index.js';
import { STREAMS_COMMANDS } from './streams/index.js';
import { STRINGS_COMMANDS } from './strings/index.js';
import { TRANSACTIONS_COMMANDS } from './transactions/index.js';
import type { Command } from './types.js';
import { ZSETS_COMMANDS } from './zsets/index.js';

const SERVER_AND_CONNECTION: readonly Command[] = [
  aclCommand,
  auth,
  bgsave,
  client,
  commandCommand,
  configCommand,
  dbsize,
  echo,
  flushall,
  flushdb,
  hello,
  info,
  lastsave,
  latencyCommand,
  lolwut,
  memoryCommand,
  moduleCommand,
  monitor,
  ping,
  quit,
  replicaof,
  reset,
  save,
  select,
  shutdown,
  slaveof,
  slowlogCommand,
  time,
];

export const COMMAND_LIST: readonly Command[] = [
  ...SERVER_AND_CONNECTION,
  ...STRINGS_COMMANDS,
  ...BITMAPS_COMMANDS,
  ...KEYS_COMMANDS,
  ...LISTS_COMMANDS,
  ...HASHES_COMMANDS,
  ...HYPERLOGLOG_COMMANDS,
  ...SETS_COMMANDS,
  ...ZSETS_COMMANDS,
  ...GEO_COMMANDS,
  ...CLUSTER_COMMANDS,
  ...STREAMS_COMMANDS,
  ...TRANSACTIONS_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...MASTER_REPLICATION_COMMANDS,
  ...SCRIPTING_COMMANDS,
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

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
