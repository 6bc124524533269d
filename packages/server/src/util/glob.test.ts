/**
 * globMatch against the cases Redis's own util.c tests and the KEYS/CONFIG GET documentation use.
 */
import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';

describe('globMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['max*', 'maxclients', true],
    ['*a*b', 'xaxxb', true],
    ['*a*b', 'xaxxc', false],
    ['', '', true],
    ['a', '', false],
  ])('%s ~ %s = %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('matches case-insensitively when asked (CONFIG GET)', () => {
    expect(globMatch('MAX*', 'maxclients', true)).toBe(true);
    expect(globMatch('MAX*', 'maxclients')).toBe(false);
  });

  it('bounds the work of a pathological pattern', () => {
    const pattern = `${'*a'.repeat(30)}b`;
    expect(globMatch(pattern, 'a'.repeat(40))).toBe(false);
  });
});
