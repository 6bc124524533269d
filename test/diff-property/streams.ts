/**
 * Streams (t_stream.c): appends with explicit and half-explicit IDs (`<ms>-*`, never `*`, whose
 * wall-clock IDs differ between the servers), trimming by MAXLEN and MINID, exact and approximate
 * with LIMIT (the test runs both servers with stream-node-max-entries 4, so `~` works on small
 * nodes), deletes, ranges with exclusive bounds and COUNT, non-blocking XREAD, and consumer groups:
 * XGROUP, XREADGROUP (new entries and history, NOACK), XACK, XCLAIM and XAUTOCLAIM with min-idle 0,
 * XPENDING and XINFO. Replies holding delivery or seen times (XPENDING's extended form, XINFO
 * CONSUMERS, XINFO STREAM FULL) are compared by shape; everything else byte for byte, and the
 * stream contents by DEBUG DIGEST at the end.
 */
import * as fc from 'fast-check';
import { command, count, entry, type Family, key, SHAPE, value } from './model.js';

/** IDs over a few milliseconds, the extremes, and malformed ones. */
const id: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: fc.tuple(fc.nat(6), fc.nat(3)).map(([ms, seq]) => `${ms}-${seq}`) },
  { weight: 4, arbitrary: fc.nat(6).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '0-0',
      '18446744073709551615-18446744073709551615',
      '18446744073709551615-0',
      '18446744073709551616',
      'x',
      '1-x',
      '-1',
      '1--1',
      '007-1',
    ),
  },
);

/** Range bounds: IDs, `-`, `+`, exclusive forms. */
const bound: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: id },
  { weight: 2, arbitrary: fc.constantFrom('-', '+') },
  { weight: 2, arbitrary: id.map((text) => `(${text}`) },
  { weight: 1, arbitrary: fc.constantFrom('(-', '(+', '(') },
);

const field = fc.constantFrom('f', 'g', 'h', '1', '');
const pairs = fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 });
const group = fc.constantFrom('g1', 'g1', 'g2', 'nogroup');
/** Stream commands mostly use two of the keys, so streams grow and groups exist on them. */
const streamKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b') },
  { weight: 1, arbitrary: key },
);
const consumer = fc.constantFrom('c1', 'c2', 'c3');

const xaddId: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: id },
  { weight: 2, arbitrary: fc.nat(7).map((ms) => `${ms}-*`) },
);

const trim: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<string[]>([]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('MAXLEN', 'maxlen'), fc.constantFrom([], ['~'], ['=']), count)
      .map(([word, approx, n]) => [word, ...approx, n]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom([], ['~'], ['=']), id)
      .map(([approx, minid]) => ['MINID', ...approx, minid]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('MAXLEN', 'MINID'), fc.constantFrom(['~'], []), id, count)
      .map(([word, approx, threshold, limit]) => [
        word,
        ...approx,
        word === 'MAXLEN' ? threshold.replace(/-.*/, '') : threshold,
        'LIMIT',
        limit,
      ]),
  },
);

const readCount = fc.constantFrom(
  [],
  ['COUNT', '1'],
  ['COUNT', '2'],
  ['COUNT', '0'],
  ['COUNT', '-1'],
);

