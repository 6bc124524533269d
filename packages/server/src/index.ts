/**
 * @replisim/server: one Redis-compatible node on an Env.
 *
 * - node.ts             ServerNode: databases, clients, listeners, cron; the object a host runs
 * - client.ts           one connection's state; client-io.ts moves its bytes through the dispatcher
 * - commands/           one file per command, table.ts lists them, dispatch.ts checks and runs them
 * - keyspace/           databases and lazy expiry
 * - config/             the typed config, its parameter table, redis.conf and --option loading
 * - info.ts, log.ts     INFO text and Redis-style log lines
 * - bin/                the replisim-server entry point (the only file here that touches process/fs)
 */
export { ACL_CATEGORIES } from './acl/catalog.js';
export { Client } from './client.js';
export { resolveCommand } from './commands/dispatch.js';
export { COMMAND_LIST } from './commands/table.js';
export type { Command, CommandContext, CommandSpec } from './commands/types.js';
export {
  type ConfigError,
  type ConfigLoadResult,
  formatConfigError,
  loadConfig,
  optionsToDirectives,
} from './config/load-config.js';
export { CONFIG_PARAMS, findConfigParam } from './config/params.js';
export * from './config/server-config.js';
export { infoFieldMap, renderInfo } from './info.js';
export { Database, type RedisValue } from './keyspace/database.js';
export { formatLogLine, type LogSink } from './log.js';
export { type NodeOptions, REDIS_VERSION, ServerNode, type StartResult } from './node.js';
export { TEST_BUGS, type TestBug } from './testing/test-bugs.js';
