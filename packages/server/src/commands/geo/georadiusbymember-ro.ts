/**
 * GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
 * [COUNT count [ANY]] [ASC|DESC]
 *
 * A search of the GEO index at the source key; the whole behaviour (order of checks, errors,
 * reply shapes, STORE) is geo-search.ts.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { geoSearch } from './geo-search.js';

export const georadiusbymemberRo: Command = defineCommand<readonly Buffer[]>({
  name: 'georadiusbymember_ro',
  arity: -5,
  syntax:
    'key member radius:double unit:string [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count:integer [ANY]] [ASC|DESC]',
  flags: ['readonly'],
  aclCategories: ['@read', '@geo', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'A read-only variant for GEORADIUSBYMEMBER',
    since: '3.2.10',
    group: 'geo',
    complexity:
      'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => geoSearch(ctx, argv, 'bymember_ro'),
});
