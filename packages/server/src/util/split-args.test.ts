/**
 * splitArgs follows sdssplitargs: the config-file tokenizer must read every quoting style redis.conf
 * files use, and refuse unbalanced quotes rather than guess.
 */
import { describe, expect, it } from 'vitest';
import { splitArgs } from './split-args.js';

describe('splitArgs', () => {
  it('splits on blanks', () => {
    expect(splitArgs('  save 900   1 \t')).toEqual(['save', '900', '1']);
  });
  it('reads double quotes with escapes', () => {
    expect(splitArgs('requirepass "a b\\n\\x41\\"c"')).toEqual(['requirepass', 'a b\nA"c']);
  });
  it("reads single quotes with only \\' as an escape", () => {
    expect(splitArgs("x 'it\\'s \\n'")).toEqual(['x', "it's \\n"]);
  });
  it('keeps an empty quoted word', () => {
    expect(splitArgs('save ""')).toEqual(['save', '']);
  });
  it('refuses unbalanced quotes and a quote glued to a word', () => {
    expect(splitArgs('x "abc')).toBeNull();
    expect(splitArgs('x "abc"def')).toBeNull();
    expect(splitArgs("x 'abc")).toBeNull();
  });
  it('returns no words for an empty line', () => {
    expect(splitArgs('')).toEqual([]);
  });
});
