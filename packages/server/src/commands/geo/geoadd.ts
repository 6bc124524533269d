/**
 * GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
 *
 * Adds or moves members of the GEO index (a sorted set) at `key`: each position becomes the
 * member's score, its 52-bit geohash (geohash.ts). As Redis's geoaddCommand: options are read up
 * to the first word that is not NX, XX or CH; an incomplete triple or NX with XX is a syntax
 * error; every pair is checked ("invalid longitude,latitude pair ...") before anything is written;
 * then the command runs as ZADD key [options] score member ... and is propagated as that ZADD
 * (Redis replaces the command vector). Replies as ZADD: the members added (with CH, changed too).
 */
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { executeZAdd, parseZAdd } from '../zsets/zadd.js';
import { parseLonLat } from './geo-args.js';
import { align52, encodeWgs84, GEO_STEP_MAX } from './geohash.js';

export const geoadd: Command = defineCommand<readonly Buffer[]>({
  name: 'geoadd',
  arity: -5,
  syntax:
    'key [NX|XX] [CH] longitude:double latitude:double member [longitude:double latitude:double member ...]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@geo', '@slow'],
  keys: ONE_KEY,
  keyFlags: () => ['RW', 'update'],
  doc: {
    summary:
      'Add one or more geospatial items in the geospatial index represented using a sorted set',
    since: '3.2.0',
    group: 'geo',
    complexity:
      'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  },
  parse(argv) {
    let longIndex = 2;
    let nx = false;
    let xx = false;
    for (; longIndex < argv.length; longIndex++) {
      const arg = argv[longIndex];
      if (isKeyword(arg, 'nx')) nx = true;
      else if (isKeyword(arg, 'xx')) xx = true;
      else if (!isKeyword(arg, 'ch')) break;
    }
    if ((argv.length - longIndex) % 3 !== 0 || (xx && nx)) return SYNTAX_ERROR;
    const zaddArgv: Buffer[] = [Buffer.from('zadd'), ...argv.slice(1, longIndex)];
    for (let i = longIndex; i < argv.length; i += 3) {
      const xy = parseLonLat(argv[i], argv[i + 1]);
      if (xy instanceof ErrorReply) return xy;
      const hash = encodeWgs84(xy[0], xy[1], GEO_STEP_MAX) ?? { bits: 0n, step: GEO_STEP_MAX };
      zaddArgv.push(Buffer.from(align52(hash).toString()), argv[i + 2] ?? Buffer.alloc(0));
    }
    return zaddArgv;
  },
  execute(ctx, zaddArgv) {
    const args = parseZAdd(zaddArgv, false);
    if (args instanceof ErrorReply) return args;
    ctx.propagateAs(zaddArgv);
    return executeZAdd(ctx, args);
  },
});
