/**
 * Lists (t_list.c): pushes and pops at both ends with counts, ranges and indexes (negative, huge),
 * LINSERT/LREM/LSET/LTRIM/LPOS, moves between keys, and the blocking forms with short timeouts (the
 * test has one client, so they either find data at once or time out with a null).
 */
import * as fc from 'fast-check';
import { command, count, entry, type Family, integer, key, keys, value } from './model.js';

const elements = fc.array(value, { minLength: 1, maxLength: 4 });
const side = fc.constantFrom('LEFT', 'RIGHT', 'left', 'UP');
/** Blocking timeouts in seconds: short, zero-ish, or invalid. */
const timeout = fc.constantFrom('0.01', '0.02', '-1', 'x', '0.01');

export const LISTS: Family = {
  name: 'lists',
  core: ['lpush', 'rpush', 'lpop', 'rpop', 'llen', 'lrange'],
  entries: [
    entry('lpush', 4, fc.tuple(key, elements), ([k, vs]) => command(['LPUSH', k, ...vs])),
    entry('rpush', 4, fc.tuple(key, elements), ([k, vs]) => command(['RPUSH', k, ...vs])),
    entry('lpushx', 1, fc.tuple(key, elements), ([k, vs]) => command(['LPUSHX', k, ...vs])),
    entry('rpushx', 1, fc.tuple(key, elements), ([k, vs]) => command(['RPUSHX', k, ...vs])),
    entry('lpop', 2, fc.tuple(key, fc.option(count, { nil: undefined })), ([k, n]) =>
      command(n === undefined ? ['LPOP', k] : ['LPOP', k, n]),
    ),
    entry('rpop', 2, fc.tuple(key, fc.option(count, { nil: undefined })), ([k, n]) =>
      command(n === undefined ? ['RPOP', k] : ['RPOP', k, n]),
    ),
    entry('llen', 2, key, (k) => command(['LLEN', k])),
    entry('lrange', 3, fc.tuple(key, integer, integer), ([k, s, e]) =>
      command(['LRANGE', k, s, e]),
    ),
    entry('lindex', 2, fc.tuple(key, integer), ([k, i]) => command(['LINDEX', k, i])),
    entry(
      'lset',
      1,
      fc.tuple(key, fc.oneof(fc.constantFrom('0', '-1', '1'), integer), value),
      ([k, i, v]) => command(['LSET', k, i, v]),
    ),
    entry(
      'linsert',
      1,
      fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER', 'after', 'MIDDLE'), value, value),
      ([k, where, pivot, v]) => command(['LINSERT', k, where, pivot, v]),
    ),
    entry('lrem', 1, fc.tuple(key, integer, value), ([k, n, v]) => command(['LREM', k, n, v])),
    entry('ltrim', 1, fc.tuple(key, integer, integer), ([k, s, e]) => command(['LTRIM', k, s, e])),
    entry(
      'lpos',
      1,
      fc.tuple(
        key,
        value,
        fc.constantFrom(
          [],
          ['RANK', '2'],
          ['RANK', '-1'],
          ['RANK', '0'],
          ['COUNT', '0'],
          ['MAXLEN', '2', 'COUNT', '2'],
        ),
      ),
      ([k, v, o]) => command(['LPOS', k, v, ...o]),
    ),
    entry('lmove', 1, fc.tuple(key, key, side, side), ([a, b, x, y]) =>
      command(['LMOVE', a, b, x, y]),
    ),
    entry('rpoplpush', 1, fc.tuple(key, key), ([a, b]) => command(['RPOPLPUSH', a, b])),
    entry(
      'lmpop',
      1,
      fc.tuple(
        fc.constantFrom('1', '2', '0', 'x'),
        keys(1, 2),
        side,
        fc.constantFrom([], ['COUNT', '2'], ['COUNT', '0']),
      ),
      ([n, ks, s, o]) => command(['LMPOP', n, ...ks, s, ...o]),
    ),
    entry('blpop', 1, fc.tuple(keys(1, 2), timeout), ([ks, t]) => command(['BLPOP', ...ks, t])),
    entry('brpop', 1, fc.tuple(keys(1, 2), timeout), ([ks, t]) => command(['BRPOP', ...ks, t])),
    entry('blmove', 1, fc.tuple(key, key, side, side, timeout), ([a, b, x, y, t]) =>
      command(['BLMOVE', a, b, x, y, t]),
    ),
    entry('brpoplpush', 1, fc.tuple(key, key, timeout), ([a, b, t]) =>
      command(['BRPOPLPUSH', a, b, t]),
    ),
    entry('blmpop', 1, fc.tuple(timeout, keys(1, 2), side), ([t, ks, s]) =>
      command(['BLMPOP', t, String(ks.length), ...ks, s]),
    ),
  ],
};
