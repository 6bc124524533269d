/**
 * GEOPOS key [member ...]
 *
 * Each member's position as [longitude, latitude] (the centre of its 52-bit cell, printed as
 * Redis's human long doubles: bulk strings in RESP2, doubles in RESP3), or a null array for a
 * missing member or key.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { replyCoordinate } from './geo-reply.js';
import { decodeScore } from './geohash.js';

export const geopos: Command = defineCommand<readonly Buffer[]>({
  name: 'geopos',
  arity: -2,
  syntax: 'key [member [member ...]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@geo', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Returns longitude and latitude of members of a geospatial index',
    since: '3.2.0',
    group: 'geo',
    complexity: 'O(N) where N is the number of members requested.',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const zset = lookupRead(ctx, keyOf(argv[1]), 'zset');
    if (zset instanceof ErrorReply) return zset;
    ctx.reply.arrayHeader(argv.length - 2);
    for (const member of argv.slice(2)) {
      const score = zset?.value.score(keyOf(member));
      if (score === undefined) {
        ctx.reply.nullArray();
        continue;
      }
      const [x, y] = decodeScore(score);
      ctx.reply.arrayHeader(2);
      replyCoordinate(ctx.reply, x);
      replyCoordinate(ctx.reply, y);
    }
    return undefined;
  },
});
