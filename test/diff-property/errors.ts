/**
 * Requests every server must refuse the same way whatever its data: unknown commands (the error
 * quotes the arguments), wrong argument counts, and a few always-valid connection commands between
 * them.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, key, value } from './model.js';

/** Argument values quoted back in errors: bytes >= 0x80 and CR/LF included (Redis copies bytes). */
const quotedValue = fc.constantFrom('v', '1', '', 'x y', 'a'.repeat(200), 'v\xe9', '\x00\xff\r\n');

export const ERRORS: Family = {
  name: 'errors',
  core: ['get', 'set', 'ping', 'echo'],
  entries: [
    // Unknown commands quote their name and arguments back byte for byte.
    entry(
      'get',
      1,
      fc.tuple(fc.constantFrom('NOSUCH', 'gett', 'S-T', '', 'S\xffT'), quotedValue),
      ([n, v]) => command([n, v]),
    ),
    entry(
      'get',
      1,
      fc.constantFrom(['GET'], ['GET', 'a', 'b'], ['SET', 'a'], ['get'], ['DEL'], ['EXISTS']),
      (argv) => command(argv),
    ),
    entry('ping', 1, fc.option(value, { nil: undefined }), (v) =>
      command(v === undefined ? ['PING'] : ['PING', v]),
    ),
    entry('echo', 1, fc.tuple(value, key), ([v, k]) => command(['ECHO', v + k])),
  ],
};
