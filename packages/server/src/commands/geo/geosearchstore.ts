/**
 * GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude
 * BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]]
 * [STOREDIST]
 *
 * A search of the GEO index at the source key; the whole behaviour (order of checks, errors,
 * reply shapes, STORE) is geo-search.ts.
 */
import { type Command, defineCommand } from '../types.js';
import { geoSearch } from './geo-search.js';

export const geosearchstore: Command = defineCommand<readonly Buffer[]>({
  name: 'geosearchstore',
  arity: -8,
  syntax:
    'destination:key source:key [FROMMEMBER member] [FROMLONLAT longitude:double latitude:double] [BYRADIUS radius:double unit:string] [BYBOX width:double height:double unit:string] [ASC|DESC] [COUNT count:integer [ANY]] [STOREDIST]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@geo', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  keyFlags: (index) => (index === 1 ? ['OW', 'update'] : ['RO', 'access']),
  doc: {
    summary:
      'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
    since: '6.2.0',
    group: 'geo',
    complexity:
      'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => geoSearch(ctx, argv, 'searchstore'),
});
