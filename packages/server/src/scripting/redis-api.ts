/**
 * The `redis` table scripts see (script_lua.c's luaRegisterRedisAPI) and Redis's math.random:
 * call, pcall, error_reply, status_reply, sha1hex, log and the LOG_* levels, setresp, set_repl
 * and the REPL_* flags, REDIS_VERSION(_NUM). Error texts are Redis 7.0's.
 */
import { createHash } from 'node:crypto';
import type { LogLevel } from '../config/server-config.js';
import { REDIS_VERSION } from '../node.js';
import { pushErrorTable, pushReply } from './convert.js';
import {
  type LuaState,
  lauxlib,
  lua,
  pushText,
  raiseError,
  setFunction,
  setNumber,
  setString,
  to_luastring,
  toBytes,
} from './lua-vm.js';
import { formatG } from './number-format.js';
import { LRAND48_MAX, type Rand48 } from './rand48.js';
import { PROPAGATE_AOF, PROPAGATE_REPL, type ScriptRun } from './script-run.js';

/** What the API needs from the engine: the running script, if any, and the node's services. */
export interface ApiHost {
  current(): ScriptRun | undefined;
  readonly rand: Rand48;
  log(level: Exclude<LogLevel, 'nothing'>, message: string): void;
  logLevel(): number;
}

/** Redis's LL_* levels, in order. */
const LOG_LEVELS: readonly Exclude<LogLevel, 'nothing'>[] = [
  'debug',
  'verbose',
  'notice',
  'warning',
];

/** Lua arguments to a command's argv, or undefined if one is not a string or number. */
function argsToArgv(L: LuaState, argc: number): Buffer[] | undefined {
  const argv: Buffer[] = [];
  for (let j = 1; j <= argc; j++) {
    if (lua.lua_type(L, j) === lua.LUA_TNUMBER) {
      // %.17g, not Lua's %.14g, so no precision is lost (luaArgsToRedisArgv).
      argv.push(Buffer.from(formatG(lua.lua_tonumber(L, j), 17), 'latin1'));
      continue;
    }
    const bytes = lua.lua_type(L, j) === lua.LUA_TSTRING ? toBytes(L, j) : undefined;
    if (bytes === undefined) return undefined;
    argv.push(bytes);
  }
  return argv;
}

function genericCommand(host: ApiHost, L: LuaState, raise: boolean): number {
  const run = host.current();
  if (run === undefined) {
    pushErrorTable(L, 'redis.call/pcall can only be called inside a script invocation');
    return lua.lua_error(L);
  }
  const argc = lua.lua_gettop(L);
  if (argc === 0) {
    pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
    return raise ? lua.lua_error(L) : 1;
  }
  const argv = argsToArgv(L, argc);
  lua.lua_settop(L, 0);
  if (argv === undefined) {
    pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
    return raise ? lua.lua_error(L) : 1;
  }
  const result = run.call(argv);
  if (result.kind === 'error') {
    pushErrorTable(L, result.raw, true);
    return raise ? lua.lua_error(L) : 1;
  }
  pushReply(L, result.value, run.resp);
  if (raise && result.value.kind === 'error') return lua.lua_error(L);
  return 1;
}

function requireRun(host: ApiHost, L: LuaState, what: string): ScriptRun {
  const run = host.current();
  if (run === undefined) {
    pushErrorTable(L, `${what} can only be called inside a script invocation`);
    return lua.lua_error(L);
  }
  return run;
}

