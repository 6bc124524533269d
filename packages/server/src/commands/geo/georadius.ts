/**
 * GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
 * [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key]
 *
 * A search of the GEO index at the source key; the whole behaviour (order of checks, errors,
 * reply shapes, STORE) is geo-search.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { geoSearch, radiusKeyFlags, radiusKeyIndexes } from './geo-search.js';

export const georadius: Command = defineCommand<readonly Buffer[]>({
  name: 'georadius',
  arity: -6,
  syntax:
    'key longitude:double latitude:double radius:double unit:string [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count:integer [ANY]] [ASC|DESC] [STORE key|STOREDIST key]',
  flags: ['write', 'denyoom', 'movablekeys'],
  aclCategories: ['@write', '@geo', '@slow'],
  keys: ONE_KEY,
  keyIndexes: radiusKeyIndexes,
  keyFlags: radiusKeyFlags,
  doc: {
    summary:
      'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
    since: '3.2.0',
    group: 'geo',
    complexity:
      'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => geoSearch(ctx, argv, 'radius'),
});
