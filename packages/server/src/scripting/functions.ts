/**
 * Redis 7.0 functions (functions.c and function_lua.c): libraries of Lua functions, loaded with
 * FUNCTION LOAD, called with FCALL / FCALL_RO, kept in the RDB and replicated as FUNCTION LOAD.
 *
 * A library's code starts with `#!lua name=<library>`; running it may only call
 * redis.register_function (and redis.log): while it runs, the globals show just the library API,
 * as Redis swaps the globals' __index to LIBRARY_API. Every library lives in one Lua state of
 * its own (not EVAL's); a function is a reference to its callback in that state's registry.
 * Libraries and functions are kept in load order, under their lower-case names (Redis's dicts of
 * libraries and functions compare names case-insensitively); Redis lists them in its dict's
 * order, so FUNCTION LIST's order can differ from Redis's (docs/scripting.md).
 */
import { ErrorReply } from '../commands/types.js';
import { REDIS_VERSION } from '../node.js';
import { pushErrorTable } from './convert.js';
import type { ScriptingEngine } from './engine.js';
import { createSandbox, type Sandbox } from './lua-state.js';
import {
  type LuaState,
  lauxlib,
  lua,
  setFunction,
  setNumber,
  setString,
  to_luastring,
  toLatin1,
} from './lua-vm.js';
import { quoteTokens51, wordRuntimeError51 } from './lua51-text.js';
import { installRedisApi } from './redis-api.js';
import { SCRIPT_FLAG_NAMES, type ScriptFlagName, type ScriptFlags } from './shebang.js';

export interface FunctionInfo {
  readonly name: string;
  readonly description: string | undefined;
  readonly flags: ScriptFlags;
  readonly library: LibraryInfo;
  /** The callback's reference in the functions state's registry. */
  readonly ref: number;
}

export interface LibraryInfo {
  readonly name: string;
  readonly engine: 'LUA';
  /** The whole code, shebang included, as FUNCTION LOAD received it. */
  readonly code: Buffer;
  readonly functions: Map<string, FunctionInfo>;
}

const NAME_PATTERN = /^[A-Za-z0-9_]+$/;
const NAME_ERROR =
  'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

/** The first line of a library: `#!<engine> name=<name>` (functionExtractLibMetaData). */
export function parseLibraryMetadata(
  code: Buffer,
): { engine: string; name: string; shebangBytes: number } | ErrorReply {
  if (code.length < 2 || code[0] !== 0x23 || code[1] !== 0x21) {
    return new ErrorReply('ERR Missing library metadata');
  }
  const end = code.indexOf(0x0a);
  if (end < 0) return new ErrorReply('ERR Invalid library metadata');
  const parts = code
    .subarray(0, end)
    .toString('latin1')
    .split(/[ \t\r]+/)
    .filter((p) => p !== '');
  const first = parts[0];
  if (first === undefined) return new ErrorReply('ERR Invalid library metadata');
  let name: string | undefined;
  for (const part of parts.slice(1)) {
    if (part.startsWith('name=')) {
      name = part.slice(5);
      continue;
    }
    return new ErrorReply(`ERR Invalid metadata value given: ${part}`);
  }
  if (name === undefined) return new ErrorReply('ERR Library name was not given');
  return { engine: first.slice(2), name, shebangBytes: end };
}

/** A function registered while a library loads, before the library is accepted. */
interface PendingFunction {
  readonly name: string;
  readonly description: string | undefined;
  readonly flags: Set<ScriptFlagName>;
  readonly ref: number;
}

export class FunctionsEngine {
  private readonly scripting: ScriptingEngine;
  private state: Sandbox | undefined;
  readonly libraries: Map<string, LibraryInfo> = new Map();
  readonly functions: Map<string, FunctionInfo> = new Map();
  /** Set while FUNCTION LOAD runs a library's code (register_function adds here). */
  private pending: PendingFunction[] | undefined;

  constructor(scripting: ScriptingEngine) {
    this.scripting = scripting;
  }

