/**
 * `cjson`, lua-cjson 2.1.0 as Redis bundles it, written in JavaScript against the Lua API:
 * cjson.encode, cjson.decode, cjson.null, _NAME and _VERSION, with lua-cjson's default
 * configuration and its error texts (raised with the script's position, as luaL_error does).
 *
 * Encoding: numbers as `%.14g` (NaN and infinities refused), strings with lua-cjson's escapes
 * (`/` too, control characters and DEL as \u00XX, other bytes as they are), a table as an array
 * when every key is an integer >= 1 (holes become null; more than twice as many slots as
 * elements, past 10, is "excessively sparse") and otherwise as an object whose keys must be
 * strings or numbers, nesting up to 1000. Object members come in the table's iteration order,
 * which is fengari's, not Redis's hash order. Decoding: JSON to Lua (null -> cjson.null), with
 * lua-cjson's "Expected ... but found ... at character N" errors. The configuration functions
 * (encode_max_depth, encode_sparse_array, ...) are not provided.
 */
import {
  type LuaState,
  lua,
  pushBytes,
  raiseError,
  setFunction,
  setString,
  to_luastring,
  toBytes,
} from './lua-vm.js';
import { formatG } from './number-format.js';

/** lua-cjson's defaults: encode/decode_max_depth, encode_sparse_ratio and _safe. */
const DEPTH_MAX = 1000;
const SPARSE_RATIO = 2;
const SPARSE_SAFE = 10;

/** cjson.null: a light userdata no script can make otherwise. */
const NULL_MARK = Object.freeze({ cjsonNull: true });

const TYPE_NAMES: Readonly<Record<number, string>> = {
  [lua.LUA_TNIL]: 'nil',
  [lua.LUA_TBOOLEAN]: 'boolean',
  [lua.LUA_TLIGHTUSERDATA]: 'userdata',
  [lua.LUA_TNUMBER]: 'number',
  [lua.LUA_TSTRING]: 'string',
  [lua.LUA_TTABLE]: 'table',
  [lua.LUA_TFUNCTION]: 'function',
  [lua.LUA_TUSERDATA]: 'userdata',
  [lua.LUA_TTHREAD]: 'thread',
};

function escapeString(bytes: Buffer, out: string[]): void {
  let text = '"';
  for (const byte of bytes) {
    if (byte === 0x22) text += '\\"';
    else if (byte === 0x5c) text += '\\\\';
    else if (byte === 0x2f) text += '\\/';
    else if (byte === 0x08) text += '\\b';
    else if (byte === 0x0c) text += '\\f';
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x0d) text += '\\r';
    else if (byte === 0x09) text += '\\t';
    else if (byte < 0x20 || byte === 0x7f) text += `\\u${byte.toString(16).padStart(4, '0')}`;
    else text += String.fromCharCode(byte);
  }
  out.push(`${text}"`);
}

/** lua_array_length: the array size, or -1 for an object. */
function arrayLength(L: LuaState): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.lua_pop(L, 1);
        continue;
      }
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (max > items * SPARSE_RATIO && max > SPARSE_SAFE) {
    raiseError(L, 'Cannot serialise table: excessively sparse array');
  }
  return max;
}

function encodeValue(L: LuaState, out: string[], depth: number): void {
  const type = lua.lua_type(L, -1);
  switch (type) {
    case lua.LUA_TSTRING:
      escapeString(toBytes(L, -1) ?? Buffer.alloc(0), out);
      return;
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, -1);
      if (!Number.isFinite(n)) raiseError(L, 'Cannot serialise number: must not be NaN or Inf');
      out.push(formatG(n, 14));
      return;
    }
    case lua.LUA_TBOOLEAN:
      out.push(lua.lua_toboolean(L, -1) ? 'true' : 'false');
      return;
    case lua.LUA_TNIL:
      out.push('null');
      return;
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(L, -1) === NULL_MARK) {
        out.push('null');
        return;
      }
      break;
    case lua.LUA_TTABLE:
      encodeTable(L, out, depth + 1);
      return;
  }
  raiseError(L, `Cannot serialise ${TYPE_NAMES[type] ?? 'value'}: type not supported`);
}