export const STREAMS: Family = {
  name: 'streams',
  core: ['xadd', 'xrange', 'xlen', 'xdel', 'xtrim'],
  entries: [
    entry(
      'xadd',
      10,
      fc.tuple(streamKey, fc.boolean(), trim, xaddId, pairs),
      ([k, nomk, t, i, ps]) =>
        command(['XADD', k, ...(nomk ? ['NOMKSTREAM'] : []), ...t, i, ...ps.flat()]),
    ),
    entry('xrange', 3, fc.tuple(streamKey, bound, bound, readCount), ([k, s, e, c]) =>
      command(['XRANGE', k, s, e, ...c]),
    ),
    entry('xrevrange', 2, fc.tuple(streamKey, bound, bound, readCount), ([k, e, s, c]) =>
      command(['XREVRANGE', k, e, s, ...c]),
    ),
    entry('xlen', 1, streamKey, (k) => command(['XLEN', k])),
    entry(
      'xdel',
      3,
      fc.tuple(streamKey, fc.array(id, { minLength: 1, maxLength: 3 })),
      ([k, ids]) => command(['XDEL', k, ...ids]),
    ),
    entry('xtrim', 3, fc.tuple(streamKey, trim), ([k, t]) => command(['XTRIM', k, ...t])),
    entry(
      'xread',
      2,
      fc.tuple(
        readCount,
        fc.array(fc.tuple(streamKey, fc.oneof(id, fc.constant('$'))), {
          minLength: 1,
          maxLength: 2,
        }),
      ),
      ([c, streams]) =>
        command([
          'XREAD',
          ...c,
          'STREAMS',
          ...streams.map(([k]) => k),
          ...streams.map(([, i]) => i),
        ]),
    ),
    entry(
      'xgroup',
      3,
      fc.oneof(
        fc
          .tuple(
            streamKey,
            group,
            fc.oneof(id, fc.constant('$')),
            fc.constantFrom([], ['MKSTREAM'], ['ENTRIESREAD', '2']),
          )
          .map(([k, g, i, o]) => ['CREATE', k, g, i, ...o]),
        fc
          .tuple(streamKey, group, fc.constantFrom('0', '$', '2-0'))
          .map(([k, g, i]) => ['CREATE', k, g, i, 'MKSTREAM']),
        fc
          .tuple(streamKey, group, fc.oneof(id, fc.constant('$')))
          .map(([k, g, i]) => ['SETID', k, g, i]),
        fc.tuple(streamKey, group).map(([k, g]) => ['DESTROY', k, g]),
        fc.tuple(streamKey, group, consumer).map(([k, g, c]) => ['CREATECONSUMER', k, g, c]),
        fc.tuple(streamKey, group, consumer).map(([k, g, c]) => ['DELCONSUMER', k, g, c]),
      ),
      (argv) => command(['XGROUP', ...argv]),
    ),
    entry(
      'xreadgroup',
      4,
      fc.tuple(
        group,
        consumer,
        readCount,
        fc.boolean(),
        streamKey,
        fc.oneof(fc.constant('>'), fc.constant('>'), id),
      ),
      ([g, c, n, noack, k, i]) =>
        command(['XREADGROUP', 'GROUP', g, c, ...n, ...(noack ? ['NOACK'] : []), 'STREAMS', k, i]),
    ),
    entry(
      'xack',
      2,
      fc.tuple(streamKey, group, fc.array(id, { minLength: 1, maxLength: 3 })),
      ([k, g, ids]) => command(['XACK', k, g, ...ids]),
    ),
    entry(
      'xpending',
      2,
      fc.tuple(streamKey, group, fc.boolean(), bound, bound, count),
      ([k, g, full, s, e, n]) =>
        full ? command(['XPENDING', k, g, s, e, n], SHAPE) : command(['XPENDING', k, g]),
    ),
    entry(
      'xclaim',
      2,
      fc.tuple(
        streamKey,
        group,
        consumer,
        fc.array(id, { minLength: 1, maxLength: 2 }),
        fc.constantFrom([], ['JUSTID'], ['FORCE'], ['RETRYCOUNT', '5'], ['LASTID', '3-0']),
      ),
      ([k, g, c, ids, o]) => command(['XCLAIM', k, g, c, '0', ...ids, ...o]),
    ),
    entry(
      'xautoclaim',
      2,
      fc.tuple(
        streamKey,
        group,
        consumer,
        bound,
        fc.constantFrom([], ['COUNT', '1'], ['JUSTID'], ['COUNT', '0']),
      ),
      ([k, g, c, s, o]) => command(['XAUTOCLAIM', k, g, c, '0', s, ...o]),
    ),
    entry(
      'xinfo',
      2,
      fc.tuple(fc.constantFrom('STREAM', 'GROUPS', 'CONSUMERS'), streamKey, group),
      ([sub, k, g]) =>
        sub === 'STREAM'
          ? command(['XINFO', 'STREAM', k])
          : sub === 'GROUPS'
            ? command(['XINFO', 'GROUPS', k])
            : command(['XINFO', 'CONSUMERS', k, g], SHAPE),
    ),
    entry(
      'xsetid',
      1,
      fc.tuple(streamKey, id, fc.constantFrom([], ['ENTRIESADDED', '50'], ['MAXDELETEDID', '1-0'])),
      ([k, i, o]) => command(['XSETID', k, i, ...o]),
    ),
  ],
};
