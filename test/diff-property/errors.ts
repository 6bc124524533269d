/**
 * Requests every server must refuse the same way whatever its data: unknown commands (the error
 * quotes the arguments), wrong argument counts, and a few always-valid connection commands between
 * them.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, key, value } from './model.js';

const asciiValue = fc.constantFrom('v', '1', '', 'x y', 'a'.repeat(200));

export const ERRORS: Family = {
  name: 'errors',
  core: ['get', 'set', 'ping', 'echo'],
  entries: [
    // ASCII only: replisim writes error text as UTF-8, so bytes >= 0x80 quoted back in the
    // unknown-command error would differ (reported; see the test report).
    entry('get', 1, fc.tuple(fc.constantFrom('NOSUCH', 'gett', 'S-T', ''), asciiValue), ([n, v]) =>
      command([n, v]),
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