  private sandbox(): Sandbox {
    if (this.state === undefined) {
      const host = this.scripting.apiHost();
      // At run time redis.register_function is absent (nil), as in Redis.
      this.state = createSandbox((L) => installRedisApi(L, host));
      this.buildLibraryApi(this.state.L);
    }
    return this.state;
  }

  /** The globals a library sees while it loads (LIBRARY_API), kept in the registry. */
  private buildLibraryApi(L: LuaState): void {
    lua.lua_newtable(L);
    lua.lua_newtable(L);
    setFunction(L, 'register_function', (S) => this.registerFunction(S));
    // redis.log and its levels, as in the full API.
    lua.lua_getglobal(L, to_luastring('redis'));
    lua.lua_getfield(L, -1, to_luastring('log'));
    lua.lua_setfield(L, -3, to_luastring('log'));
    lua.lua_pop(L, 1);
    ['LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING'].forEach((name, level) => {
      setNumber(L, name, level);
    });
    setString(L, 'REDIS_VERSION', REDIS_VERSION);
    lua.lua_getglobal(L, to_luastring('redis'));
    lua.lua_getfield(L, -1, to_luastring('REDIS_VERSION_NUM'));
    lua.lua_setfield(L, -3, to_luastring('REDIS_VERSION_NUM'));
    lua.lua_pop(L, 1);
    setErrorMetatable(L);
    lua.lua_setfield(L, -2, to_luastring('redis'));
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_library_api'));
  }

