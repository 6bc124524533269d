/**
 * The two conversions between Redis replies and Lua values, as script_lua.c defines them.
 *
 * Reply -> Lua (what redis.call returns): integer -> number, bulk -> string, RESP2 null -> false,
 * RESP3 null -> nil, status -> {ok=...}, error -> {err=...}, array -> table, and with
 * redis.setresp(3): map -> {map={...}}, set -> {set={k=true}}, boolean -> boolean,
 * double -> {double=n}, big number -> {big_number=s}, verbatim -> {verbatim_string={...}};
 * attributes are dropped.
 *
 * Lua -> reply (what a script returns): string -> bulk, number -> integer (truncated, as a C cast;
 * out of range -> INT64_MIN as on x86), boolean -> 1 / null in RESP2 scripts, true/false in
 * RESP3 ones, table with `err` -> error, `ok` -> status, `double`, `big_number`,
 * `verbatim_string`, `map`, `set`, else an array that stops at the first nil; anything else
 * (nil, functions...) -> null.
 */
import type { ReplyWriter, RespValue } from '@replisim/protocol';
import {
  type LuaState,
  lua,
  pushBytes,
  pushText,
  to_luastring,
  toBytes,
  toLatin1,
} from './lua-vm.js';

/** Nesting a reply conversion follows before it answers `reached lua stack limit` (cycles). */
export const REPLY_DEPTH_MAX = 1000;

/** The text of an error as redis.pcall sees it: the code, a space, the message, no CRLF. */
export function errorTableText(raw: string): string {
  // luaPushErrorBuff: "-CODE msg" keeps its code; a text without '-' gets "ERR ".
  let code = 'ERR';
  let message = raw;
  if (raw.startsWith('-')) {
    const space = raw.indexOf(' ');
    if (space < 0) message = raw.slice(1);
    else {
      code = raw.slice(1, space);
      message = raw.slice(space + 1);
    }
  }
  message = message.replace(/^[\r\n]+|[\r\n]+$/g, '');
  return `${code} ${message}`;
}

/** Pushes `{err=<text>}` (luaPushError); `ignoreStats` marks errors already counted. */
export function pushErrorTable(L: LuaState, raw: string, ignoreStats = false): void {
  lua.lua_newtable(L);
  pushText(L, errorTableText(raw));
  lua.lua_setfield(L, -2, to_luastring('err'));
  if (ignoreStats) {
    lua.lua_pushboolean(L, true);
    lua.lua_setfield(L, -2, to_luastring('ignore_error_stats_update'));
  }
}

function pushOneField(L: LuaState, field: string, push: () => void): void {
  lua.lua_newtable(L);
  push();
  lua.lua_setfield(L, -2, to_luastring(field));
}

