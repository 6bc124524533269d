/**
 * Strings (t_string.c): SET with every option combination (valid or not), GET-family reads,
 * counters with overflow and bad numbers, ranges with negative and huge offsets.
 */
import * as fc from 'fast-check';
import {
  type Arg,
  absoluteTime,
  command,
  entry,
  type Family,
  float,
  integer,
  key,
  keys,
  ttlMs,
  value,
} from './model.js';

/** An expiry option as argv words and the relative TTL it may set (ms). */
type Expiry = { readonly words: readonly Arg[]; readonly ms: number };
/** Several options: every TTL any of them may set (a repeated PX: the last one wins). */
type Expiries = { readonly words: readonly Arg[]; readonly ms: readonly number[] };

const expiryOption: fc.Arbitrary<Expiry> = fc.oneof(
  ttlMs.map((ms) => ({ words: ['PX', String(ms)], ms })),
  fc.integer({ min: 1, max: 3 }).map((s) => ({ words: ['EX', String(s)], ms: s * 1000 })),
  // Absolute instants: the runner tracks their deadlines from the arguments.
  absoluteTime('ms').map((at) => ({ words: ['PXAT', at], ms: 0 })),
  absoluteTime('s').map((at) => ({ words: ['EXAT', at], ms: 0 })),
  fc
    .constantFrom('0', '-1', 'abc', '9223372036854775807', '1.5')
    .chain((bad) =>
      fc.constantFrom('EX', 'PX', 'EXAT', 'PXAT').map((o) => ({ words: [o, bad], ms: 0 })),
    ),
);

/** SET options: a random bag of NX/XX/GET/KEEPTTL/expiries, conflicting ones included. */
const setOptions: fc.Arbitrary<Expiries> = fc
  .array(
    fc.oneof(
      fc
        .constantFrom('NX', 'XX', 'GET', 'KEEPTTL', 'nx', 'get')
        .map((w) => ({ words: [w], ms: 0 })),
      expiryOption,
    ),
    { maxLength: 3 },
  )
  .map((options) => ({
    words: options.flatMap((option) => option.words),
    ms: options.map((option) => option.ms),
  }));

const getexOption: fc.Arbitrary<Expiry> = fc.oneof(
  fc.constant({ words: [], ms: 0 }),
  fc.constant({ words: ['PERSIST'], ms: 0 }),
  expiryOption,
  fc.constant({ words: ['PERSIST', 'PX', '10'], ms: 10 }),
);

export const STRINGS: Family = {
  name: 'strings',
  core: ['get', 'set', 'incr', 'append', 'mset', 'mget', 'strlen'],
  entries: [
    entry('set', 8, fc.tuple(key, value, setOptions), ([k, v, o]) => ({
      ...command(['SET', k, v, ...o.words]),
      expiresInMs: o.ms,
    })),
    entry('get', 6, key, (k) => command(['GET', k])),
    entry('setnx', 1, fc.tuple(key, value), ([k, v]) => command(['SETNX', k, v])),
    entry('setex', 1, fc.tuple(key, fc.oneof(integer, fc.constant('2')), value), ([k, s, v]) => ({
      ...command(['SETEX', k, s, v]),
      expiresInMs: Number(s) > 0 && Number(s) <= 100 ? Number(s) * 1000 : 0,
    })),
    entry(
      'psetex',
      1,
      fc.tuple(key, fc.oneof(ttlMs.map(String), integer), value),
      ([k, ms, v]) => ({
        ...command(['PSETEX', k, ms, v]),
        expiresInMs: Number(ms) > 0 && Number(ms) < 1e6 ? Number(ms) : 0,
      }),
    ),
    entry('getset', 1, fc.tuple(key, value), ([k, v]) => command(['GETSET', k, v])),
    entry('getdel', 1, key, (k) => command(['GETDEL', k])),
    entry('getex', 2, fc.tuple(key, getexOption), ([k, o]) => ({
      ...command(['GETEX', k, ...o.words]),
      expiresInMs: o.ms,
    })),
    entry('mget', 2, keys(1, 4), (ks) => command(['MGET', ...ks])),
    entry('mset', 2, fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }), (pairs) =>
      command(['MSET', ...pairs.flat()]),
    ),
    entry('msetnx', 1, fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }), (pairs) =>
      command(['MSETNX', ...pairs.flat()]),
    ),
    entry('append', 2, fc.tuple(key, value), ([k, v]) => command(['APPEND', k, v])),
    entry('strlen', 2, key, (k) => command(['STRLEN', k])),
    entry('incr', 3, key, (k) => command(['INCR', k])),
    entry('decr', 1, key, (k) => command(['DECR', k])),
    entry('incrby', 2, fc.tuple(key, integer), ([k, n]) => command(['INCRBY', k, n])),
    entry('decrby', 1, fc.tuple(key, integer), ([k, n]) => command(['DECRBY', k, n])),
    entry('incrbyfloat', 2, fc.tuple(key, float), ([k, n]) => command(['INCRBYFLOAT', k, n])),
    entry('getrange', 2, fc.tuple(key, integer, integer), ([k, s, e]) =>
      command(['GETRANGE', k, s, e]),
    ),
    entry('substr', 1, fc.tuple(key, integer, integer), ([k, s, e]) =>
      command(['SUBSTR', k, s, e]),
    ),
    entry(
      'setrange',
      2,
      fc.tuple(key, fc.oneof(fc.integer({ min: 0, max: 20 }).map(String), integer), value),
      ([k, o, v]) => command(['SETRANGE', k, o, v]),
    ),
    entry(
      'lcs',
      1,
      fc.tuple(
        key,
        key,
        fc.constantFrom(
          [],
          ['LEN'],
          ['IDX'],
          ['IDX', 'MINMATCHLEN', '1', 'WITHMATCHLEN'],
          ['LEN', 'IDX'],
        ),
      ),
      ([a, b, o]) => command(['LCS', a, b, ...o]),
    ),
  ],
};
