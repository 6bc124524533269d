/**
 * Differential test of the GEO commands against redis-server 7.0.15, RESP2 and RESP3, byte for
 * byte: GEOADD (NX XX CH, bad pairs, the score it stores), GEODIST in every unit, GEOHASH, GEOPOS
 * (human long doubles, RESP3 doubles), GEORADIUS / GEORADIUSBYMEMBER and their _RO forms,
 * GEOSEARCH and GEOSEARCHSTORE with WITHCOORD WITHDIST WITHHASH COUNT ANY ASC DESC STORE
 * STOREDIST, near the poles and the antimeridian, and every error in Redis's order. Scripts end
 * with DEBUG DIGEST-VALUE of their keys (a GEO index is a sorted set). A fast-check property then
 * adds random points and compares random GEOSEARCH/GEORADIUS queries (REPLISIM_GEO_RUNS=N for
 * more), and propagation is compared with Redis's replication stream (GEOADD goes out as ZADD).
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmd, describeCollectionDiff, encoding, type Script } from './support/collection-diff.js';
import { RawClient } from './support/raw-client.js';
import { expectSamePropagation } from './support/replication-stream.js';
import { flushBoth, useServerPair } from './support/server-pair.js';

const SICILY = ['13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];
const MORE = ['12.758489', '38.788135', 'edge1', '17.241510', '38.788135', 'edge2'];

const SCRIPTS: readonly Script[] = [
  {
    name: 'GEOADD, GEODIST, GEOPOS, GEOHASH',
    steps: [
      cmd('GEOADD', 'Sicily', ...SICILY),
      cmd('ZRANGE', 'Sicily', '0', '-1', 'WITHSCORES'),
      encoding('Sicily'),
      cmd('GEOADD', 'Sicily', 'NX', '13', '38', 'Palermo', '1', '1', 'new'),
      cmd('GEOADD', 'Sicily', 'XX', 'CH', '13', '38', 'Palermo', '2', '2', 'other'),
      cmd('GEOADD', 'Sicily', 'CH', '13.361389', '38.115556', 'Palermo'),
      cmd(
        'GEOADD',
        'Sicily',
        'ch',
        'nx',
        '0',
        '0',
        'zero',
        '-180',
        '-85.05112878',
        'sw',
        '180',
        '85.05112878',
        'ne',
      ),
      cmd('GEOADD', 'Sicily', 'NX', 'XX', '1', '1', 'a'),
      cmd('GEOADD', 'Sicily', '1', '1'),
      cmd('GEOADD', 'Sicily', 'CH', '1', '1', 'a', '2'),
      cmd('GEOADD', 'Sicily', '180.1', '0', 'x'),
      cmd('GEOADD', 'Sicily', '10', '85.06', 'x'),
      cmd('GEOADD', 'Sicily', '1', '1', 'ok', 'x', '1', 'bad'),
      cmd('GEOADD', 'Sicily', '-200.5', '-100.25', 'x'),
      cmd('GEOADD', 'Sicily', 'inf', '0', 'x'),
      cmd('GEOADD', 'Sicily', 'GT', '1', '1', 'x'),
      cmd('ZSCORE', 'Sicily', 'ok'),
      cmd('GEOADD', 'Sicily'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania', 'ft'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania', 'yd'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'x'),
      cmd('GEODIST', 'Sicily', 'Palermo', 'nope'),
      cmd('GEODIST', 'nokey', 'a', 'b'),
      cmd('GEODIST', 'nokey', 'a', 'b', 'yd'),
      cmd('GEODIST', 'Sicily', 'sw', 'ne'),
      cmd('GEODIST', 'Sicily', 'zero', 'zero'),
      cmd('GEOPOS', 'Sicily', 'Palermo', 'Catania', 'nope', 'sw', 'ne', 'zero'),
      cmd('GEOPOS', 'nokey', 'a'),
      cmd('GEOPOS', 'Sicily'),
      cmd('GEOHASH', 'Sicily', 'Palermo', 'Catania', 'nope', 'sw', 'ne', 'zero'),
      cmd('GEOHASH', 'nokey', 'a', 'b'),
      cmd('SET', 'str', 'x'),
      cmd('GEOADD', 'str', '1', '1', 'a'),
      cmd('GEODIST', 'str', 'a', 'b'),
      cmd('GEOPOS', 'str', 'a'),
      cmd('GEOHASH', 'str', 'a'),
      cmd('ZADD', 'z', '-1', 'neg', '9007199254740991', 'big', '4503599627370496', 'over'),
      cmd('GEOPOS', 'z', 'neg', 'big', 'over'),
      cmd('GEOHASH', 'z', 'neg', 'big', 'over'),
      cmd('GEODIST', 'z', 'neg', 'over'),
    ],
    digest: ['Sicily', 'z'],
  },
  {
    name: 'GEORADIUS and GEORADIUSBYMEMBER',
    steps: [
      cmd('GEOADD', 'Sicily', ...SICILY, ...MORE),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST'),
      cmd(
        'GEORADIUS',
        'Sicily',
        '15',
        '37',
        '200',
        'km',
        'WITHCOORD',
        'WITHHASH',
        'withdist',
        'DESC',
      ),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200000', 'm', 'ASC', 'COUNT', '2'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '1', 'ANY'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '3', 'ANY', 'DESC'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '124', 'mi', 'WITHDIST', 'ASC'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '656168', 'ft', 'WITHDIST'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '0', 'km'),
      cmd('GEORADIUS', 'Sicily', '15.087269', '37.502669', '0', 'm', 'WITHDIST'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '1', 'km'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '20000', 'km', 'WITHDIST'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '-1', 'km'),
      cmd('GEORADIUS', 'Sicily', '15', '37', 'x', 'km'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '10', 'yd'),
      cmd('GEORADIUS', 'Sicily', '15', '91', '10', 'km'),
      cmd('GEORADIUS', 'Sicily', 'x', '37', '10', 'km'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '0'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', 'x'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'FOO'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd', 'WITHDIST'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'FROMLONLAT', '1', '1'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd1'),
      cmd('ZRANGE', 'd1', '0', '-1', 'WITHSCORES'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'd2', 'COUNT', '2', 'DESC'),
      cmd('ZRANGE', 'd2', '0', '-1', 'WITHSCORES'),
      cmd('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x', 'STOREDIST', 'd3'),
      cmd('EXISTS', 'x'),
      cmd('ZRANGE', 'd3', '0', '-1', 'WITHSCORES'),
      cmd('GEORADIUS', 'Sicily', '0', '0', '1', 'km', 'STORE', 'd1'),
      cmd('EXISTS', 'd1'),
      cmd('GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd2'),
      cmd('EXISTS', 'd2'),
      cmd('GEORADIUS', 'nokey', '0', '0', '1', 'km'),
      cmd('GEORADIUS', 'nokey', '0', '0', '1', 'km', 'WITHDIST', 'STORE', 'q'),
      cmd('GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'WITHDIST'),
      cmd('GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd'),
      cmd('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'WITHDIST', 'WITHCOORD'),
      cmd('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '400', 'km', 'COUNT', '2', 'DESC'),
      cmd('GEORADIUSBYMEMBER', 'Sicily', 'nope', '200', 'km'),
      cmd('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', 'x', 'km'),
      cmd('GEORADIUSBYMEMBER', 'nokey', 'nope', 'x', 'km'),
      cmd('GEORADIUSBYMEMBER', 'nokey', 'nope', '1', 'km', 'STORE', 'd'),
      cmd('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'bm'),
      cmd('ZRANGE', 'bm', '0', '-1', 'WITHSCORES'),
      cmd('GEORADIUSBYMEMBER_RO', 'Sicily', 'Catania', '200', 'km', 'WITHHASH'),
      cmd('GEORADIUSBYMEMBER_RO', 'Sicily', 'Catania', '200', 'km', 'STOREDIST', 'x'),
      cmd('SET', 'str', 'x'),
      cmd('GEORADIUS', 'str', '15', '37', '200', 'km'),
      cmd('GEORADIUSBYMEMBER', 'str', 'a', '200', 'km'),
    ],
    digest: ['Sicily', 'd2', 'd3', 'bm'],
  },
  {
    name: 'GEOSEARCH and GEOSEARCHSTORE',
    steps: [
      cmd('GEOADD', 'Sicily', ...SICILY, ...MORE),
      cmd('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'),
      cmd(
        'GEOSEARCH',
        'Sicily',
        'FROMLONLAT',
        '15',
        '37',
        'BYBOX',
        '400',
        '400',
        'km',
        'ASC',
        'WITHCOORD',
        'WITHDIST',
        'WITHHASH',
      ),
      cmd(
        'GEOSEARCH',
        'Sicily',
        'FROMMEMBER',
        'Palermo',
        'BYBOX',
        '200',
        '100',
        'km',
        'DESC',
        'WITHDIST',
      ),
      cmd(
        'GEOSEARCH',
        'Sicily',
        'FROMMEMBER',
        'Palermo',
        'BYRADIUS',
        '300',
        'km',
        'COUNT',
        '2',
        'ANY',
      ),
      cmd('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '0', '0', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'BYRADIUS', '10', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo'),
      cmd(
        'geosearch',
        'Sicily',
        'FROMMEMBER',
        'Palermo',
        'FROMLONLAT',
        '1',
        '1',
        'BYRADIUS',
        '1',
        'km',
      ),
      cmd(
        'GEOSEARCH',
        'Sicily',
        'FROMMEMBER',
        'Palermo',
        'BYRADIUS',
        '1',
        'km',
        'BYBOX',
        '1',
        '1',
        'km',
      ),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '-1', '1', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 'x', '1', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', 'y', 'km'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'yd'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STORE', 'x'),
      cmd('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km', 'STOREDIST'),
      cmd('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ANY'),
      cmd('GEOSEARCH', 'nokey', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'),
      cmd('GEOSEARCH', 'nokey', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'),
      cmd('GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'),
      cmd('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'),
      encoding('dst'),
      cmd(
        'GEOSEARCHSTORE',
        'dst2',
        'Sicily',
        'FROMLONLAT',
        '15',
        '37',
        'BYBOX',
        '400',
        '400',
        'km',
        'STOREDIST',
        'DESC',
        'COUNT',
        '3',
      ),
      cmd('ZRANGE', 'dst2', '0', '-1', 'WITHSCORES'),
      cmd(
        'GEOSEARCHSTORE',
        'dst2',
        'Sicily',
        'FROMLONLAT',
        '15',
        '37',
        'BYRADIUS',
        '200',
        'km',
        'WITHDIST',
      ),
      cmd('GEOSEARCHSTORE', 'dst2', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'),
      cmd('EXISTS', 'dst2'),
      cmd('GEOSEARCHSTORE', 'dst', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'),
      cmd('EXISTS', 'dst'),
      cmd(
        'GEOSEARCHSTORE',
        'dst',
        'Sicily',
        'FROMLONLAT',
        '15',
        '37',
        'BYRADIUS',
        '200',
        'km',
        'STORE',
        'x',
      ),
      cmd('CONFIG', 'SET', 'zset-max-listpack-entries', '1'),
      cmd('GEOSEARCHSTORE', 'big', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '2000', 'km'),
      encoding('big'),
      cmd('CONFIG', 'SET', 'zset-max-listpack-entries', '128'),
      cmd('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '2000', 'km', 'WITHDIST'),
      cmd('SET', 'str', 'x'),
      cmd('GEOSEARCH', 'str', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'),
      cmd('GEOSEARCHSTORE', 'dst', 'str', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'),
    ],
    digest: ['Sicily', 'dst', 'big'],
  },
  {
    name: 'poles, antimeridian and large radii',
    steps: [
      cmd(
        'GEOADD',
        'w',
        '179.9',
        '0',
        'e1',
        '-179.9',
        '0',
        'w1',
        '179.99',
        '85',
        'ne',
        '-179.99',
        '-85',
        'sw',
        '0',
        '84.9',
        'n',
        '0',
        '-84.9',
        's',
        '-0.0001',
        '0.0001',
        'o',
      ),
      cmd('GEORADIUS', 'w', '180', '0', '50', 'km', 'WITHDIST', 'ASC'),
      cmd('GEORADIUS', 'w', '0', '85', '100', 'km', 'WITHDIST', 'ASC'),
      cmd('GEORADIUS', 'w', '0', '-85', '500', 'km', 'WITHDIST', 'ASC'),
      cmd('GEORADIUS', 'w', '0', '0', '5000', 'km', 'WITHDIST', 'ASC'),
      cmd('GEORADIUS', 'w', '0', '0', '20000', 'km', 'WITHDIST', 'ASC'),
      cmd(
        'GEOSEARCH',
        'w',
        'FROMLONLAT',
        '179',
        '70',
        'BYBOX',
        '3000',
        '4000',
        'km',
        'WITHDIST',
        'ASC',
      ),
      cmd(
        'GEOSEARCH',
        'w',
        'FROMLONLAT',
        '-179',
        '-70',
        'BYBOX',
        '3000',
        '4000',
        'km',
        'WITHDIST',
        'ASC',
      ),
      cmd('GEOSEARCH', 'w', 'FROMMEMBER', 'o', 'BYRADIUS', '100', 'm', 'WITHDIST', 'WITHCOORD'),
      cmd('GEODIST', 'w', 'e1', 'w1', 'km'),
      cmd('GEODIST', 'w', 'ne', 'sw'),
      cmd('GEOPOS', 'w', 'e1', 'w1', 'ne', 'sw', 'n', 's', 'o'),
    ],
    digest: ['w'],
  },
];

/** Members at equal distances: COUNT below the matches goes through Redis's partial quicksort. */
function tieSteps(): Script['steps'] {
  const few = Array.from({ length: 9 }, (_, i) => ['0', '0', `t${i}`]).flat();
  const many = Array.from({ length: 60 }, (_, i) => [String((i % 3) * 0.001), '0', `u${i}`]).flat();
  const steps = [cmd('GEOADD', 'ties', ...few, '10', '40', 'far'), cmd('GEOADD', 'many', ...many)];
  for (const count of ['1', '2', '3', '5', '8', '9', '10']) {
    steps.push(cmd('GEORADIUS', 'ties', '0', '0', '4564', 'km', 'COUNT', count));
    steps.push(cmd('GEORADIUS', 'ties', '0', '0', '4564', 'km', 'COUNT', count, 'DESC'));
  }
  for (const count of ['1', '7', '8', '20', '41', '59', '60']) {
    steps.push(
      cmd('GEOSEARCH', 'many', 'FROMLONLAT', '0.001', '0', 'BYRADIUS', '1', 'km', 'COUNT', count),
    );
    steps.push(
      cmd(
        'GEOSEARCH',
        'many',
        'FROMLONLAT',
        '0',
        '0',
        'BYRADIUS',
        '1',
        'km',
        'COUNT',
        count,
        'DESC',
      ),
    );
  }
  steps.push(
    cmd(
      'GEOSEARCHSTORE',
      'st',
      'many',
      'FROMLONLAT',
      '0',
      '0',
      'BYRADIUS',
      '1',
      'km',
      'COUNT',
      '10',
      'STOREDIST',
    ),
  );
  steps.push(cmd('ZRANGE', 'st', '0', '-1', 'WITHSCORES'));
  return steps;
}

