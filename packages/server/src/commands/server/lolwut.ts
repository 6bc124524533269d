/**
 * LOLWUT [VERSION version] [arguments ...]
 *
 * Redis's computer art command. `VERSION v` (an integer; "ERR value is not an integer or out of
 * range" otherwise) picks the art of Redis v.x, else the server's own version picks it, as in
 * lolwut.c: 5 draws Schotter (lolwut/lolwut5.ts), 6 the skyline (lolwut/lolwut6.ts), anything
 * else (7 included, so plain LOLWUT) only the line "Redis ver. <version>". The version shown is
 * the one replisim reports in INFO (REDIS_VERSION, 7.0.15), so the text matches Redis's. Replied
 * as verbatim text (a bulk string in RESP2). Size arguments that are not integers fail like
 * VERSION; values out of range are clamped, not refused.
 */
import { REDIS_VERSION } from '../../node.js';
import { isKeyword, NOT_INTEGER, parseInt64 } from '../errors.js';
import { type Command, defineCommand, type ErrorReply, NO_KEYS } from '../types.js';
import { schotter } from './lolwut/lolwut5.js';
import { skyline } from './lolwut/lolwut6.js';

interface LolwutArgs {
  /** The major version whose art is drawn. */
  readonly major: number;
  /** The art's own arguments, as integers (after VERSION v). */
  readonly sizes: readonly bigint[];
}

function clamp(value: bigint | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  return Number(value < 1n ? 1n : value > BigInt(max) ? BigInt(max) : value);
}

function parseLolwut(argv: readonly Buffer[]): LolwutArgs | ErrorReply {
  let rest = argv.slice(1);
  let version = REDIS_VERSION;
  if (argv.length >= 3 && isKeyword(argv[1], 'version')) {
    const asked = parseInt64(argv[2]);
    if (asked === undefined) return NOT_INTEGER;
    // snprintf("%u.0.0", (unsigned int)ver): the low 32 bits, unsigned.
    version = `${BigInt.asUintN(32, asked)}.0.0`;
    rest = argv.slice(3);
  }
  const [major, minor] = version.split('.');
  const isFive = (major === '5' && minor?.[0] !== '9') || (major === '4' && minor?.[0] === '9');
  const isSix = (major === '6' && minor?.[0] !== '9') || (major === '5' && minor?.[0] === '9');
  const art = isFive ? 5 : isSix ? 6 : 0;
  const sizes: bigint[] = [];
  // lolwut5 reads up to three integers and lolwut6 two; other arguments are ignored.
  for (const arg of rest.slice(0, art === 5 ? 3 : art === 6 ? 2 : 0)) {
    const value = parseInt64(arg);
    if (value === undefined) return NOT_INTEGER;
    sizes.push(value);
  }
  return { major: art, sizes };
}

export const lolwut: Command = defineCommand<LolwutArgs>({
  name: 'lolwut',
  arity: -1,
  syntax: '[VERSION version:integer]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@fast'],
  keys: NO_KEYS,
  doc: {
    summary: 'Display some computer art and the Redis version',
    since: '5.0.0',
    group: 'server',
    complexity: '',
  },
  parse: parseLolwut,
  execute(ctx, { major, sizes }) {
    const random = ctx.node.env.random;
    let art: Buffer;
    if (major === 5) {
      const size = {
        columns: clamp(sizes[0], 66, 1000),
        perRow: clamp(sizes[1], 8, 200),
        perColumn: clamp(sizes[2], 12, 200),
      };
      art = schotter(size, random, REDIS_VERSION);
    } else if (major === 6) {
      art = skyline(clamp(sizes[0], 80, 1000), clamp(sizes[1], 20, 1000), random, REDIS_VERSION);
    } else {
      art = Buffer.from(`Redis ver. ${REDIS_VERSION}\n`, 'latin1');
    }
    ctx.reply.verbatim(art.toString('latin1'));
    return undefined;
  },
});