function encodeTable(L: LuaState, out: string[], depth: number): void {
  if (depth > DEPTH_MAX || !lua.lua_checkstack(L, 3)) {
    raiseError(L, `Cannot serialise, excessive nesting (${depth})`);
  }
  const length = arrayLength(L);
  if (length > 0) {
    out.push('[');
    for (let i = 1; i <= length; i++) {
      if (i > 1) out.push(',');
      lua.lua_rawgeti(L, -1, i);
      encodeValue(L, out, depth);
      lua.lua_pop(L, 1);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (!first) out.push(',');
    first = false;
    const keyType = lua.lua_type(L, -2);
    if (keyType === lua.LUA_TSTRING) {
      escapeString(toBytes(L, -2) ?? Buffer.alloc(0), out);
    } else if (keyType === lua.LUA_TNUMBER) {
      out.push(`"${formatG(lua.lua_tonumber(L, -2), 14)}"`);
    } else {
      raiseError(
        L,
        `Cannot serialise ${TYPE_NAMES[keyType] ?? 'value'}: table key must be a number or string`,
      );
    }
    out.push(':');
    encodeValue(L, out, depth);
    lua.lua_pop(L, 1);
  }
  out.push('}');
}

// --- decoding -----------------------------------------------------------------------------------

type Token =
  | {
      kind:
        | 'T_OBJ_BEGIN'
        | 'T_OBJ_END'
        | 'T_ARR_BEGIN'
        | 'T_ARR_END'
        | 'T_COLON'
        | 'T_COMMA'
        | 'T_END'
        | 'T_NULL';
      at: number;
    }
  | { kind: 'T_STRING'; at: number; value: Buffer }
  | { kind: 'T_NUMBER'; at: number; value: number }
  | { kind: 'T_BOOLEAN'; at: number; value: boolean }
  | { kind: 'T_ERROR'; at: number; message: string };

const NUMBER_PATTERN =
  /^[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)/i;

class Lexer {
  private pos = 0;
  private readonly data: Buffer;

  constructor(data: Buffer) {
    this.data = data;
  }

  next(): Token {
    const data = this.data;
    while (this.pos < data.length && [0x20, 0x09, 0x0a, 0x0d].includes(data[this.pos] ?? 0)) {
      this.pos++;
    }
    const at = this.pos + 1;
    const c = data[this.pos];
    if (c === undefined) return { kind: 'T_END', at };
    const single: Record<number, Token['kind']> = {
      123: 'T_OBJ_BEGIN',
      125: 'T_OBJ_END',
      91: 'T_ARR_BEGIN',
      93: 'T_ARR_END',
      58: 'T_COLON',
      44: 'T_COMMA',
    };
    const kind = single[c];
    if (kind !== undefined) {
      this.pos++;
      return { kind, at } as Token;
    }
    if (c === 0x22) return this.string(at);
    const rest = data.subarray(this.pos, this.pos + 64).toString('latin1');
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || /^(inf|nan)/i.test(rest)) {
      const match = NUMBER_PATTERN.exec(rest);
      if (match === null) return { kind: 'T_ERROR', at, message: 'invalid number' };
      this.pos += match[0].length;
      const text = match[0].toLowerCase();
      const value = /inf/.test(text)
        ? text.startsWith('-')
          ? -Infinity
          : Infinity
        : /nan/.test(text)
          ? Number.NaN
          : Number(text);
      return { kind: 'T_NUMBER', at, value };
    }
    for (const [word, token] of [
      ['true', { kind: 'T_BOOLEAN', at, value: true }],
      ['false', { kind: 'T_BOOLEAN', at, value: false }],
      ['null', { kind: 'T_NULL', at }],
    ] as const) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return token;
      }
    }
    return { kind: 'T_ERROR', at, message: 'invalid token' };
  }

  private string(at: number): Token {
    const data = this.data;
    const out: number[] = [];
    this.pos++;
    for (;;) {
      const c = data[this.pos];
      // lua-cjson reports string errors where it stopped: the end, or the escape's backslash.
      if (c === undefined) {
        return { kind: 'T_ERROR', at: this.pos + 1, message: 'unexpected end of string' };
      }
      this.pos++;
      if (c === 0x22) return { kind: 'T_STRING', at, value: Buffer.from(out) };
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      const backslash = this.pos;
      const e = data[this.pos++];
      const simple: Record<number, number> = {
        34: 0x22,
        92: 0x5c,
        47: 0x2f,
        98: 0x08,
        102: 0x0c,
        110: 0x0a,
        114: 0x0d,
        116: 0x09,
      };
      if (e !== undefined && simple[e] !== undefined) {
        out.push(simple[e] ?? 0);
        continue;
      }
      // `at` is 1-based: the backslash (index pos - 1) is character pos.
      const bad = (message: string): Token => ({ kind: 'T_ERROR', at: backslash, message });
      if (e !== 0x75) return bad('invalid escape code');
      let code = this.hex4();
      if (code === undefined) return bad('invalid unicode escape code');
      if (code >= 0xd800 && code <= 0xdbff) {
        if (data[this.pos] !== 0x5c || data[this.pos + 1] !== 0x75) {
          return bad('invalid unicode escape code');
        }
        this.pos += 2;
        const low = this.hex4();
        if (low === undefined || low < 0xdc00 || low > 0xdfff) {
          return bad('invalid unicode escape code');
        }
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      }
      for (const byte of Buffer.from(String.fromCodePoint(code), 'utf8')) out.push(byte);
    }
  }

  private hex4(): number | undefined {
    const text = this.data.subarray(this.pos, this.pos + 4).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(text)) return undefined;
    this.pos += 4;
    return Number.parseInt(text, 16);
  }
}

