/**
 * The one door to fengari (Lua 5.3 in JavaScript): it re-exports the API the scripting engine
 * uses and, once at load, makes two of fengari's conversions behave as Redis's Lua 5.1 does.
 *
 * - Numbers print as Lua 5.1 prints them (`%.14g`): fengari, as Lua 5.3, prints an integral
 *   float as `5.0` and formats through JavaScript (`9007199254741000` for 2^53, `Infinity`).
 *   `tostring`, `..` and `string.format('%s')` all go through luaO_tostring, replaced here.
 * - Every numeric literal and every string converted to a number is a float, as every Lua 5.1
 *   number is a double. fengari's integers are 32-bit: `2147483647 + 1` would wrap to a negative
 *   number. Values from Redis are pushed as floats too (lua_pushnumber, as Redis does), so
 *   arithmetic in scripts is double arithmetic. What is still an integer (`#t`, string.len,
 *   string.find's positions, math.floor's result) wraps only when two such integers overflow
 *   32 bits together; docs/scripting.md lists it.
 *
 * The patches replace functions on fengari's module objects, which fengari's own modules call
 * through (`lobject.luaO_tostring(...)`), so they hold for every Lua state in the process. Nothing
 * else in replisim uses fengari.
 */
import { type LuaState, lauxlib, lua, lualib, to_jsstring, to_luastring } from 'fengari';
import lobject from 'fengari/src/lobject.js';
import lstring from 'fengari/src/lstring.js';
import { luaNumberToString } from './number-format.js';

export type { LuaJsFunction, LuaState } from 'fengari';
export { lauxlib, lua, lualib, to_jsstring, to_luastring };

const originalStr2num = lobject.luaO_str2num;

lobject.luaO_tostring = (L, obj) => {
  const text = obj.ttisinteger() ? String(obj.value) : luaNumberToString(obj.value);
  obj.setsvalue(lstring.luaS_bless(L, to_luastring(text)));
};

lobject.luaO_str2num = (s, obj) => {
  const size = originalStr2num(s, obj);
  if (size !== 0 && obj.ttisinteger()) obj.setfltvalue(obj.value);
  return size;
};

/** Pushes bytes as a Lua string (a copy: Lua strings must not share a reusable buffer). */
export function pushBytes(L: LuaState, bytes: Uint8Array): void {
  lua.lua_pushlstring(L, Uint8Array.from(bytes), bytes.length);
}

/** Pushes a JavaScript string as UTF-8 bytes. */
export function pushText(L: LuaState, text: string): void {
  const bytes = to_luastring(text);
  lua.lua_pushlstring(L, bytes, bytes.length);
}

/** The bytes of the string (or number, converted in place as lua_tolstring does) at `index`. */
export function toBytes(L: LuaState, index: number): Buffer | undefined {
  const bytes = lua.lua_tolstring(L, index);
  return bytes === null ? undefined : Buffer.from(bytes);
}

/** A Lua string value as a JavaScript string (latin1: one char per byte, lossless). */
export function toLatin1(L: LuaState, index: number): string | undefined {
  return toBytes(L, index)?.toString('latin1');
}

/** Raises a Lua error whose value is `message` with the caller's position ("user_script:1: "). */
export function raiseError(L: LuaState, message: string): never {
  return lauxlib.luaL_error(L, to_luastring('%s'), to_luastring(message));
}

/** Sets `table[name] = function` for the table on top of the stack. */
export function setFunction(L: LuaState, name: string, fn: (L: LuaState) => number): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** Sets `table[name] = number` for the table on top of the stack. */
export function setNumber(L: LuaState, name: string, value: number): void {
  lua.lua_pushnumber(L, value);
  lua.lua_setfield(L, -2, to_luastring(name));
}

/** Sets `table[name] = string` for the table on top of the stack. */
export function setString(L: LuaState, name: string, value: string): void {
  pushText(L, value);
  lua.lua_setfield(L, -2, to_luastring(name));
}