describeCollectionDiff('GEO against redis-server 7.0.15', 'zset', [
  ...SCRIPTS,
  { name: 'ties under COUNT (partial quicksort)', steps: tieSteps(), digest: ['st'] },
]);

const RUNS = Number(process.env['REPLISIM_GEO_RUNS'] ?? '8');

describe('GEO properties against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('random points: GEOSEARCH and GEORADIUS replies are equal', async () => {
    const lon = fc.double({ min: -180, max: 180, noNaN: true });
    const lat = fc.double({ min: -85.05112878, max: 85.05112878, noNaN: true });
    const near = fc.tuple(
      fc.double({ min: 10, max: 12, noNaN: true }),
      fc.double({ min: 40, max: 42, noNaN: true }),
    );
    const point = fc.oneof(fc.tuple(lon, lat), near);
    const unit = fc.constantFrom('m', 'km', 'mi', 'ft');
    const radius = fc.oneof(
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 20_000_000 }),
    );
    const options = fc.subarray(['WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'], { minLength: 0 });
    const query = fc.oneof(
      fc
        .tuple(point, radius, unit, options)
        .map(([[x, y], r, u, o]) => [
          'GEOSEARCH',
          'g',
          'FROMLONLAT',
          String(x),
          String(y),
          'BYRADIUS',
          String(r),
          u,
          ...o,
        ]),
      fc
        .tuple(point, radius, radius, unit, options)
        .map(([[x, y], w, h, u, o]) => [
          'GEOSEARCH',
          'g',
          'FROMLONLAT',
          String(x),
          String(y),
          'BYBOX',
          String(w),
          String(h),
          u,
          ...o,
        ]),
      fc
        .tuple(fc.integer({ min: 0, max: 29 }), radius, unit, options)
        .map(([m, r, u, o]) => ['GEORADIUSBYMEMBER', 'g', `m${m}`, String(r), u, ...o]),
      fc
        .tuple(point, radius, unit, fc.integer({ min: 1, max: 5 }))
        .map(([[x, y], r, u, c]) => [
          'GEORADIUS',
          'g',
          String(x),
          String(y),
          String(r),
          u,
          'WITHDIST',
          'COUNT',
          String(c),
        ]),
    );
    const ports = { redis: servers().redis.port, replisim: servers().replisim.port };
    await fc.assert(
      fc.asyncProperty(
        fc.array(point, { minLength: 1, maxLength: 30 }),
        fc.array(query, { minLength: 1, maxLength: 15 }),
        async (points, queries) => {
          await flushBoth(ports);
          const redis = await RawClient.connect(ports.redis);
          const ours = await RawClient.connect(ports.replisim);
          try {
            const add = [
              'GEOADD',
              'g',
              ...points.flatMap(([x, y], i) => [String(x), String(y), `m${i}`]),
            ];
            for (const argv of [
              add,
              ...queries,
              ['GEOPOS', 'g', 'm0', 'm1'],
              ['GEOHASH', 'g', 'm0'],
            ]) {
              const expected = await redis.call(...argv);
              const actual = await ours.call(...argv);
              expect(actual.bytes.toString('latin1'), argv.join(' ')).toBe(
                expected.bytes.toString('latin1'),
              );
            }
          } finally {
            redis.close();
            ours.close();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('GEO propagation against redis-server 7.0.15', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });

  it('propagates GEOADD as ZADD and the stores as received', async () => {
    const streams = await expectSamePropagation(servers(), [
      ['GEOADD', 'Sicily', 'CH', ...SICILY],
      ['GEOADD', 'Sicily', 'NX', ...SICILY],
      ['GEOADD', 'Sicily', 'XX', '13', '38', 'Palermo'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd1'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'd2'],
      ['GEOSEARCHSTORE', 'd3', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
      ['GEOSEARCHSTORE', 'd3', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCHSTORE', 'd3', 'Sicily', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd1'],
      ['SET', 'done', '1'],
    ]);
    expect(streams.redis.some((argv) => argv[0]?.toUpperCase() === 'ZADD')).toBe(true);
  });
});