  /**
   * FUNCTION LOAD: checks the metadata, runs the code with the library API, then checks the
   * registered functions. Returns the library name, or Redis's error. Changes nothing on error.
   */
  load(code: Buffer, replace: boolean): string | ErrorReply {
    const meta = parseLibraryMetadata(code);
    if (meta instanceof ErrorReply) return meta;
    if (meta.engine.toLowerCase() !== 'lua') {
      return new ErrorReply(`ERR Engine '${meta.engine}' not found`);
    }
    if (!NAME_PATTERN.test(meta.name)) return new ErrorReply(`ERR ${NAME_ERROR}`);
    const existing = this.libraries.get(meta.name.toLowerCase());
    if (existing !== undefined && !replace) {
      return new ErrorReply(`ERR Library '${meta.name}' already exists`);
    }
    const sandbox = this.sandbox();
    const L = sandbox.L;
    lua.lua_settop(L, 0);
    const body = Uint8Array.from(code.subarray(meta.shebangBytes));
    if (lauxlib.luaL_loadbuffer(L, body, body.length, to_luastring('@user_function')) !== 0) {
      const message = quoteTokens51(toLatin1(L, -1) ?? '');
      lua.lua_settop(L, 0);
      return new ErrorReply(`ERR Error compiling function: ${message}`);
    }
    const pending: PendingFunction[] = [];
    this.pending = pending;
    sandbox.setView(() => {
      lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, to_luastring('__replisim_library_api'));
    });
    let status: number;
    try {
      status = lua.lua_pcall(L, 0, 0, 0);
    } finally {
      this.pending = undefined;
      sandbox.setView(() => lua.lua_pushnil(L));
    }
    const release = () => {
      for (const f of pending) lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, f.ref);
    };
    if (status !== lua.LUA_OK) {
      const message = loadErrorText(L);
      lua.lua_settop(L, 0);
      release();
      return new ErrorReply(`ERR Error registering functions: ${message}`);
    }
    if (pending.length === 0) {
      release();
      return new ErrorReply('ERR No functions registered');
    }
    for (const f of pending) {
      const owner = this.functions.get(f.name.toLowerCase());
      if (owner !== undefined && owner !== existing?.functions.get(f.name.toLowerCase())) {
        release();
        return new ErrorReply(`ERR Function ${f.name} already exists`);
      }
    }
    if (existing !== undefined) this.removeLibrary(existing);
    const library: LibraryInfo = {
      name: meta.name,
      engine: 'LUA',
      code: Buffer.from(code),
      functions: new Map(),
    };
    for (const f of pending) {
      const info: FunctionInfo = {
        name: f.name,
        description: f.description,
        flags: { names: f.flags, compat: false },
        library,
        ref: f.ref,
      };
      library.functions.set(f.name.toLowerCase(), info);
      this.functions.set(f.name.toLowerCase(), info);
    }
    this.libraries.set(meta.name.toLowerCase(), library);
    return meta.name;
  }

  /** FUNCTION DELETE's work, and REPLACE's removal of the old library. */
  removeLibrary(library: LibraryInfo): void {
    const L = this.sandbox().L;
    for (const f of library.functions.values()) {
      this.functions.delete(f.name.toLowerCase());
      lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, f.ref);
    }
    this.libraries.delete(library.name.toLowerCase());
  }

  /** FUNCTION FLUSH: no libraries, and a fresh Lua state. */
  flush(): void {
    this.libraries.clear();
    this.functions.clear();
    this.state = undefined;
  }

  /**
   * FUNCTION RESTORE (and loading an RDB): the libraries of `codes` joined to the current ones by
   * `policy` (FLUSH: instead of them; APPEND: a library name already loaded is an error;
   * REPLACE: same-named libraries are replaced). All or nothing: on any error the libraries are
   * as before and the error is returned.
   */
  restore(
    codes: readonly Buffer[],
    policy: 'FLUSH' | 'APPEND' | 'REPLACE',
  ): ErrorReply | undefined {
    const before = [...this.libraries.values()].map((library) => library.code);
    const incoming = new Set<string>();
    for (const code of codes) {
      const meta = parseLibraryMetadata(code);
      if (meta instanceof ErrorReply) return meta;
      if (policy === 'APPEND' && this.libraries.has(meta.name.toLowerCase())) {
        return new ErrorReply(`ERR Library ${meta.name} already exists`);
      }
      incoming.add(meta.name.toLowerCase());
    }
    const kept =
      policy === 'FLUSH'
        ? []
        : [...this.libraries.values()]
            .filter((library) => !incoming.has(library.name.toLowerCase()))
            .map((library) => library.code);
    this.flush();
    for (const code of [...kept, ...codes]) {
      const loaded = this.load(code, false);
      if (loaded instanceof ErrorReply) {
        this.flush();
        for (const old of before) this.load(old, false);
        return loaded;
      }
    }
    return undefined;
  }

  /** FCALL / FCALL_RO of a known function. Writes the reply or returns the error. */
  call(
    argv: readonly Buffer[],
    info: FunctionInfo,
    caller: Parameters<ScriptingEngine['runLua']>[1]['caller'],
    nowMs: number,
    keys: readonly Buffer[],
    args: readonly Buffer[],
    roCommand: boolean,
  ): ErrorReply | undefined {
    const L = this.sandbox().L;
    return this.scripting.runLua(L, {
      caller,
      nowMs,
      name: info.name,
      flags: info.flags,
      roCommand,
      isEval: false,
      argv,
      pushArgs: (S) => {
        lua.lua_rawgeti(S, lua.LUA_REGISTRYINDEX, info.ref);
        pushStrings(S, keys);
        pushStrings(S, args);
        return 2;
      },
    });
  }

  /** redis.register_function(name, callback) or redis.register_function{...}. */
  private registerFunction(L: LuaState): number {
    const pending = this.pending;
    if (pending === undefined) {
      pushErrorTable(L, 'redis.register_function can only be called on FUNCTION LOAD command');
      return lua.lua_error(L);
    }
    const parsed = readRegisterArgs(L);
    if (typeof parsed === 'string') {
      pushErrorTable(L, parsed);
      return lua.lua_error(L);
    }
    if (!NAME_PATTERN.test(parsed.name)) {
      lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, parsed.ref);
      pushErrorTable(L, NAME_ERROR);
      return lua.lua_error(L);
    }
    if (pending.some((f) => f.name.toLowerCase() === parsed.name.toLowerCase())) {
      lauxlib.luaL_unref(L, lua.LUA_REGISTRYINDEX, parsed.ref);
      pushErrorTable(L, 'Function already exists in the library');
      return lua.lua_error(L);
    }
    pending.push(parsed);
    return 0;
  }
}

