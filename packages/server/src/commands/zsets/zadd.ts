/**
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
 *
 * Adds members or updates their scores. Replies the number of members added (with CH: added plus
 * updated); with INCR (one pair only), the member's new score as a double, or null when NX, XX, GT
 * or LT prevented the change. ZINCRBY runs the same code (zaddGenericCommand with INCR).
 *
 * Order of checks as in Redis 7.0: options are read up to the first word that is not one, then the
 * pairs must be complete ("syntax error"), then NX+XX, then GT/LT/NX, then INCR with several
 * pairs, then every score is parsed ("value is not a valid float") before the key is even looked
 * up, so an error leaves the set untouched. An increment that produces NaN (inf + -inf) is "resulting
 * score is not a number (NaN)". Propagated as received (t_zset.c does not rewrite ZADD).
 */
import { SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { NAN_SCORE, NOT_FLOAT, parseScore } from './score.js';
import { newZSet, zsetPut } from './zset-common.js';

export interface ZAddArgs {
  readonly key: string;
  readonly nx: boolean;
  readonly xx: boolean;
  readonly gt: boolean;
  readonly lt: boolean;
  readonly ch: boolean;
  readonly incr: boolean;
  readonly pairs: readonly { readonly score: number; readonly member: string }[];
}

const NX_XX = new ErrorReply('ERR XX and NX options at the same time are not compatible');
const GT_LT_NX = new ErrorReply(
  'ERR GT, LT, and/or NX options at the same time are not compatible',
);
const INCR_PAIRS = new ErrorReply('ERR INCR option supports a single increment-element pair');

const OPTIONS = ['nx', 'xx', 'ch', 'incr', 'gt', 'lt'] as const;
type ZAddOption = (typeof OPTIONS)[number];

/** zaddGenericCommand's argument handling; `incr` is set for ZINCRBY. */
export function parseZAdd(argv: readonly Buffer[], incr: boolean): ZAddArgs | ErrorReply {
  const seen = new Set<ZAddOption>(incr ? ['incr'] : []);
  let scoreIndex = 2;
  for (; scoreIndex < argv.length; scoreIndex++) {
    const word = (argv[scoreIndex] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    const option = OPTIONS.find((name) => name === word);
    if (option === undefined) break;
    seen.add(option);
  }
  const elements = argv.length - scoreIndex;
  if (elements === 0 || elements % 2 !== 0) return SYNTAX_ERROR;
  const has = (option: ZAddOption): boolean => seen.has(option);
  if (has('nx') && has('xx')) return NX_XX;
  if ((has('gt') && has('nx')) || (has('lt') && has('nx')) || (has('gt') && has('lt'))) {
    return GT_LT_NX;
  }
  if (has('incr') && elements > 2) return INCR_PAIRS;
  const pairs: { score: number; member: string }[] = [];
  for (let j = scoreIndex; j < argv.length; j += 2) {
    const score = parseScore(argv[j]);
    if (score === undefined) return NOT_FLOAT;
    pairs.push({ score, member: keyOf(argv[j + 1]) });
  }
  return {
    key: keyOf(argv[1]),
    nx: has('nx'),
    xx: has('xx'),
    gt: has('gt'),
    lt: has('lt'),
    ch: has('ch'),
    incr: has('incr'),
    pairs,
  };
}

/** zsetAdd's decision for one pair: the score to store, 'nop', or 'nan'. */
function decide(
  args: ZAddArgs,
  current: number | undefined,
  score: number,
): number | 'nop' | 'nan' {
  if (current === undefined) return args.xx ? 'nop' : score;
  if (args.nx) return 'nop';
  const next = args.incr ? current + score : score;
  if (Number.isNaN(next)) return 'nan';
  if ((args.lt && next >= current) || (args.gt && next <= current)) return 'nop';
  return next;
}

export function executeZAdd(ctx: CommandContext, args: ZAddArgs): ErrorReply | undefined {
  const found = lookupWrite(ctx, args.key, 'zset');
  if (found instanceof ErrorReply) return found;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  let failure: ErrorReply | undefined;
  let zset = found;
  if (zset === undefined && !args.xx) {
    zset = newZSet();
    ctx.db.set(args.key, zset);
  }
  if (zset !== undefined) {
    for (const { score, member } of args.pairs) {
      const current = zset.value.score(member);
      const next = decide(args, current, score);
      if (next === 'nan') {
        failure = NAN_SCORE;
        break;
      }
      if (next === 'nop') continue;
      processed++;
      lastScore = next;
      if (current === undefined) added++;
      else if (next !== current) updated++;
      // The reply is the computed score even where a listpack stores -0 as 0.
      zsetPut(zset, member, next, ctx.node.config);
    }
  }
  if (added + updated > 0) ctx.modified(args.key, added + updated);
  if (failure !== undefined) return failure;
  if (args.incr) {
    if (processed > 0) ctx.reply.double(lastScore);
    else ctx.reply.nullBulk();
  } else {
    ctx.reply.integer(args.ch ? added + updated : added);
  }
  return undefined;
}

export const zadd: Command = defineCommand<ZAddArgs>({
  name: 'zadd',
  arity: -4,
  syntax: 'key [NX|XX] [GT|LT] [CH] [INCR] score:double member [score:double member ...]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    since: '1.2.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  },
  parse: (argv) => parseZAdd(argv, false),
  execute: executeZAdd,
});
