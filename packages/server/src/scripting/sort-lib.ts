/**
 * table.sort as Lua 5.1 implements it (ltablib.c's auxsort), replacing fengari's. Two reasons:
 * Lua 5.3's sort picks a random pivot for large arrays (fengari draws it from Math.random), which
 * would make a script's result depend on chance in the simulator; and with a comparator that
 * calls elements equal, or an inconsistent one, only the same algorithm puts them in the same
 * order as Redis does. Errors come from here as from C: "invalid order function for sorting"
 * with the script's position, and comparison errors without one.
 */
import { type LuaState, lauxlib, lua, to_jsstring, to_luastring } from './lua-vm.js';

/** sort_comp: the comparator's verdict on the values at stack indexes a and b (a < b?). */
function less(L: LuaState, a: number, b: number): boolean {
  if (lua.lua_type(L, 2) !== lua.LUA_TNIL) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushvalue(L, a - 1);
    lua.lua_pushvalue(L, b - 2);
    lua.lua_call(L, 2, 1);
    const result = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    return result;
  }
  return lua.lua_compare(L, a, b, lua.LUA_OPLT);
}

/** set2: t[i] = top, t[j] = the value below it; pops both. */
function set2(L: LuaState, i: number, j: number): void {
  lua.lua_rawseti(L, 1, i);
  lua.lua_rawseti(L, 1, j);
}

function orderError(L: LuaState): never {
  return lauxlib.luaL_error(L, to_luastring('invalid order function for sorting'));
}

function auxsort(L: LuaState, lo: number, up: number): void {
  let l = lo;
  let u = up;
  while (l < u) {
    lua.lua_rawgeti(L, 1, l);
    lua.lua_rawgeti(L, 1, u);
    if (less(L, -1, -2)) set2(L, l, u);
    else lua.lua_pop(L, 2);
    if (u - l === 1) break;
    let i = Math.floor((l + u) / 2);
    lua.lua_rawgeti(L, 1, i);
    lua.lua_rawgeti(L, 1, l);
    if (less(L, -2, -1)) set2(L, i, l);
    else {
      lua.lua_pop(L, 1);
      lua.lua_rawgeti(L, 1, u);
      if (less(L, -1, -2)) set2(L, i, u);
      else lua.lua_pop(L, 2);
    }
    if (u - l === 2) break;
    lua.lua_rawgeti(L, 1, i);
    lua.lua_pushvalue(L, -1);
    lua.lua_rawgeti(L, 1, u - 1);
    set2(L, i, u - 1);
    i = l;
    let j = u - 1;
    for (;;) {
      for (;;) {
        lua.lua_rawgeti(L, 1, ++i);
        if (!less(L, -1, -2)) break;
        if (i > u) orderError(L);
        lua.lua_pop(L, 1);
      }
      for (;;) {
        lua.lua_rawgeti(L, 1, --j);
        if (!less(L, -3, -1)) break;
        if (j < l) orderError(L);
        lua.lua_pop(L, 1);
      }
      if (j < i) {
        lua.lua_pop(L, 3);
        break;
      }
      set2(L, i, j);
    }
    lua.lua_rawgeti(L, 1, u - 1);
    lua.lua_rawgeti(L, 1, i);
    set2(L, u - 1, i);
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    auxsort(L, j, i);
  }
}

function sort(L: LuaState): number {
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
    const got =
      lua.lua_type(L, 1) === lua.LUA_TNONE
        ? 'no value'
        : to_jsstring(lua.lua_typename(L, lua.lua_type(L, 1)));
    return lauxlib.luaL_argerror(L, 1, to_luastring(`table expected, got ${got}`));
  }
  const n = lua.lua_rawlen(L, 1);
  if (lua.lua_type(L, 2) > lua.LUA_TNIL && lua.lua_type(L, 2) !== lua.LUA_TFUNCTION) {
    const got = to_jsstring(lua.lua_typename(L, lua.lua_type(L, 2)));
    return lauxlib.luaL_argerror(L, 2, to_luastring(`function expected, got ${got}`));
  }
  lua.lua_settop(L, 2);
  lua.lua_checkstack(L, 40);
  auxsort(L, 1, n);
  return 0;
}

/** Replaces table.sort on L (before the tables are locked). */
export function installSort(L: LuaState): void {
  lua.lua_getglobal(L, to_luastring('table'));
  lua.lua_pushjsfunction(L, sort);
  lua.lua_setfield(L, -2, to_luastring('sort'));
  lua.lua_pop(L, 1);
}
