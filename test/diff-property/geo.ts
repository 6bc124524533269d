/**
 * GEO (geo.c): GEOADD of points near each other (so searches find several) or anywhere, with
 * NX/XX/CH and out-of-range pairs; GEODIST, GEOPOS, GEOHASH; GEOSEARCH by radius or box with the
 * WITH* options, COUNT and ASC/DESC; GEORADIUSBYMEMBER; GEOSEARCHSTORE into a shared key. GEO
 * indexes are sorted sets, so the zset family's keys and commands mix with them.
 */
import * as fc from 'fast-check';
import { command, entry, type Family, key, member } from './model.js';

const near = fc.tuple(
  fc.double({ min: 2, max: 2.5, noNaN: true }),
  fc.double({ min: 48, max: 48.5, noNaN: true }),
);
const anywhere = fc.tuple(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: -85.05112878, max: 85.05112878, noNaN: true }),
);
const point: fc.Arbitrary<[string, string]> = fc
  .oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: anywhere })
  .map(([x, y]) => [String(x), String(y)]);
const badPoint: fc.Arbitrary<[string, string]> = fc.constantFrom(
  ['181', '0'],
  ['0', '86'],
  ['x', '1'],
);
const unit = fc.constantFrom('m', 'km', 'mi', 'ft', 'KM');
const radius = fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constantFrom(1000, 20000)).map(String);
const withs = fc.subarray(['WITHDIST', 'WITHCOORD', 'WITHHASH']);
const order = fc.constantFrom(
  [],
  ['ASC'],
  ['DESC'],
  ['COUNT', '2'],
  ['COUNT', '1', 'ANY'],
  ['COUNT', '3', 'DESC'],
);
const flags = fc
  .subarray(['NX', 'XX', 'CH'])
  .filter((f) => !(f.includes('NX') && f.includes('XX')));

export const GEO: Family = {
  name: 'geo',
  core: ['geoadd', 'geosearch', 'geopos'],
  entries: [
    entry(
      'geoadd',
      4,
      fc.tuple(
        key,
        flags,
        fc.array(
          fc.tuple(
            fc.oneof({ weight: 9, arbitrary: point }, { weight: 1, arbitrary: badPoint }),
            member,
          ),
          { minLength: 1, maxLength: 4 },
        ),
      ),
      ([k, f, items]) => command(['GEOADD', k, ...f, ...items.flatMap(([[x, y], m]) => [x, y, m])]),
    ),
    entry('geodist', 1, fc.tuple(key, member, member, unit), ([k, a, b, u]) =>
      command(['GEODIST', k, a, b, u]),
    ),
    entry('geopos', 1, fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })), ([k, ms]) =>
      command(['GEOPOS', k, ...ms]),
    ),
    entry(
      'geohash',
      1,
      fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })),
      ([k, ms]) => command(['GEOHASH', k, ...ms]),
    ),
    entry(
      'geosearch',
      3,
      fc.tuple(key, point, fc.boolean(), radius, radius, unit, withs, order),
      ([k, [x, y], box, r1, r2, u, w, o]) =>
        command([
          'GEOSEARCH',
          k,
          'FROMLONLAT',
          x,
          y,
          ...(box ? ['BYBOX', r1, r2, u] : ['BYRADIUS', r1, u]),
          ...w,
          ...o,
        ]),
    ),
    entry(
      'georadiusbymember',
      1,
      fc.tuple(key, member, radius, unit, withs, order),
      ([k, m, r, u, w, o]) => command(['GEORADIUSBYMEMBER', k, m, r, u, ...w, ...o]),
    ),
    entry(
      'geosearchstore',
      1,
      fc.tuple(key, key, member, radius, unit, fc.boolean()),
      ([d, k, m, r, u, dist]) =>
        command([
          'GEOSEARCHSTORE',
          d,
          k,
          'FROMMEMBER',
          m,
          'BYRADIUS',
          r,
          u,
          ...(dist ? ['STOREDIST'] : []),
        ]),
    ),
  ],
};
