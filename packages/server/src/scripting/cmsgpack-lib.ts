/**
 * `cmsgpack`, lua-cmsgpack 0.4.0 as Redis bundles it, in JavaScript: pack(...), unpack(s),
 * unpack_one(s, offset), unpack_limit(s, limit, offset) and the _NAME/_VERSION/_COPYRIGHT/
 * _DESCRIPTION strings, byte for byte as lua-cmsgpack encodes: a number equal to an int64 as the
 * smallest integer form, other numbers as float32 when that is exact, else float64 (NaN as x86's
 * default NaN); strings as fixstr/str8/16/32; a table whose keys are exactly 1..n as an array,
 * otherwise as a map (in the table's iteration order, fengari's); tables nested 16 deep as nil.
 */
import {
  type LuaState,
  lauxlib,
  lua,
  pushBytes,
  raiseError,
  setFunction,
  setString,
  to_luastring,
  toBytes,
} from './lua-vm.js';

/** LUACMSGPACK_MAX_NESTING: deeper tables encode as nil. */
const NESTING_MAX = 16;

class Packer {
  private readonly parts: Buffer[] = [];

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(...values: number[]): void {
    this.parts.push(Buffer.from(values));
  }

  private withHeader(type: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
    const b = Buffer.alloc(1 + size);
    b[0] = type;
    if (size === 1) b.writeUInt8(Number(value) & 0xff, 1);
    else if (size === 2) b.writeUInt16BE(Number(value) & 0xffff, 1);
    else if (size === 4) b.writeUInt32BE(Number(BigInt.asUintN(32, BigInt(value))), 1);
    else b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(value)), 1);
    this.parts.push(b);
  }

  int(n: bigint): void {
    if (n >= 0n) {
      if (n <= 127n) this.push(Number(n));
      else if (n <= 0xffn) this.withHeader(0xcc, 1, n);
      else if (n <= 0xffffn) this.withHeader(0xcd, 2, n);
      else if (n <= 0xffffffffn) this.withHeader(0xce, 4, n);
      else this.withHeader(0xcf, 8, n);
    } else if (n >= -32n) this.push(Number(n) & 0xff);
    else if (n >= -128n) this.withHeader(0xd0, 1, n);
    else if (n >= -32768n) this.withHeader(0xd1, 2, n);
    else if (n >= -2147483648n) this.withHeader(0xd2, 4, n);
    else this.withHeader(0xd3, 8, n);
  }

  double(d: number): void {
    if (Number.isNaN(d)) {
      this.push(0xcb, 0xff, 0xf8, 0, 0, 0, 0, 0, 0);
      return;
    }
    if (Math.fround(d) === d || Number.isNaN(Math.fround(d))) {
      const b = Buffer.alloc(5);
      b[0] = 0xca;
      b.writeFloatBE(d, 1);
      this.parts.push(b);
      return;
    }
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(d, 1);
    this.parts.push(b);
  }

  string(s: Buffer): void {
    const len = s.length;
    if (len < 32) this.push(0xa0 | len);
    else if (len <= 0xff) this.withHeader(0xd9, 1, len);
    else if (len <= 0xffff) this.withHeader(0xda, 2, len);
    else this.withHeader(0xdb, 4, len);
    this.parts.push(Buffer.from(s));
  }

  header(fixBase: number, fixMax: number, type16: number, n: number): void {
    if (n <= fixMax) this.push(fixBase | n);
    else if (n <= 0xffff) this.withHeader(type16, 2, n);
    else this.withHeader(type16 + 1, 4, n);
  }

  raw(...values: number[]): void {
    this.push(...values);
  }
}

const INT64_LIMIT = 2 ** 63;

