/**
 * LuaBitOp (`bit`), the bit library Redis bundles: 32-bit operations on numbers. BitOp turns a
 * number into a 32-bit integer by adding 2^52 + 2^51 to the double and keeping the low 32 bits
 * (round to nearest even, then wrap), which `toBit` reproduces; results are signed 32-bit numbers.
 */
import { type LuaState, lauxlib, lua, pushText, setFunction, to_luastring } from './lua-vm.js';

const TWO_32 = 4294967296;
const BIAS = 6755399441055744;

function toBit(n: number): number {
  const biased = n + BIAS;
  return (biased % TWO_32) | 0;
}

function arg(L: LuaState, i: number): number {
  return toBit(lauxlib.luaL_checknumber(L, i));
}

function fold(op: (a: number, b: number) => number): (L: LuaState) => number {
  return (L) => {
    let acc = arg(L, 1);
    const top = lua.lua_gettop(L);
    for (let i = 2; i <= top; i++) acc = op(acc, arg(L, i));
    lua.lua_pushnumber(L, acc | 0);
    return 1;
  };
}

function shift(op: (a: number, n: number) => number): (L: LuaState) => number {
  return (L) => {
    const a = arg(L, 1);
    const n = arg(L, 2) & 31;
    lua.lua_pushnumber(L, op(a, n) | 0);
    return 1;
  };
}

/** Opens `bit` as a global table on L. */
export function openBit(L: LuaState): void {
  lua.lua_newtable(L);
  setFunction(L, 'tobit', (S) => {
    lua.lua_pushnumber(S, arg(S, 1));
    return 1;
  });
  setFunction(L, 'bnot', (S) => {
    lua.lua_pushnumber(S, ~arg(S, 1));
    return 1;
  });
  setFunction(
    L,
    'band',
    fold((a, b) => a & b),
  );
  setFunction(
    L,
    'bor',
    fold((a, b) => a | b),
  );
  setFunction(
    L,
    'bxor',
    fold((a, b) => a ^ b),
  );
  setFunction(
    L,
    'lshift',
    shift((a, n) => a << n),
  );
  setFunction(
    L,
    'rshift',
    shift((a, n) => a >>> n),
  );
  setFunction(
    L,
    'arshift',
    shift((a, n) => a >> n),
  );
  setFunction(
    L,
    'rol',
    shift((a, n) => (a << n) | (a >>> (32 - n))),
  );
  setFunction(
    L,
    'ror',
    shift((a, n) => (a >>> n) | (a << (32 - n))),
  );
  setFunction(L, 'bswap', (S) => {
    const a = arg(S, 1);
    const b = (a >>> 24) | ((a >> 8) & 0xff00) | ((a & 0xff00) << 8) | (a << 24) | 0;
    lua.lua_pushnumber(S, b);
    return 1;
  });
  setFunction(L, 'tohex', (S) => {
    let b = arg(S, 1);
    let n = lua.lua_type(S, 2) <= 0 ? 8 : arg(S, 2);
    const upper = n < 0;
    if (upper) n = -n;
    if (n > 8) n = 8;
    if (n < 8) b &= 2 ** (4 * n) - 1;
    let hex = (b >>> 0)
      .toString(16)
      .padStart(8, '0')
      .slice(8 - n);
    if (upper) hex = hex.toUpperCase();
    pushText(S, hex);
    return 1;
  });
  lua.lua_setglobal(L, to_luastring('bit'));
}
