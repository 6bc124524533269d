/**
 * `struct`, Roberto Ierusalimschy's struct library as Redis bundles it, in JavaScript:
 * struct.pack(fmt, ...), struct.unpack(fmt, data [, init]) and struct.size(fmt). Formats:
 * `>` big and `<` / `=` little endian (x86's native), `!n` alignment, `x` padding, `b B h H l L
 * T i I` integers (`in` / `In` of n bytes, at most 32; l, L and T are 8 bytes), `f` `d` floats,
 * `s` strings packed with a terminating zero, `cn` fixed-size strings (`c0`: the string's own length when
 * packing, the previous value when unpacking), spaces ignored. Error texts are struct.c's.
 */
import {
  type LuaState,
  lauxlib,
  lua,
  pushBytes,
  raiseError,
  setFunction,
  to_luastring,
  toBytes,
} from './lua-vm.js';

/** MAXINTSIZE and MAXALIGN of struct.c. */
const INT_SIZE_MAX = 32;
const ALIGN_MAX = 8;

interface Header {
  little: boolean;
  align: number;
}

class Format {
  private pos = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  next(): string {
    return this.text[this.pos++] ?? '';
  }

  number(fallback: number): number {
    const match = /^\d+/.exec(this.text.slice(this.pos));
    if (match === null) return fallback;
    this.pos += match[0].length;
    return Number(match[0]);
  }
}

/** optsize: the size of option `opt`, reading its digits. */
function optionSize(L: LuaState, format: Format, opt: string): number {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
      return 8;
    case 'f':
      return 4;
    case 'd':
      return 8;
    case 'x':
      return 1;
    case 'c':
      return format.number(1);
    case 'i':
    case 'I': {
      const size = format.number(4);
      if (size > INT_SIZE_MAX) {
        raiseError(L, `integral size ${size} is larger than limit of ${INT_SIZE_MAX}`);
      }
      return size;
    }
    default:
      return 0;
  }
}

function toAlign(length: number, header: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  const s = Math.min(size, header.align);
  return (s - (length & (s - 1))) & (s - 1);
}

/** controloptions: endianness, alignment and spaces; false for a data option. */
function control(L: LuaState, format: Format, opt: string, header: Header): boolean {
  switch (opt) {
    case ' ':
      return true;
    case '>':
      header.little = false;
      return true;
    case '<':
    case '=':
      header.little = true;
      return true;
    case '!': {
      const a = format.number(ALIGN_MAX);
      if ((a & (a - 1)) !== 0) raiseError(L, `alignment ${a} is not a power of 2`);
      header.align = a;
      return true;
    }
    default:
      return false;
  }
}

