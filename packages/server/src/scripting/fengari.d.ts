/**
 * Types for the parts of fengari (a Lua 5.3 VM in plain JavaScript, CommonJS, shipped without
 * types) that the scripting engine uses. Lua strings are byte arrays (Uint8Array); `LuaState` is
 * opaque. Only lua-vm.ts imports these modules; everything else goes through its helpers.
 */
declare module 'fengari' {
  export interface LuaState {
    readonly __fengariLuaState: never;
  }
  export type LuaJsFunction = (L: LuaState) => number;
  export interface LuaDebug {
    currentline: number;
  }
  export type LuaHook = (L: LuaState, ar: LuaDebug) => void;

  export const lua: {
    readonly LUA_TNONE: number;
    readonly LUA_TNIL: number;
    readonly LUA_TBOOLEAN: number;
    readonly LUA_TLIGHTUSERDATA: number;
    readonly LUA_TNUMBER: number;
    readonly LUA_TSTRING: number;
    readonly LUA_TTABLE: number;
    readonly LUA_TFUNCTION: number;
    readonly LUA_TUSERDATA: number;
    readonly LUA_TTHREAD: number;
    readonly LUA_OK: number;
    readonly LUA_YIELD: number;
    readonly LUA_MULTRET: number;
    readonly LUA_REGISTRYINDEX: number;
    readonly LUA_MASKCOUNT: number;
    readonly LUA_MASKLINE: number;
    readonly LUA_OPLT: number;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_pushvalue(L: LuaState, index: number): void;
    lua_insert(L: LuaState, index: number): void;
    lua_remove(L: LuaState, index: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_pushnil(L: LuaState): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushboolean(L: LuaState, b: boolean | number): void;
    lua_pushlstring(L: LuaState, s: Uint8Array, length: number): Uint8Array;
    lua_pushstring(L: LuaState, s: Uint8Array): Uint8Array;
    lua_pushliteral(L: LuaState, s: string): Uint8Array;
    lua_pushjsfunction(L: LuaState, f: LuaJsFunction): void;
    lua_pushjsclosure(L: LuaState, f: LuaJsFunction, n: number): void;
    lua_pushlightuserdata(L: LuaState, p: object): void;
    lua_touserdata(L: LuaState, index: number): unknown;
    lua_pushglobaltable(L: LuaState): void;
    lua_newtable(L: LuaState): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawget(L: LuaState, index: number): number;
    lua_settable(L: LuaState, index: number): void;
    lua_call(L: LuaState, nargs: number, nresults: number): void;
    lua_compare(L: LuaState, a: number, b: number, op: number): boolean;
    lua_typename(L: LuaState, type: number): Uint8Array;
    lua_rawset(L: LuaState, index: number): void;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_rawlen(L: LuaState, index: number): number;
    lua_getfield(L: LuaState, index: number, k: Uint8Array): number;
    lua_setfield(L: LuaState, index: number, k: Uint8Array): void;
    lua_getglobal(L: LuaState, name: Uint8Array): number;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_setmetatable(L: LuaState, index: number): void;
    lua_next(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tonumber(L: LuaState, index: number): number;
    lua_tonumberx(L: LuaState, index: number, isnum: null): number | false;
    lua_tolstring(L: LuaState, index: number): Uint8Array | null;
    lua_isstring(L: LuaState, index: number): boolean;
    lua_isnumber(L: LuaState, index: number): boolean;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_sethook(L: LuaState, f: LuaHook | null, mask: number, count: number): void;
    lua_isyieldable(L: LuaState): boolean;
    /** Inside a count hook it marks the thread to yield and returns; elsewhere it throws. */
    lua_yield(L: LuaState, n: number): number;
    lua_newthread(L: LuaState): LuaState;
    lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
    lua_xmove(from: LuaState, to: LuaState, n: number): void;
    lua_gc(L: LuaState, what: number, data: number): number;
    lua_upvalueindex(i: number): number;
  };

  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: Uint8Array, open: LuaJsFunction, glb: number): void;
    luaL_loadbuffer(L: LuaState, s: Uint8Array, size: number, name: Uint8Array): number;
    luaL_error(L: LuaState, fmt: Uint8Array, ...args: unknown[]): never;
    luaL_checknumber(L: LuaState, arg: number): number;
    luaL_checkinteger(L: LuaState, arg: number): number;
    luaL_checklstring(L: LuaState, arg: number): Uint8Array;
    luaL_optinteger(L: LuaState, arg: number, def: number): number;
    luaL_argerror(L: LuaState, arg: number, message: Uint8Array): never;
    luaL_where(L: LuaState, level: number): void;
    luaL_ref(L: LuaState, t: number): number;
    luaL_unref(L: LuaState, t: number, ref: number): void;
  };

  export const lualib: {
    luaopen_base: LuaJsFunction;
    luaopen_table: LuaJsFunction;
    luaopen_string: LuaJsFunction;
    luaopen_math: LuaJsFunction;
    luaopen_coroutine: LuaJsFunction;
    luaopen_debug: LuaJsFunction;
  };

  export function to_luastring(s: string): Uint8Array;
  export function to_jsstring(s: Uint8Array): string;
}

/** fengari's object module: the number <-> string conversions lua-vm.ts replaces with Lua 5.1's. */
declare module 'fengari/src/lobject.js' {
  export interface TValue {
    ttisinteger(): boolean;
    readonly value: number;
    setsvalue(s: unknown): void;
    setfltvalue(n: number): void;
  }
  const lobject: {
    luaO_tostring: (L: unknown, obj: TValue) => void;
    luaO_str2num: (s: Uint8Array, obj: TValue) => number;
  };
  export default lobject;
}

declare module 'fengari/src/lstring.js' {
  const lstring: {
    luaS_bless: (L: unknown, s: Uint8Array) => unknown;
  };
  export default lstring;
}