/** Pushes the Lua form of a reply the script's client received in protocol `resp`. */
export function pushReply(L: LuaState, value: RespValue, resp: 2 | 3): void {
  lua.lua_checkstack(L, 4);
  switch (value.kind) {
    case 'integer':
      lua.lua_pushnumber(L, Number(value.value));
      return;
    case 'bulk':
      pushBytes(L, value.value);
      return;
    case 'null':
      if (resp === 2) lua.lua_pushboolean(L, false);
      else lua.lua_pushnil(L);
      return;
    case 'simple':
      pushOneField(L, 'ok', () => pushText(L, value.value));
      return;
    case 'error':
      pushErrorTable(L, `-${value.value}`, true);
      return;
    case 'blobError':
      pushErrorTable(L, `-${value.value.toString('latin1')}`, true);
      return;
    case 'array':
    case 'push': {
      lua.lua_newtable(L);
      value.items.forEach((item, i) => {
        pushReply(L, item, resp);
        lua.lua_rawseti(L, -2, i + 1);
      });
      return;
    }
    case 'map':
      pushOneField(L, 'map', () => {
        lua.lua_newtable(L);
        for (const [k, v] of value.entries) {
          pushReply(L, k, resp);
          pushReply(L, v, resp);
          lua.lua_rawset(L, -3);
        }
      });
      return;
    case 'set':
      pushOneField(L, 'set', () => {
        lua.lua_newtable(L);
        for (const item of value.items) {
          pushReply(L, item, resp);
          lua.lua_pushboolean(L, true);
          lua.lua_rawset(L, -3);
        }
      });
      return;
    case 'boolean':
      lua.lua_pushboolean(L, value.value);
      return;
    case 'double':
      pushOneField(L, 'double', () => lua.lua_pushnumber(L, value.value));
      return;
    case 'bignum':
      pushOneField(L, 'big_number', () => pushText(L, value.value.toString()));
      return;
    case 'verbatim':
      pushOneField(L, 'verbatim_string', () => {
        lua.lua_newtable(L);
        pushBytes(L, value.value);
        lua.lua_setfield(L, -2, to_luastring('string'));
        pushText(L, value.format);
        lua.lua_setfield(L, -2, to_luastring('format'));
      });
      return;
    case 'attribute':
      pushReply(L, value.value, resp);
      return;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_LIMIT = 2 ** 63;

/** `(long long)d` on x86-64: truncation, and INT64_MIN for NaN or out of range. */
export function truncateToInt64(d: number): bigint | number {
  if (Number.isNaN(d) || d >= INT64_LIMIT || d < -INT64_LIMIT) return INT64_MIN;
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Reads field `name` of the table at `index` (raw) and leaves it on the stack; returns its type. */
function rawField(L: LuaState, index: number, name: string): number {
  pushText(L, name);
  return lua.lua_rawget(L, index < 0 ? index - 1 : index);
}

/**
 * Writes the value on top of the stack as a reply and pops it (luaReplyToRedisReply). `onError`
 * receives each error written (the caller counts it); `scriptResp` is the script's setresp.
 */
export function writeLuaReply(
  L: LuaState,
  reply: ReplyWriter,
  scriptResp: 2 | 3,
  onError: (message: string) => void,
  depth = 0,
): void {
  if (depth >= REPLY_DEPTH_MAX) {
    onError('ERR reached lua stack limit');
    reply.error('ERR reached lua stack limit');
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_checkstack(L, 6);
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TSTRING) {
    reply.bulk(toBytes(L, -1) ?? Buffer.alloc(0));
  } else if (type === lua.LUA_TBOOLEAN) {
    const b = lua.lua_toboolean(L, -1);
    if (scriptResp === 2) {
      if (b) reply.integer(1);
      else reply.nullBulk();
    } else reply.boolean(b);
  } else if (type === lua.LUA_TNUMBER) {
    reply.integer(truncateToInt64(lua.lua_tonumber(L, -1)));
  } else if (type === lua.LUA_TTABLE) {
    writeTable(L, reply, scriptResp, onError, depth);
  } else {
    reply.nullBulk();
  }
  lua.lua_pop(L, 1);
}

/** The table cases of writeLuaReply; leaves the table on the stack. */
function writeTable(
  L: LuaState,
  reply: ReplyWriter,
  scriptResp: 2 | 3,
  onError: (message: string) => void,
  depth: number,
): void {
  if (rawField(L, -1, 'err') === lua.LUA_TSTRING) {
    lua.lua_pop(L, 1);
    const message = errorMessageOf(L, -1);
    onError(message);
    reply.error(message);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'ok') === lua.LUA_TSTRING) {
    const text = (toLatin1(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    lua.lua_pop(L, 1);
    reply.simple(text);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'double') === lua.LUA_TNUMBER) {
    const d = lua.lua_tonumber(L, -1);
    lua.lua_pop(L, 1);
    reply.double(d);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'big_number') === lua.LUA_TSTRING) {
    const digits = (toLatin1(L, -1) ?? '').replace(/[\r\n]/g, ' ');
    lua.lua_pop(L, 1);
    reply.bigNumber(digits);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'verbatim_string') === lua.LUA_TTABLE) {
    const format = rawField(L, -1, 'format') === lua.LUA_TSTRING ? toLatin1(L, -1) : undefined;
    lua.lua_pop(L, 1);
    const text = rawField(L, -1, 'string') === lua.LUA_TSTRING ? toLatin1(L, -1) : undefined;
    lua.lua_pop(L, 1);
    if (format !== undefined && text !== undefined) {
      lua.lua_pop(L, 1);
      reply.verbatim(text, format.slice(0, 3));
      return;
    }
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'map') === lua.LUA_TTABLE) {
    let pairs = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      pairs++;
      lua.lua_pop(L, 1);
    }
    reply.mapHeader(pairs);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      // Stack: map, key, value. Write a copy of the key, then the value; the key stays for next.
      lua.lua_pushvalue(L, -2);
      writeLuaReply(L, reply, scriptResp, onError, depth + 1);
      writeLuaReply(L, reply, scriptResp, onError, depth + 1);
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  if (rawField(L, -1, 'set') === lua.LUA_TTABLE) {
    let members = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      members++;
      lua.lua_pop(L, 1);
    }
    reply.setHeader(members);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      writeLuaReply(L, reply, scriptResp, onError, depth + 1);
    }
    lua.lua_pop(L, 1);
    return;
  }
  lua.lua_pop(L, 1);
  // An array: elements 1, 2, ... up to the first nil.
  let length = 0;
  for (;;) {
    const t = lua.lua_rawgeti(L, -1, length + 1);
    lua.lua_pop(L, 1);
    if (t === lua.LUA_TNIL) break;
    length++;
  }
  reply.arrayHeader(length);
  for (let i = 1; i <= length; i++) {
    lua.lua_rawgeti(L, -1, i);
    writeLuaReply(L, reply, scriptResp, onError, depth + 1);
  }
}

/** An `{err=...}` table's reply text (luaExtractErrorInformation's msg). */
export function errorMessageOf(L: LuaState, index: number): string {
  rawField(L, index, 'err');
  const text = toLatin1(L, -1) ?? '';
  lua.lua_pop(L, 1);
  return text;
}