function foundName(token: Token): string {
  return token.kind === 'T_ERROR' ? token.message : token.kind;
}

function parseError(L: LuaState, expected: string, token: Token): never {
  return raiseError(
    L,
    `Expected ${expected} but found ${foundName(token)} at character ${token.at}`,
  );
}

function decodeValue(L: LuaState, lexer: Lexer, token: Token, depth: number): void {
  switch (token.kind) {
    case 'T_STRING':
      pushBytes(L, token.value);
      return;
    case 'T_NUMBER':
      lua.lua_pushnumber(L, token.value);
      return;
    case 'T_BOOLEAN':
      lua.lua_pushboolean(L, token.value);
      return;
    case 'T_NULL':
      lua.lua_pushlightuserdata(L, NULL_MARK);
      return;
    case 'T_OBJ_BEGIN':
    case 'T_ARR_BEGIN': {
      if (depth + 1 > DEPTH_MAX || !lua.lua_checkstack(L, 3)) {
        raiseError(
          L,
          `Found too many nested data structures (${depth + 1}) at character ${token.at}`,
        );
      }
      lua.lua_newtable(L);
      if (token.kind === 'T_ARR_BEGIN') decodeArray(L, lexer, depth + 1);
      else decodeObject(L, lexer, depth + 1);
      return;
    }
    default:
      parseError(L, 'value', token);
  }
}

function decodeArray(L: LuaState, lexer: Lexer, depth: number): void {
  let token = lexer.next();
  if (token.kind === 'T_ARR_END') return;
  for (let i = 1; ; i++) {
    decodeValue(L, lexer, token, depth);
    lua.lua_rawseti(L, -2, i);
    token = lexer.next();
    if (token.kind === 'T_ARR_END') return;
    if (token.kind !== 'T_COMMA') parseError(L, 'comma or array end', token);
    token = lexer.next();
  }
}

function decodeObject(L: LuaState, lexer: Lexer, depth: number): void {
  let token = lexer.next();
  if (token.kind === 'T_OBJ_END') return;
  for (;;) {
    if (token.kind !== 'T_STRING') parseError(L, 'object key string', token);
    pushBytes(L, token.value);
    token = lexer.next();
    if (token.kind !== 'T_COLON') parseError(L, 'colon', token);
    decodeValue(L, lexer, lexer.next(), depth);
    lua.lua_rawset(L, -3);
    token = lexer.next();
    if (token.kind === 'T_OBJ_END') return;
    if (token.kind !== 'T_COMMA') parseError(L, 'comma or object end', token);
    token = lexer.next();
  }
}

/** Opens `cjson` as a global table on L. */
export function openCjson(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'encode', (S) => {
    if (lua.lua_gettop(S) !== 1) raiseError(S, 'expected 1 argument');
    const out: string[] = [];
    encodeValue(S, out, 0);
    pushBytes(S, Buffer.from(out.join(''), 'latin1'));
    return 1;
  });
  setFunction(L, 'decode', (S) => {
    if (lua.lua_gettop(S) !== 1) raiseError(S, 'expected 1 argument');
    const text = toBytes(S, 1);
    if (text === undefined) raiseError(S, "bad argument #1 to 'decode' (string expected)");
    const lexer = new Lexer(text);
    decodeValue(S, lexer, lexer.next(), 0);
    const end = lexer.next();
    if (end.kind !== 'T_END') parseError(S, 'the end', end);
    return 1;
  });
  lua.lua_pushlightuserdata(L, NULL_MARK);
  lua.lua_setfield(L, -2, to_luastring('null'));
  setString(L, '_NAME', 'cjson');
  setString(L, '_VERSION', '2.1.0');
  lua.lua_setglobal(L, to_luastring('cjson'));
}