function encodeValue(L: LuaState, p: Packer, level: number): void {
  let type = lua.lua_type(L, -1);
  if (type === lua.LUA_TTABLE && level === NESTING_MAX) type = lua.LUA_TNIL;
  if (type === lua.LUA_TSTRING) p.string(toBytes(L, -1) ?? Buffer.alloc(0));
  else if (type === lua.LUA_TBOOLEAN) p.raw(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
  else if (type === lua.LUA_TNUMBER) {
    const n = lua.lua_tonumber(L, -1);
    // IS_INT64_EQUIVALENT: finite and equal to its int64 cast.
    if (Number.isFinite(n) && Math.trunc(n) === n && n >= -INT64_LIMIT && n < INT64_LIMIT) {
      p.int(BigInt(n));
    } else p.double(n);
  } else if (type === lua.LUA_TTABLE) encodeTable(L, p, level);
  else p.raw(0xc0);
}

/** table_is_an_array: every key a positive integer and the largest equal to their count. */
function isArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    const n = lua.lua_type(L, -1) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : 0;
    if (n <= 0 || Math.trunc(n) !== n) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  return max === count;
}

function encodeTable(L: LuaState, p: Packer, level: number): void {
  lua.lua_checkstack(L, 4);
  if (isArray(L)) {
    const length = lua.lua_rawlen(L, -1);
    p.header(0x90, 15, 0xdc, length);
    for (let j = 1; j <= length; j++) {
      lua.lua_rawgeti(L, -1, j);
      encodeValue(L, p, level + 1);
      lua.lua_pop(L, 1);
    }
    return;
  }
  let pairs = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    pairs++;
  }
  p.header(0x80, 15, 0xde, pairs);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pushvalue(L, -2);
    encodeValue(L, p, level + 1);
    lua.lua_pop(L, 1);
    encodeValue(L, p, level + 1);
    lua.lua_pop(L, 1);
  }
}

class MissingBytes extends Error {}
class BadFormat extends Error {}

