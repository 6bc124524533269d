/**
 * GEODIST key member1 member2 [M|KM|FT|MI]
 *
 * The distance between two members of the GEO index, in the unit asked (meters by default), as a
 * bulk string with four decimals. Order of checks as geodistCommand: the unit ("unsupported unit
 * provided. please use M, KM, FT, MI"; more arguments are a syntax error), then the key (a missing
 * key replies null, another type WRONGTYPE), then both members (null if either is missing).
 */
import { SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { parseUnit } from './geo-args.js';
import { replyDistance } from './geo-reply.js';
import { decodeScore, distance } from './geohash.js';

export const geodist: Command = defineCommand<readonly Buffer[]>({
  name: 'geodist',
  arity: -4,
  syntax: 'key member1 member2 [M|KM|FT|MI]',
  flags: ['readonly'],
  aclCategories: ['@read', '@geo', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Returns the distance between two members of a geospatial index',
    since: '3.2.0',
    group: 'geo',
    complexity: 'O(log(N))',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    let toMeter = 1;
    if (argv.length === 5) {
      const unit = parseUnit(argv[4]);
      if (unit instanceof ErrorReply) return unit;
      toMeter = unit;
    } else if (argv.length > 5) {
      return SYNTAX_ERROR;
    }
    const zset = lookupRead(ctx, keyOf(argv[1]), 'zset');
    if (zset === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    if (zset instanceof ErrorReply) return zset;
    const score1 = zset.value.score(keyOf(argv[2]));
    const score2 = zset.value.score(keyOf(argv[3]));
    if (score1 === undefined || score2 === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    const [x1, y1] = decodeScore(score1);
    const [x2, y2] = decodeScore(score2);
    replyDistance(ctx.reply, distance(x1, y1, x2, y2) / toMeter);
    return undefined;
  },
});
