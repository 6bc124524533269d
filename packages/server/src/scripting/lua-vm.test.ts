/**
 * The Lua 5.1 number behaviour lua-vm.ts gives fengari: literals are doubles (no 32-bit
 * wrap-around), integral floats print without `.0`, and numbers print as C's `%.14g` (concatenation
 * converts through luaO_tostring; `tostring` itself is replaced by the prelude, prelude.ts).
 */
import { describe, expect, it } from 'vitest';
import { lauxlib, lua, lualib, to_jsstring, to_luastring } from './lua-vm.js';

function run(source: string): string {
  const L = lauxlib.luaL_newstate();
  lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
  lua.lua_pop(L, 1);
  const code = to_luastring(source);
  expect(lauxlib.luaL_loadbuffer(L, code, code.length, to_luastring('@user_script'))).toBe(0);
  expect(lua.lua_pcall(L, 0, 1, 0)).toBe(0);
  return to_jsstring(lua.lua_tolstring(L, -1) ?? new Uint8Array());
}

describe('lua-vm number patches', () => {
  it('prints numbers as Lua 5.1 (%.14g)', () => {
    expect(run('return (10/2) .. ""')).toBe('5');
    expect(run('return (3/2) .. ""')).toBe('1.5');
    expect(run('return (2^53) .. ""')).toBe('9.007199254741e+15');
    expect(run('return (1e100) .. ""')).toBe('1e+100');
    expect(run('return (-1/0) .. ""')).toBe('-inf');
    expect(run('return (0/0) .. ""')).toBe('-nan');
    expect(run('return (0.1) .. ""')).toBe('0.1');
    expect(run('return (123456789012345678) .. ""')).toBe('1.2345678901235e+17');
  });

  it('does integer-looking arithmetic in doubles, without 32-bit wrap-around', () => {
    expect(run('return (2147483647 + 1) .. ""')).toBe('2147483648');
    expect(run('return (tonumber("4294967296") * 2) .. ""')).toBe('8589934592');
  });
});
