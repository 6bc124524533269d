/**
 * Keys and expiry (db.c, expire.c): existence, types, renames and moves across the two databases,
 * TTLs set relatively and absolutely with NX/XX/GT/LT, their reads (compared with a tolerance, as the
 * two servers' clocks differ by a few ms), and the key-space reads whose order is Redis's hash
 * order (KEYS sorted, SCAN and RANDOMKEY by shape).
 */
import * as fc from 'fast-check';
import {
  absoluteTime,
  command,
  entry,
  type Family,
  integer,
  key,
  keys,
  SHAPE,
  SORTED,
  ttlMs,
} from './model.js';

const expireFlags = fc.constantFrom([], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX'], ['gt', 'LT']);
const database = fc.constantFrom('0', '1', '0', '1', '2', '-1', 'x', '16');
/**
 * SORT's options. Numeric sorts are deterministic (ties go by the elements' bytes), so they are
 * compared byte for byte; ALPHA without STORE compares with strcoll, under which elements that
 * differ only after a NUL byte tie, and BY nosort walks a set in hash order: those replies are
 * compared sorted (and take no LIMIT). ALPHA never goes with a BY pattern: every missing BY value ties, and Redis
 * then orders (and LIMIT picks) by its hash-table walk.
 */
const sortBy = fc.constantFrom([], ['BY', '*'], ['BY', 'nosort'], ['BY', '*->m0'], ['BY', 'e*']);
const sortLimit = fc.constantFrom(
  [],
  ['LIMIT', '0', '2'],
  ['LIMIT', '1', '-1'],
  ['LIMIT', '5', '1'],
);
const sortGet = fc.constantFrom([], ['GET', '#'], ['GET', '*', 'GET', '#'], ['GET', '*->m1']);
const sortOrder = fc.constantFrom([], ['DESC'], ['ASC']);
const sortArgs = fc
  .tuple(key, sortBy, sortLimit, sortGet, sortOrder, fc.boolean())
  .map(([k, by, limit, get, order, alphaWanted]) => {
    const alpha = alphaWanted && (by.length === 0 || by[1] === 'nosort');
    // A set under BY nosort is walked in hash order: LIMIT would pick different members.
    const range = by[1] === 'nosort' ? [] : limit;
    return {
      argv: [k, ...by, ...range, ...get, ...order, ...(alpha ? ['ALPHA'] : [])],
      hashOrdered: alpha || by[1] === 'nosort',
    };
  });

const pattern = fc.constantFrom('*', 'a*', '[a-c]', '?', '*\xff*', 'nomatch', 'f\\r*');

export const KEYS_FAMILY: Family = {
  name: 'keys',
  core: ['del', 'exists', 'type', 'expire', 'pexpire', 'ttl', 'pttl', 'persist'],
  entries: [
    entry('del', 3, keys(1, 3), (ks) => command(['DEL', ...ks])),
    entry('unlink', 1, keys(1, 3), (ks) => command(['UNLINK', ...ks])),
    entry('exists', 3, keys(1, 3), (ks) => command(['EXISTS', ...ks])),
    entry('type', 2, key, (k) => command(['TYPE', k])),
    entry('touch', 1, keys(1, 3), (ks) => command(['TOUCH', ...ks])),
    entry(
      'expire',
      2,
      fc.tuple(key, fc.oneof(fc.integer({ min: 1, max: 3 }).map(String), integer), expireFlags),
      ([k, s, f]) => ({
        ...command(['EXPIRE', k, s, ...f]),
        expiresInMs: Number(s) > 0 && Number(s) <= 100 ? Number(s) * 1000 : 0,
      }),
    ),
    entry(
      'pexpire',
      3,
      fc.tuple(key, fc.oneof(ttlMs.map(String), integer), expireFlags),
      ([k, ms, f]) => ({
        ...command(['PEXPIRE', k, ms, ...f]),
        expiresInMs: Number(ms) > 0 && Number(ms) <= 100_000 ? Number(ms) : 0,
      }),
    ),
    // Absolute instants: the runner tracks their deadlines from the arguments.
    entry('expireat', 1, fc.tuple(key, absoluteTime('s'), expireFlags), ([k, at, f]) =>
      command(['EXPIREAT', k, at, ...f]),
    ),
    entry('pexpireat', 2, fc.tuple(key, absoluteTime('ms'), expireFlags), ([k, at, f]) =>
      command(['PEXPIREAT', k, at, ...f]),
    ),
    entry('ttl', 2, key, (k) => command(['TTL', k], { kind: 'ttl', tolerance: 1 })),
    entry('pttl', 2, key, (k) => command(['PTTL', k], { kind: 'ttl', tolerance: 50 })),
    entry('expiretime', 1, key, (k) => command(['EXPIRETIME', k], { kind: 'ttl', tolerance: 1 })),
    entry('pexpiretime', 1, key, (k) =>
      command(['PEXPIRETIME', k], { kind: 'ttl', tolerance: 50 }),
    ),
    entry('persist', 2, key, (k) => command(['PERSIST', k])),
    entry('rename', 2, fc.tuple(key, key), ([a, b]) => command(['RENAME', a, b])),
    entry('renamenx', 1, fc.tuple(key, key), ([a, b]) => command(['RENAMENX', a, b])),
    entry('move', 1, fc.tuple(key, database), ([k, db]) => command(['MOVE', k, db])),
    entry(
      'copy',
      1,
      fc.tuple(
        key,
        key,
        fc.constantFrom([], ['REPLACE'], ['DB', '1'], ['DB', '0', 'REPLACE'], ['DB', 'x']),
      ),
      ([a, b, o]) => command(['COPY', a, b, ...o]),
    ),
    entry('select', 2, database, (db) => command(['SELECT', db])),
    entry('swapdb', 1, fc.tuple(database, database), ([a, b]) => command(['SWAPDB', a, b])),
    entry('sort', 2, sortArgs, (a) =>
      command(['SORT', ...a.argv], a.hashOrdered ? SORTED : undefined),
    ),
    entry('sort_ro', 1, sortArgs, (a) =>
      command(['SORT_RO', ...a.argv], a.hashOrdered ? SORTED : undefined),
    ),
    entry('sort', 1, fc.tuple(sortArgs, key), ([a, destination]) =>
      command(['SORT', ...a.argv, 'STORE', destination]),
    ),
    entry('dbsize', 1, fc.constant(null), () => command(['DBSIZE'])),
    entry('keys', 1, pattern, (p) => command(['KEYS', p], SORTED)),
    entry('randomkey', 1, fc.constant(null), () => ({
      ...command(['RANDOMKEY'], SHAPE),
      expiresAtRandom: true,
    })),
    entry(
      'scan',
      1,
      fc.tuple(
        fc.constantFrom('0', '1', 'x'),
        fc.constantFrom([], ['MATCH', '*'], ['COUNT', '100'], ['TYPE', 'string'], ['COUNT', '0']),
      ),
      ([cursor, o]) => ({ ...command(['SCAN', cursor, ...o], SHAPE), expiresAtRandom: true }),
    ),
    entry(
      'object',
      1,
      fc.tuple(fc.constantFrom('ENCODING', 'REFCOUNT', 'FREQ', 'encoding', 'NOSUCH'), key),
      // Inside EXEC Redis counts the transaction's own reference to a queued argument (a long
      // SET value stays shared with the queued argv until EXEC ends): REFCOUNT there is compared
      // by shape only (a known difference, reported).
      ([sub, k]) => ({ ...command(['OBJECT', sub, k]), execCompare: SHAPE }),
    ),
  ],
};
