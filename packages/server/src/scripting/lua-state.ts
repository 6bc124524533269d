/**
 * Builds a sandboxed Lua state as Redis 7.0's scriptingInit / luaRegisterRedisAPI do: the base,
 * table, string, math and coroutine libraries, Redis's bundled bit, cjson, cmsgpack and struct
 * (written in JavaScript: bit-lib.ts, cjson-lib.ts, cmsgpack-lib.ts, struct-lib.ts), the `redis` table (from the
 * caller), the Lua 5.1 compatibility prelude, then every global and library table locked. No
 * os, io, package, require, print, loadfile or dofile; `debug` only for the error handler.
 */

import { openBit } from './bit-lib.js';
import { openCjson } from './cjson-lib.js';
import { openCmsgpack } from './cmsgpack-lib.js';
import { type LuaState, lauxlib, lua, lualib, to_luastring } from './lua-vm.js';
import { LOCK_LUA, PRELUDE_LUA } from './prelude.js';
import { installSort } from './sort-lib.js';
import { openStruct } from './struct-lib.js';

/** Registry key of the prelude's runner: `function(f, ...) return xpcall(f, handler, ...) end`. */
export const RUNNER_KEY = '__replisim_runner';

export interface Sandbox {
  readonly L: LuaState;
  /** Sets a hidden global (KEYS, ARGV) past the lock. */
  setGlobal(name: string, push: () => void): void;
  /** Shows the table `push` pushes as the only globals (FUNCTION LOAD), or the real ones (nil). */
  setView(push: () => void): void;
}

function runChunk(L: LuaState, source: string, name: string, results: number): void {
  const code = to_luastring(source);
  const status = lauxlib.luaL_loadbuffer(L, code, code.length, to_luastring(`=${name}`));
  if (status === lua.LUA_OK && lua.lua_pcall(L, 0, results, 0) === lua.LUA_OK) return;
  const message = lua.lua_tolstring(L, -1);
  throw new Error(`scripting ${name} failed: ${message ? Buffer.from(message).toString() : '?'}`);
}

/**
 * A new sandbox. `installApi` runs with the `redis` table on top of the stack, and with the math
 * table as a global, to add the engine's functions (call, pcall, math.random...).
 */
export function createSandbox(installApi: (L: LuaState) => void): Sandbox {
  const L = lauxlib.luaL_newstate();
  const libs: [string, (S: LuaState) => number][] = [
    ['_G', lualib.luaopen_base],
    ['table', lualib.luaopen_table],
    ['string', lualib.luaopen_string],
    ['math', lualib.luaopen_math],
    ['coroutine', lualib.luaopen_coroutine],
    ['debug', lualib.luaopen_debug],
  ];
  for (const [name, open] of libs) {
    lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
    lua.lua_pop(L, 1);
  }
  openBit(L);
  openCjson(L);
  openCmsgpack(L);
  openStruct(L);
  installSort(L);
  lua.lua_newtable(L);
  installApi(L);
  lua.lua_setglobal(L, to_luastring('redis'));
  runChunk(L, PRELUDE_LUA, 'prelude', 1);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring(RUNNER_KEY));
  runChunk(L, LOCK_LUA, 'lock', 2);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_set_view'));
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_set_hidden'));
  return {
    L,
    setGlobal(name, push) {
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_set_hidden'));
      const key = to_luastring(name);
      lua.lua_pushlstring(L, key, key.length);
      push();
      if (lua.lua_pcall(L, 2, 0, 0) !== lua.LUA_OK) lua.lua_pop(L, 1);
    },
    setView(push) {
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_set_view'));
      push();
      if (lua.lua_pcall(L, 1, 0, 0) !== lua.LUA_OK) lua.lua_pop(L, 1);
    },
  };
}
