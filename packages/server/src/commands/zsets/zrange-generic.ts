/**
 * The one range engine behind ZRANGE, ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX and ZREVRANGEBYLEX, as Redis 7.0's zrangeGenericCommand: each command fixes some of
 * (range type, direction) and leaves the rest to the BYSCORE/BYLEX/REV options.
 *
 * Parsing follows Redis's order exactly, because the first error wins: options left to right
 * (WITHSCORES, LIMIT offset count, REV, BYLEX, BYSCORE; anything else or a repeated by-option is a
 * syntax error; a bad LIMIT number is "not an integer"), then the conflicts (LIMIT with a rank
 * range, WITHSCORES with BYLEX), then the range itself ("min or max is not a float" / "... not
 * valid string range item"). Only then is the key looked up, so a WRONGTYPE comes last. With REV,
 * score and lex ranges are given max first.
 *
 * The reply is an array (see replyEntries for WITHSCORES); the store variant writes the result to
 * the destination (deleting it when the result is empty) and replies its size.
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import {
  BAD_LEX_RANGE,
  BAD_SCORE_RANGE,
  type LexRange,
  parseLexRange,
  parseScoreRange,
  type ScoreRange,
} from './score.js';
import {
  lexRanks,
  rankWindow,
  replyEntries,
  scoreRanks,
  sliceRanks,
  storeZSet,
} from './zset-common.js';

type RangeType = 'rank' | 'score' | 'lex';
type Direction = 'forward' | 'reverse';

/** What a command fixes; `undefined` leaves it to the options. */
export interface RangeVariant {
  /** Index of the source key: 1, or 2 for ZRANGESTORE (argv[1] is the destination). */
  readonly keyIndex: 1 | 2;
  readonly type: RangeType | undefined;
  readonly direction: Direction | undefined;
}

type Range =
  | { readonly type: 'rank'; readonly start: bigint; readonly end: bigint }
  | { readonly type: 'score'; readonly range: ScoreRange }
  | { readonly type: 'lex'; readonly range: LexRange };

export interface RangeArgs {
  readonly destination: string | undefined;
  readonly key: string;
  readonly range: Range;
  readonly reverse: boolean;
  readonly withScores: boolean;
  readonly offset: number;
  readonly limit: number;
}

const LIMIT_NEEDS_BY = new ErrorReply(
  'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
);
const WITHSCORES_BYLEX = new ErrorReply(
  'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
);

export function parseRange(argv: readonly Buffer[], variant: RangeVariant): RangeArgs | ErrorReply {
  const store = variant.keyIndex === 2;
  let type = variant.type;
  let direction = variant.direction;
  let withScores = false;
  let offset = 0n;
  let limit = -1n;
  for (let j = variant.keyIndex + 3; j < argv.length; j++) {
    const arg = argv[j];
    const left = argv.length - j - 1;
    if (!store && isKeyword(arg, 'withscores')) {
      withScores = true;
    } else if (isKeyword(arg, 'limit') && left >= 2) {
      const parsedOffset = parseInt64(argv[j + 1]);
      const parsedLimit = parsedOffset === undefined ? undefined : parseInt64(argv[j + 2]);
      if (parsedOffset === undefined || parsedLimit === undefined) return NOT_INTEGER;
      offset = parsedOffset;
      limit = parsedLimit;
      j += 2;
    } else if (direction === undefined && isKeyword(arg, 'rev')) {
      direction = 'reverse';
    } else if (type === undefined && isKeyword(arg, 'bylex')) {
      type = 'lex';
    } else if (type === undefined && isKeyword(arg, 'byscore')) {
      type = 'score';
    } else {
      return SYNTAX_ERROR;
    }
  }
  const rangeType = type ?? 'rank';
  const reverse = direction === 'reverse';
  if (limit !== -1n && rangeType === 'rank') return LIMIT_NEEDS_BY;
  if (withScores && rangeType === 'lex') return WITHSCORES_BYLEX;
  const first = argv[variant.keyIndex + 1] ?? Buffer.alloc(0);
  const second = argv[variant.keyIndex + 2] ?? Buffer.alloc(0);
  // Score and lex ranges come max first when reversed.
  const [low, high] = reverse && rangeType !== 'rank' ? [second, first] : [first, second];
  let range: Range;
  if (rangeType === 'rank') {
    const start = parseInt64(low);
    const end = start === undefined ? undefined : parseInt64(high);
    if (start === undefined || end === undefined) return NOT_INTEGER;
    range = { type: 'rank', start, end };
  } else if (rangeType === 'score') {
    const parsed = parseScoreRange(low, high);
    if (parsed === undefined) return BAD_SCORE_RANGE;
    range = { type: 'score', range: parsed };
  } else {
    const parsed = parseLexRange(low, high);
    if (parsed === undefined) return BAD_LEX_RANGE;
    range = { type: 'lex', range: parsed };
  }
  return {
    destination: store ? keyOf(argv[1]) : undefined,
    key: keyOf(argv[variant.keyIndex]),
    range,
    reverse,
    withScores,
    offset: Number(offset),
    limit: Number(limit),
  };
}

export function executeRange(ctx: CommandContext, args: RangeArgs): ErrorReply | undefined {
  const zset = lookupRead(ctx, args.key, 'zset');
  if (zset instanceof ErrorReply) return zset;
  let entries: ReturnType<typeof sliceRanks> = [];
  if (zset !== undefined) {
    const set = zset.value;
    const range = args.range;
    if (range.type === 'rank') {
      const window = rankWindow(set.size, range.start, range.end);
      if (window !== undefined) {
        const [first, last] = args.reverse
          ? [set.size - 1 - window[1], set.size - 1 - window[0]]
          : window;
        entries = set.range(first, last);
        if (args.reverse) entries.reverse();
      }
    } else {
      const ranks =
        range.type === 'score' ? scoreRanks(set, range.range) : lexRanks(set, range.range);
      entries = sliceRanks(set, ranks, args.offset, args.limit, args.reverse);
    }
  }
  if (args.destination !== undefined) {
    ctx.reply.integer(storeZSet(ctx, args.destination, entries));
  } else {
    replyEntries(ctx.reply, entries, args.withScores);
  }
  return undefined;
}