class Cursor {
  pos: number;
  readonly data: Buffer;
  constructor(data: Buffer, start: number) {
    this.data = data;
    this.pos = start;
  }
  take(n: number): Buffer {
    if (this.pos + n > this.data.length) throw new MissingBytes();
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function decodeValue(L: LuaState, c: Cursor): void {
  lua.lua_checkstack(L, 3);
  const t = c.take(1)[0] ?? 0;
  const num = (n: number | bigint) => lua.lua_pushnumber(L, Number(n));
  switch (t) {
    case 0xcc:
      num(c.take(1).readUInt8(0));
      return;
    case 0xcd:
      num(c.take(2).readUInt16BE(0));
      return;
    case 0xce:
      num(c.take(4).readUInt32BE(0));
      return;
    case 0xcf:
      num(c.take(8).readBigUInt64BE(0));
      return;
    case 0xd0:
      num(c.take(1).readInt8(0));
      return;
    case 0xd1:
      num(c.take(2).readInt16BE(0));
      return;
    case 0xd2:
      num(c.take(4).readInt32BE(0));
      return;
    case 0xd3:
      num(c.take(8).readBigInt64BE(0));
      return;
    case 0xc0:
      lua.lua_pushnil(L);
      return;
    case 0xc3:
      lua.lua_pushboolean(L, true);
      return;
    case 0xc2:
      lua.lua_pushboolean(L, false);
      return;
    case 0xca:
      num(c.take(4).readFloatBE(0));
      return;
    case 0xcb:
      num(c.take(8).readDoubleBE(0));
      return;
    case 0xd9:
      pushBytes(L, c.take(c.take(1).readUInt8(0)));
      return;
    case 0xda:
      pushBytes(L, c.take(c.take(2).readUInt16BE(0)));
      return;
    case 0xdb:
      pushBytes(L, c.take(c.take(4).readUInt32BE(0)));
      return;
    case 0xdc:
      decodeArray(L, c, c.take(2).readUInt16BE(0));
      return;
    case 0xdd:
      decodeArray(L, c, c.take(4).readUInt32BE(0));
      return;
    case 0xde:
      decodeMap(L, c, c.take(2).readUInt16BE(0));
      return;
    case 0xdf:
      decodeMap(L, c, c.take(4).readUInt32BE(0));
      return;
  }
  if (t <= 0x7f) {
    num(t);
    return;
  }
  if (t >= 0xe0) {
    num(t - 0x100);
    return;
  }
  if ((t & 0xe0) === 0xa0) {
    pushBytes(L, c.take(t & 0x1f));
    return;
  }
  if ((t & 0xf0) === 0x90) {
    decodeArray(L, c, t & 0x0f);
    return;
  }
  if ((t & 0xf0) === 0x80) {
    decodeMap(L, c, t & 0x0f);
    return;
  }
  throw new BadFormat();
}

function decodeArray(L: LuaState, c: Cursor, n: number): void {
  lua.lua_newtable(L);
  for (let i = 1; i <= n; i++) {
    decodeValue(L, c);
    lua.lua_rawseti(L, -2, i);
  }
}

function decodeMap(L: LuaState, c: Cursor, n: number): void {
  lua.lua_newtable(L);
  for (let i = 0; i < n; i++) {
    decodeValue(L, c);
    decodeValue(L, c);
    lua.lua_settable(L, -3);
  }
}

/** mp_unpack_full: up to `limit` values (0: all) from `offset`; `withOffset` adds the next offset. */
function unpack(L: LuaState, limit: number, offset: number, withOffset: boolean): number {
  const data = toBytes(L, 1);
  if (data === undefined) return lauxlib.luaL_argerror(L, 1, to_luastring('string expected'));
  if (offset < 0 || limit < 0) {
    return raiseError(
      L,
      `Invalid request to unpack with offset of ${offset} and limit of ${data.length}.`,
    );
  }
  if (offset > data.length) {
    return raiseError(L, `Start offset ${offset} greater than input length ${data.length}.`);
  }
  lua.lua_settop(L, 0);
  const c = new Cursor(data, offset);
  let count = 0;
  try {
    while (c.pos < data.length && (limit === 0 || count < limit)) {
      decodeValue(L, c);
      count++;
    }
  } catch (error) {
    if (error instanceof MissingBytes) return raiseError(L, 'Missing bytes in input.');
    if (error instanceof BadFormat) return raiseError(L, 'Bad data format in input.');
    throw error;
  }
  if (!withOffset) return count;
  lua.lua_pushnumber(L, c.pos >= data.length ? -1 : c.pos);
  lua.lua_insert(L, 1);
  return count + 1;
}

/** Opens `cmsgpack` as a global table on L. */
export function openCmsgpack(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'pack', (S) => {
    const argc = lua.lua_gettop(S);
    if (argc === 0) lauxlib.luaL_argerror(S, 0, to_luastring('MessagePack pack needs input.'));
    const p = new Packer();
    for (let i = 1; i <= argc; i++) {
      lua.lua_pushvalue(S, i);
      encodeValue(S, p, 0);
      lua.lua_pop(S, 1);
    }
    pushBytes(S, p.bytes());
    return 1;
  });
  setFunction(L, 'unpack', (S) => unpack(S, 0, 0, false));
  setFunction(L, 'unpack_one', (S) => {
    const offset = Math.trunc(lauxlib.luaL_optinteger(S, 2, 0));
    return unpack(S, 1, offset, true);
  });
  setFunction(L, 'unpack_limit', (S) => {
    const limit = Math.trunc(lauxlib.luaL_optinteger(S, 2, 0));
    const offset = Math.trunc(lauxlib.luaL_optinteger(S, 3, 0));
    return unpack(S, limit, offset, true);
  });
  setString(L, '_NAME', 'cmsgpack');
  setString(L, '_VERSION', 'lua-cmsgpack 0.4.0');
  setString(L, '_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo');
  setString(L, '_DESCRIPTION', 'MessagePack C implementation for Lua');
  lua.lua_setglobal(L, to_luastring('cmsgpack'));
}
