/**
 * GEOHASH key [member ...]
 *
 * Each member's position as an 11-character standard geohash: the stored position is decoded and
 * re-encoded over the standard latitude range -90..90 (replisim, like Redis, indexes over
 * -85.05..85.05), 52 bits in base32, and an eleventh character that is always '0'. A missing
 * member (or key) gives a null.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { decodeScore, encodeStandard } from './geohash.js';

const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

export const geohash: Command = defineCommand<readonly Buffer[]>({
  name: 'geohash',
  arity: -2,
  syntax: 'key [member [member ...]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@geo', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Returns members of a geospatial index as standard geohash strings',
    since: '3.2.0',
    group: 'geo',
    complexity:
      'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const zset = lookupRead(ctx, keyOf(argv[1]), 'zset');
    if (zset instanceof ErrorReply) return zset;
    ctx.reply.arrayHeader(argv.length - 2);
    for (const member of argv.slice(2)) {
      const score = zset?.value.score(keyOf(member));
      if (score === undefined) {
        ctx.reply.nullBulk();
        continue;
      }
      const [x, y] = decodeScore(score);
      const bits = encodeStandard(x, y)?.bits ?? 0n;
      let text = '';
      for (let i = 0; i < 11; i++) {
        const index = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
        text += ALPHABET[index] ?? '0';
      }
      ctx.reply.bulk(Buffer.from(text, 'latin1'));
    }
    return undefined;
  },
});
