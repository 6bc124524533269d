/**
 * The shared body of ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX (t_zset.c
 * zremrangeGenericCommand): the range is parsed before the key is looked up (so a bad range wins
 * over WRONGTYPE), the members in it are removed, the key is deleted if it became empty, and the
 * reply is the number removed. Propagated as received.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import {
  BAD_LEX_RANGE,
  BAD_SCORE_RANGE,
  type LexRange,
  parseLexRange,
  parseScoreRange,
  type ScoreRange,
} from './score.js';
import { lexRanks, rankWindow, scoreRanks } from './zset-common.js';

type RemoveRange =
  | { readonly type: 'rank'; readonly start: bigint; readonly end: bigint }
  | { readonly type: 'score'; readonly range: ScoreRange }
  | { readonly type: 'lex'; readonly range: LexRange };

export interface ZRemRangeArgs {
  readonly key: string;
  readonly range: RemoveRange;
}

export function parseZRemRange(
  argv: readonly Buffer[],
  type: RemoveRange['type'],
): ZRemRangeArgs | ErrorReply {
  const key = keyOf(argv[1]);
  const min = argv[2] ?? Buffer.alloc(0);
  const max = argv[3] ?? Buffer.alloc(0);
  if (type === 'rank') {
    const start = parseInt64(min);
    const end = start === undefined ? undefined : parseInt64(max);
    if (start === undefined || end === undefined) return NOT_INTEGER;
    return { key, range: { type, start, end } };
  }
  if (type === 'score') {
    const range = parseScoreRange(min, max);
    return range === undefined ? BAD_SCORE_RANGE : { key, range: { type, range } };
  }
  const range = parseLexRange(min, max);
  return range === undefined ? BAD_LEX_RANGE : { key, range: { type, range } };
}

export function executeZRemRange(ctx: CommandContext, args: ZRemRangeArgs): ErrorReply | undefined {
  const zset = lookupWrite(ctx, args.key, 'zset');
  if (zset instanceof ErrorReply) return zset;
  if (zset === undefined) {
    ctx.reply.integer(0);
    return undefined;
  }
  const set = zset.value;
  const range = args.range;
  let first = 0;
  let last = -1;
  if (range.type === 'rank') {
    const window = rankWindow(set.size, range.start, range.end);
    if (window !== undefined) [first, last] = window;
  } else {
    const [start, end] =
      range.type === 'score' ? scoreRanks(set, range.range) : lexRanks(set, range.range);
    [first, last] = [start, end - 1];
  }
  const doomed = last >= first ? set.range(first, last) : [];
  for (const entry of doomed) set.remove(entry.member);
  if (doomed.length > 0) {
    if (set.size === 0) ctx.db.delete(args.key);
    ctx.modified(args.key, doomed.length);
  }
  ctx.reply.integer(doomed.length);
  return undefined;
}
