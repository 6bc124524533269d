/**
 * splitArgs against sdssplitargs. Method: each case is the inline line, then the arguments Redis
 * produces (null for "unbalanced quotes"). The quoted and escaped cases follow sds.c branch by
 * branch; the blank-handling ones were also checked on redis-server 7.0.15 through ECHO.
 */
import { describe, expect, it } from 'vitest';
import { splitArgs } from './split-args.js';

function split(line: string): string[] | null {
  const bytes = Buffer.from(line, 'latin1');
  const args = splitArgs(bytes, 0, bytes.length);
  return args === null ? null : args.map((arg) => arg.toString('latin1'));
}

const CASES: [string, string[] | null][] = [
  ['', []],
  ['   \t  ', []],
  ['SET a b', ['SET', 'a', 'b']],
  ['  SET\t\ta  ', ['SET', 'a']],
  ['"hello world"', ['hello world']],
  ['""', ['']],
  ["''", ['']],
  ['a"b c"', ['ab c']],
  ['"a\\x41\\x7a"', ['aAz']],
  ['"\\x4"', ['x4']],
  ['"\\xZZ"', ['xZZ']],
  ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\x07\\"q']],
  ["'it\\'s'", ["it's"]],
  ["'a\\nb'", ['a\\nb']],
  ['"a" "b"', ['a', 'b']],
  ['"a"\v', ['a']],
  ['"a"b', null],
  ["'a'b", null],
  ['"abc', null],
  ["'abc", null],
  ['"abc\\', null],
  ['a\vb', ['a\vb']],
  ['\va', ['a']],
  ['a\rb', ['a', 'b']],
  ['\xff\xfe', ['\xff\xfe']],
];

describe('splitArgs (sdssplitargs)', () => {
  it.each(CASES)('%j', (line, expected) => {
    expect(split(line)).toEqual(expected);
  });

  it('reads only the given range', () => {
    const bytes = Buffer.from('xxSET a"b"yy', 'latin1');
    const args = splitArgs(bytes, 2, 10);
    expect(args?.map((arg) => arg.toString())).toEqual(['SET', 'ab']);
  });
});