/** Fills the `redis` table on top of L's stack and replaces math.random / math.randomseed. */
export function installRedisApi(L: LuaState, host: ApiHost): void {
  setFunction(L, 'call', (S) => genericCommand(host, S, true));
  setFunction(L, 'pcall', (S) => genericCommand(host, S, false));
  setFunction(L, 'log', (S) => {
    const argc = lua.lua_gettop(S);
    if (argc < 2) {
      pushErrorTable(S, 'redis.log() requires two arguments or more.');
      return lua.lua_error(S);
    }
    if (!lua.lua_isnumber(S, 1)) {
      pushErrorTable(S, 'First argument must be a number (log level).');
      return lua.lua_error(S);
    }
    const level = Math.trunc(lua.lua_tonumber(S, 1));
    const name = LOG_LEVELS[level];
    if (name === undefined) {
      pushErrorTable(S, 'Invalid debug level.');
      return lua.lua_error(S);
    }
    if (level < host.logLevel()) return 0;
    const parts: string[] = [];
    for (let j = 2; j <= argc; j++) {
      const bytes = lua.lua_isstring(S, j) ? toBytes(S, j) : undefined;
      if (bytes !== undefined) parts.push(bytes.toString('latin1'));
    }
    host.log(name, parts.join(' '));
    return 0;
  });
  LOG_LEVELS.forEach((name, level) => {
    setNumber(L, `LOG_${name.toUpperCase()}`, level);
  });
  setNumber(L, 'REDIS_VERSION_NUM', versionNumber(REDIS_VERSION));
  setString(L, 'REDIS_VERSION', REDIS_VERSION);
  setFunction(L, 'setresp', (S) => {
    const run = requireRun(host, S, 'redis.setresp');
    if (lua.lua_gettop(S) !== 1) {
      pushErrorTable(S, 'redis.setresp() requires one argument.');
      return lua.lua_error(S);
    }
    const resp = Math.trunc(lua.lua_tonumber(S, 1));
    if (resp !== 2 && resp !== 3) {
      pushErrorTable(S, 'RESP version must be 2 or 3.');
      return lua.lua_error(S);
    }
    run.resp = resp;
    return 0;
  });
  setFunction(L, 'sha1hex', (S) => {
    if (lua.lua_gettop(S) !== 1) {
      pushErrorTable(S, 'wrong number of arguments');
      return lua.lua_error(S);
    }
    const bytes = toBytes(S, 1) ?? Buffer.alloc(0);
    pushText(S, createHash('sha1').update(bytes).digest('hex'));
    return 1;
  });
  setFunction(L, 'error_reply', (S) => {
    if (lua.lua_gettop(S) !== 1 || lua.lua_type(S, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(S, 'wrong number or type of arguments');
      return 1;
    }
    const text = toBytes(S, 1)?.toString('latin1') ?? '';
    pushErrorTable(S, text.startsWith('-') ? text : `-${text}`);
    return 1;
  });
  setFunction(L, 'status_reply', (S) => {
    if (lua.lua_gettop(S) !== 1 || lua.lua_type(S, -1) !== lua.LUA_TSTRING) {
      pushErrorTable(S, 'wrong number or type of arguments');
      return 1;
    }
    lua.lua_newtable(S);
    lua.lua_pushvalue(S, 1);
    lua.lua_setfield(S, -2, to_luastring('ok'));
    return 1;
  });
  setFunction(L, 'set_repl', (S) => {
    const run = requireRun(host, S, 'redis.set_repl');
    if (lua.lua_gettop(S) !== 1) {
      pushErrorTable(S, 'redis.set_repl() requires two arguments.');
      return lua.lua_error(S);
    }
    const flags = Math.trunc(lua.lua_tonumber(S, 1));
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) {
      pushErrorTable(
        S,
        'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.',
      );
      return lua.lua_error(S);
    }
    run.replFlags = flags;
    return 0;
  });
  setNumber(L, 'REPL_NONE', 0);
  setNumber(L, 'REPL_AOF', PROPAGATE_AOF);
  setNumber(L, 'REPL_SLAVE', PROPAGATE_REPL);
  setNumber(L, 'REPL_REPLICA', PROPAGATE_REPL);
  setNumber(L, 'REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL);
  installMathRandom(L, host);
}

/** REDIS_VERSION_NUM: 0x00MMmmpp. */
function versionNumber(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return (major << 16) | (minor << 8) | patch;
}

function installMathRandom(L: LuaState, host: ApiHost): void {
  lua.lua_getglobal(L, to_luastring('math'));
  setFunction(L, 'random', (S) => {
    if (host.current() === undefined) {
      return raiseError(S, 'math.random can only be called inside a script invocation');
    }
    const r = (host.rand.next() % LRAND48_MAX) / LRAND48_MAX;
    switch (lua.lua_gettop(S)) {
      case 0:
        lua.lua_pushnumber(S, r);
        return 1;
      case 1: {
        const u = Math.trunc(lauxlib.luaL_checknumber(S, 1));
        if (u < 1) lauxlib.luaL_argerror(S, 1, to_luastring('interval is empty'));
        lua.lua_pushnumber(S, Math.floor(r * u) + 1);
        return 1;
      }
      case 2: {
        const l = Math.trunc(lauxlib.luaL_checknumber(S, 1));
        const u = Math.trunc(lauxlib.luaL_checknumber(S, 2));
        if (l > u) lauxlib.luaL_argerror(S, 2, to_luastring('interval is empty'));
        lua.lua_pushnumber(S, Math.floor(r * (u - l + 1)) + l);
        return 1;
      }
      default:
        return raiseError(S, 'wrong number of arguments');
    }
  });
  setFunction(L, 'randomseed', (S) => {
    if (host.current() === undefined) {
      return raiseError(S, 'math.randomseed can only be called inside a script invocation');
    }
    host.rand.seed(Math.trunc(lauxlib.luaL_checknumber(S, 1)));
    return 0;
  });
  lua.lua_pop(L, 1);
}
