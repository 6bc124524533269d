/**
 * The syntax-line reader must produce the argument trees Redis's COMMAND DOCS has for the same
 * commands, because redis-cli renders its hints from them.
 */
import { describe, expect, it } from 'vitest';
import { parseSyntax } from './syntax.js';
import { COMMAND_LIST } from './table.js';

describe('parseSyntax', () => {
  it('reads SET like Redis documents it', () => {
    const args = parseSyntax(
      'key value [NX|XX] [GET] [EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|KEEPTTL]',
    );
    expect(args.map((a) => [a.name, a.type, a.optional])).toEqual([
      ['key', 'key', false],
      ['value', 'string', false],
      ['nx-or-xx', 'oneof', true],
      ['get', 'pure-token', true],
      [
        'seconds-or-milliseconds-or-unix-time-seconds-or-unix-time-milliseconds-or-keepttl',
        'oneof',
        true,
      ],
    ]);
    expect(args[4]?.arguments?.[0]).toEqual({
      name: 'seconds',
      type: 'integer',
      token: 'EX',
      optional: false,
      multiple: false,
    });
  });

  it('marks repeating arguments', () => {
    expect(parseSyntax('key [key ...]')).toEqual([
      { name: 'key', type: 'key', optional: false, multiple: true },
    ]);
  });

  it('reads optional blocks', () => {
    const [protover] = parseSyntax(
      '[protover:integer [AUTH username password] [SETNAME clientname]]',
    );
    expect(protover?.type).toBe('block');
    expect(protover?.optional).toBe(true);
    expect(protover?.arguments?.map((a) => a.name)).toEqual([
      'protover',
      'username-password',
      'clientname',
    ]);
  });

  it('parses the syntax line of every command in the table', () => {
    for (const command of COMMAND_LIST) {
      for (const each of [command, ...command.subcommands.values()]) {
        expect(() => parseSyntax(each.syntax), each.fullName).not.toThrow();
      }
    }
  });

  it('refuses unbalanced brackets', () => {
    expect(() => parseSyntax('[key')).toThrow();
  });
});
