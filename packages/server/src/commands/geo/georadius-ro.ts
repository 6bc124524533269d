/**
 * GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
 * [COUNT count [ANY]] [ASC|DESC]   (STORE and STOREDIST are syntax errors)
 *
 * A search of the GEO index at the source key; the whole behaviour (order of checks, errors,
 * reply shapes, STORE) is geo-search.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { geoSearch } from './geo-search.js';

export const georadiusRo: Command = defineCommand<readonly Buffer[]>({
  name: 'georadius_ro',
  arity: -6,
  syntax:
    'key longitude:double latitude:double radius:double unit:string [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count:integer [ANY]] [ASC|DESC]',
  flags: ['readonly'],
  aclCategories: ['@read', '@geo', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'A read-only variant for GEORADIUS',
    since: '3.2.10',
    group: 'geo',
    complexity:
      'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => geoSearch(ctx, argv, 'radius_ro'),
});