function intBytes(n: number, size: number, little: boolean): Buffer {
  // (Uinttype)(Inttype)n for negatives, (Uinttype)n otherwise: 64-bit two's complement.
  let value = BigInt.asUintN(64, BigInt(Math.trunc(n)));
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    out[little ? i : size - 1 - i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

function readInt(data: Buffer, at: number, size: number, little: boolean, signed: boolean): number {
  let value = 0n;
  for (let i = 0; i < size; i++) {
    const byte = BigInt(data[little ? at + size - 1 - i : at + i] ?? 0);
    value = (value << 8n) | byte;
  }
  value = BigInt.asUintN(64, value);
  if (signed && size > 0 && size <= 8) value = BigInt.asIntN(size * 8, value);
  else if (signed) value = BigInt.asIntN(64, value);
  return Number(value);
}

function pack(L: LuaState): number {
  const format = new Format(toBytes(L, 1)?.toString('latin1') ?? '');
  const header: Header = { little: true, align: 1 };
  const parts: Buffer[] = [];
  let total = 0;
  let arg = 2;
  const add = (b: Buffer) => {
    parts.push(b);
    total += b.length;
  };
  while (!format.done) {
    const opt = format.next();
    if (control(L, format, opt, header)) continue;
    let size = optionSize(L, format, opt);
    const pad = toAlign(total, header, opt, size);
    if (pad > 0) add(Buffer.alloc(pad));
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        add(intBytes(lauxlib.luaL_checknumber(L, arg++), size, header.little));
        break;
      case 'x':
        add(Buffer.alloc(1));
        break;
      case 'f':
      case 'd': {
        const b = Buffer.alloc(size);
        const n = lauxlib.luaL_checknumber(L, arg++);
        if (opt === 'f') {
          if (header.little) b.writeFloatLE(n);
          else b.writeFloatBE(n);
        } else if (header.little) b.writeDoubleLE(n);
        else b.writeDoubleBE(n);
        add(b);
        break;
      }
      case 'c':
      case 's': {
        const s = Buffer.from(lauxlib.luaL_checklstring(L, arg));
        if (size === 0) size = s.length;
        // struct.c checks with the argument index already advanced (its message says #arg+1).
        arg++;
        if (s.length < size) lauxlib.luaL_argerror(L, arg, to_luastring('string too short'));
        // 's' packs the whole string, zeros included, and a terminating zero.
        if (opt === 's') add(Buffer.concat([s, Buffer.alloc(1)]));
        else add(s.subarray(0, size));
        break;
      }
      default:
        lauxlib.luaL_argerror(L, 1, to_luastring(`invalid format option '${opt}'`));
    }
  }
  pushBytes(L, Buffer.concat(parts));
  return 1;
}

function unpack(L: LuaState): number {
  const format = new Format(toBytes(L, 1)?.toString('latin1') ?? '');
  const data = Buffer.from(lauxlib.luaL_checklstring(L, 2));
  let pos = Math.trunc(lauxlib.luaL_optinteger(L, 3, 1)) - 1;
  if (pos < 0 || pos > data.length) {
    lauxlib.luaL_argerror(L, 3, to_luastring('offset must be 1 <= offset <= #data'));
  }
  const header: Header = { little: true, align: 1 };
  lua.lua_settop(L, 2);
  let results = 0;
  const short = () => lauxlib.luaL_argerror(L, 2, to_luastring('data string too short'));
  while (!format.done) {
    const opt = format.next();
    if (control(L, format, opt, header)) continue;
    let size = optionSize(L, format, opt);
    pos += toAlign(pos, header, opt, size);
    if (pos + size > data.length) short();
    lua.lua_checkstack(L, 2);
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        const signed = opt === 'b' || opt === 'h' || opt === 'l' || opt === 'i';
        lua.lua_pushnumber(L, readInt(data, pos, size, header.little, signed));
        results++;
        break;
      }
      case 'x':
        break;
      case 'f':
        lua.lua_pushnumber(L, header.little ? data.readFloatLE(pos) : data.readFloatBE(pos));
        results++;
        break;
      case 'd':
        lua.lua_pushnumber(L, header.little ? data.readDoubleLE(pos) : data.readDoubleBE(pos));
        results++;
        break;
      case 'c': {
        if (size === 0) {
          if (results === 0 || !lua.lua_isnumber(L, -1))
            raiseError(L, "format 'c0' needs a previous size");
          size = Math.trunc(lua.lua_tonumber(L, -1));
          lua.lua_pop(L, 1);
          results--;
          if (pos + size > data.length) short();
        }
        pushBytes(L, data.subarray(pos, pos + size));
        results++;
        break;
      }
      case 's': {
        const end = data.indexOf(0, pos);
        if (end < 0) raiseError(L, 'unfinished string in data');
        size = end - pos + 1;
        pushBytes(L, data.subarray(pos, end));
        results++;
        break;
      }
      default:
        lauxlib.luaL_argerror(L, 1, to_luastring(`invalid format option '${opt}'`));
    }
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return results + 1;
}

function size(L: LuaState): number {
  const format = new Format(toBytes(L, 1)?.toString('latin1') ?? '');
  const header: Header = { little: true, align: 1 };
  let total = 0;
  while (!format.done) {
    const opt = format.next();
    if (control(L, format, opt, header)) continue;
    const s = optionSize(L, format, opt);
    total += toAlign(total, header, opt, s);
    if (opt === 's') lauxlib.luaL_argerror(L, 1, to_luastring("option 's' has no fixed size"));
    if (opt === 'c' && s === 0) {
      lauxlib.luaL_argerror(L, 1, to_luastring("option 'c0' has no fixed size"));
    }
    // An unknown option has size 0 here: struct.size does not check options.
    total += s;
  }
  lua.lua_pushnumber(L, total);
  return 1;
}

/** Opens `struct` as a global table on L. */
export function openStruct(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'pack', pack);
  setFunction(L, 'unpack', unpack);
  setFunction(L, 'size', size);
  lua.lua_setglobal(L, to_luastring('struct'));
}
