/**
 * Sets (t_set.c): members numeric (intset) and not (hashtable), the algebra with and without a
 * destination, moves, and random picks. SMEMBERS compares bytes while Redis holds an intset (sorted
 * order) and sorted otherwise; the algebra's replies are compared sorted; SRANDMEMBER by shape. SPOP
 * only ever pops everything (a count larger than any set here), so both servers pop the same.
 */
import * as fc from 'fast-check';
import { command, count, entry, type Family, key, keys, member, SHAPE, SORTED } from './model.js';

const members = fc.array(member, { minLength: 1, maxLength: 4 });

export const SETS: Family = {
  name: 'sets',
  core: ['sadd', 'srem', 'smembers', 'sismember', 'scard'],
  entries: [
    entry('sadd', 5, fc.tuple(key, members), ([k, ms]) => command(['SADD', k, ...ms])),
    entry('srem', 2, fc.tuple(key, members), ([k, ms]) => command(['SREM', k, ...ms])),
    entry('smembers', 2, key, (k) =>
      command(['SMEMBERS', k], { kind: 'encoding', key: k, pairs: false }),
    ),
    entry('sismember', 2, fc.tuple(key, member), ([k, m]) => command(['SISMEMBER', k, m])),
    entry('smismember', 1, fc.tuple(key, members), ([k, ms]) => command(['SMISMEMBER', k, ...ms])),
    entry('scard', 2, key, (k) => command(['SCARD', k])),
    entry('spop', 1, fc.tuple(key, fc.constantFrom('1000', '0', '-1', 'x')), ([k, n]) =>
      command(['SPOP', k, n], SORTED),
    ),
    entry('srandmember', 1, fc.tuple(key, fc.option(count, { nil: undefined })), ([k, n]) =>
      command(n === undefined ? ['SRANDMEMBER', k] : ['SRANDMEMBER', k, n], SHAPE),
    ),
    entry('smove', 1, fc.tuple(key, key, member), ([a, b, m]) => command(['SMOVE', a, b, m])),
    entry('sinter', 1, keys(1, 3), (ks) => command(['SINTER', ...ks], SORTED)),
    entry('sunion', 1, keys(1, 3), (ks) => command(['SUNION', ...ks], SORTED)),
    entry('sdiff', 1, keys(1, 3), (ks) => command(['SDIFF', ...ks], SORTED)),
    entry('sinterstore', 1, fc.tuple(key, keys(1, 3)), ([d, ks]) =>
      command(['SINTERSTORE', d, ...ks]),
    ),
    entry('sunionstore', 1, fc.tuple(key, keys(1, 3)), ([d, ks]) =>
      command(['SUNIONSTORE', d, ...ks]),
    ),
    entry('sdiffstore', 1, fc.tuple(key, keys(1, 3)), ([d, ks]) =>
      command(['SDIFFSTORE', d, ...ks]),
    ),
    entry(
      'sintercard',
      1,
      fc.tuple(keys(1, 3), fc.constantFrom([], ['LIMIT', '1'], ['LIMIT', '0'], ['LIMIT', '-1'])),
      ([ks, o]) => command(['SINTERCARD', String(ks.length), ...ks, ...o]),
    ),
    entry('sscan', 1, fc.tuple(key, fc.constantFrom('0', 'x')), ([k, c]) =>
      command(['SSCAN', k, c], SHAPE),
    ),
  ],
};