/** Reads register_function's arguments; takes a registry reference to the callback. */
function readRegisterArgs(L: LuaState): PendingFunction | string {
  const argc = lua.lua_gettop(L);
  if (argc < 1 || argc > 2) return 'wrong number of arguments to redis.register_function';
  if (argc === 1) {
    if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
      return 'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).';
    }
    return readNamedArgs(L);
  }
  if (!lua.lua_isstring(L, 1)) {
    return 'first argument to redis.register_function must be a string';
  }
  if (lua.lua_type(L, 2) !== lua.LUA_TFUNCTION) {
    return 'second argument to redis.register_function must be a function';
  }
  const name = toLatin1(L, 1) ?? '';
  lua.lua_pushvalue(L, 2);
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  return { name, description: undefined, flags: new Set(), ref };
}

function readNamedArgs(L: LuaState): PendingFunction | string {
  let name: string | undefined;
  let description: string | undefined;
  let hasCallback = false;
  const flags = new Set<ScriptFlagName>();
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 1) !== 0) {
    if (!lua.lua_isstring(L, -2)) {
      return 'named argument key given to redis.register_function is not a string';
    }
    // A copy: converting a numeric key in place would break lua_next.
    lua.lua_pushvalue(L, -2);
    const key = toLatin1(L, -1)?.toLowerCase();
    lua.lua_pop(L, 1);
    const type = lua.lua_type(L, -1);
    const isString = lua.lua_isstring(L, -1);
    if (key === 'function_name') {
      if (!isString) {
        return 'function_name argument given to redis.register_function must be a string';
      }
      name = toLatin1(L, -1);
    } else if (key === 'description') {
      if (!isString) {
        return 'description argument given to redis.register_function must be a string';
      }
      description = toLatin1(L, -1);
    } else if (key === 'callback') {
      if (type !== lua.LUA_TFUNCTION) {
        return 'callback argument given to redis.register_function must be a function';
      }
      hasCallback = true;
    } else if (key === 'flags') {
      if (type !== lua.LUA_TTABLE) {
        return 'flags argument to redis.register_function must be a table representing function flags';
      }
      for (let i = 1; ; i++) {
        const t = lua.lua_rawgeti(L, -1, i);
        if (t === lua.LUA_TNIL) {
          lua.lua_pop(L, 1);
          break;
        }
        const flag = t === lua.LUA_TSTRING ? toLatin1(L, -1) : undefined;
        lua.lua_pop(L, 1);
        if (flag === undefined || !(SCRIPT_FLAG_NAMES as readonly string[]).includes(flag)) {
          return 'unknown flag given';
        }
        flags.add(flag as ScriptFlagName);
      }
    } else {
      return 'unknown argument given to redis.register_function';
    }
    lua.lua_pop(L, 1);
  }
  if (name === undefined) return 'redis.register_function must get a function name argument';
  if (!hasCallback) return 'redis.register_function must get a callback argument';
  lua.lua_getfield(L, 1, to_luastring('callback'));
  const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  return { name, description, flags, ref };
}

/** The error of a library's code (luaExtractErrorInformation's msg). */
function loadErrorText(L: LuaState): string {
  if (lua.lua_type(L, -1) === lua.LUA_TSTRING) {
    return `ERR ${wordRuntimeError51(toLatin1(L, -1) ?? '')}`;
  }
  if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
    lua.lua_getfield(L, -1, to_luastring('err'));
    const text = lua.lua_isstring(L, -1) ? (toLatin1(L, -1) ?? '') : '';
    lua.lua_pop(L, 1);
    return text;
  }
  return '';
}

/** A table whose missing fields raise the nonexistent-global error (luaSetErrorMetatable). */
function setErrorMetatable(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, '__index', (S) => {
    const name = toLatin1(S, 2) ?? '';
    lauxlib.luaL_error(
      S,
      to_luastring("Script attempted to access nonexistent global variable '%s'"),
      to_luastring(name),
    );
    return 0;
  });
  lua.lua_setmetatable(L, -2);
}

function pushStrings(L: LuaState, items: readonly Buffer[]): void {
  lua.lua_createtable(L, items.length, 0);
  items.forEach((item, i) => {
    lua.lua_pushlstring(L, Uint8Array.from(item), item.length);
    lua.lua_rawseti(L, -2, i + 1);
  });
}
