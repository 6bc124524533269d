/**
 * The shared body of ZUNION, ZINTER, ZDIFF, ZINTERCARD and their *STORE forms (t_zset.c
 * zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets (every member of a set
 * has score 1); a missing key is an empty input.
 *
 * Order of checks, as in Redis: numkeys ("not an integer", "at least 1 input key is needed for
 * '<command>' command", more keys than arguments is a syntax error), then every input key is looked
 * up (WRONGTYPE for anything but a set or sorted set), and only then the options: WEIGHTS (one per
 * key, "weight value is not a float"; not for ZDIFF/ZINTERCARD), AGGREGATE SUM|MIN|MAX, WITHSCORES
 * (not for the STORE forms), LIMIT (ZINTERCARD only, "LIMIT can't be negative").
 *
 * Arithmetic follows Redis so float results match bit for bit: union and intersection walk the
 * inputs sorted by size (a stable sort, like glibc's merge-sort qsort), a weighted score that is
 * NaN (inf * 0) becomes 0 for the first input, and a SUM that becomes NaN (inf + -inf) becomes 0.
 * The difference keeps the first input's scores, unweighted.
 */
import { compareScored, type ScoredMember } from '../../keyspace/sorted-set.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { parseScore } from './score.js';
import { replyEntries, storeZSet } from './zset-common.js';

export interface SetOpVariant {
  readonly name: string;
  readonly op: 'union' | 'inter' | 'diff';
  /** ZUNIONSTORE & co: argv[1] is the destination and numkeys is argv[2]. */
  readonly store: boolean;
  /** ZINTERCARD: reply only the size of the intersection. */
  readonly cardinality: boolean;
}

type Aggregate = 'sum' | 'min' | 'max';

interface SetOpOptions {
  readonly weights: readonly number[];
  readonly aggregate: Aggregate;
  readonly withScores: boolean;
  readonly limit: number;
}

export interface SetOpArgs {
  readonly variant: SetOpVariant;
  readonly destination: string | undefined;
  readonly keys: readonly string[];
  /** An option error is reported only after the keys were looked up, as Redis does. */
  readonly options: SetOpOptions | ErrorReply;
}

const WEIGHT_NOT_FLOAT = new ErrorReply('ERR weight value is not a float');
const LIMIT_NEGATIVE = new ErrorReply("ERR LIMIT can't be negative");

export function parseSetOp(argv: readonly Buffer[], variant: SetOpVariant): SetOpArgs | ErrorReply {
  const numkeysIndex = variant.store ? 2 : 1;
  const numkeys = parseInt64(argv[numkeysIndex]);
  if (numkeys === undefined) return NOT_INTEGER;
  if (numkeys < 1n) {
    return new ErrorReply(`ERR at least 1 input key is needed for '${variant.name}' command`);
  }
  if (numkeys > BigInt(argv.length - numkeysIndex - 1)) return SYNTAX_ERROR;
  const count = Number(numkeys);
  const keys = argv.slice(numkeysIndex + 1, numkeysIndex + 1 + count).map(keyOf);
  return {
    variant,
    destination: variant.store ? keyOf(argv[1]) : undefined,
    keys,
    options: parseOptions(argv, numkeysIndex + 1 + count, count, variant),
  };
}

function parseOptions(
  argv: readonly Buffer[],
  from: number,
  count: number,
  variant: SetOpVariant,
): SetOpOptions | ErrorReply {
  const weights = new Array<number>(count).fill(1);
  let aggregate: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  const scored = variant.op !== 'diff' && !variant.cardinality;
  let j = from;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const arg = argv[j];
    if (scored && remaining >= count + 1 && isKeyword(arg, 'weights')) {
      j++;
      for (let i = 0; i < count; i++, j++) {
        const weight = parseScore(argv[j]);
        if (weight === undefined) return WEIGHT_NOT_FLOAT;
        weights[i] = weight;
      }
    } else if (scored && remaining >= 2 && isKeyword(arg, 'aggregate')) {
      const name = (argv[j + 1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
      if (name !== 'sum' && name !== 'min' && name !== 'max') return SYNTAX_ERROR;
      aggregate = name;
      j += 2;
    } else if (!variant.store && !variant.cardinality && isKeyword(arg, 'withscores')) {
      withScores = true;
      j++;
    } else if (variant.cardinality && remaining >= 2 && isKeyword(arg, 'limit')) {
      const parsed = parseInt64(argv[j + 1]);
      if (parsed === undefined || parsed < 0n) return LIMIT_NEGATIVE;
      limit = Number(parsed);
      j += 2;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { weights, aggregate, withScores, limit };
}

/** One input: a sorted set, a set (scores 1), or nothing. */
interface Input {
  readonly size: number;
  entries(): Iterable<ScoredMember>;
  score(member: string): number | undefined;
}

interface Source extends Input {
  readonly weight: number;
}

const EMPTY: Iterable<ScoredMember> = [];

function* setEntries(members: Set<string>): Iterable<ScoredMember> {
  for (const member of members) yield { member, score: 1 };
}

function aggregateInto(target: number, value: number, aggregate: Aggregate): number {
  if (aggregate === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  // Not Math.min/max: with a NaN value (inf * 0 weight) C's comparison keeps the target.
  // biome-ignore lint/complexity/useMathMinMax: NaN must not propagate.
  if (aggregate === 'min') return value < target ? value : target;
  // biome-ignore lint/complexity/useMathMinMax: NaN must not propagate.
  return value > target ? value : target;
}

export function executeSetOp(ctx: CommandContext, args: SetOpArgs): ErrorReply | undefined {
  const inputs: Input[] = [];
  for (const key of args.keys) {
    const input = lookupInput(ctx, key);
    if (input instanceof ErrorReply) return input;
    inputs.push(input);
  }
  const options = args.options;
  if (options instanceof ErrorReply) return options;
  const weighted = inputs.map((input, i) => ({ ...input, weight: options.weights[i] ?? 1 }));
  const { op, cardinality } = args.variant;
  if (cardinality) {
    ctx.reply.integer(intersect(sorted(weighted), options, options.limit).length);
    return undefined;
  }
  let result: ScoredMember[];
  if (op === 'union') result = union(sorted(weighted), options.aggregate);
  else if (op === 'inter') result = intersect(sorted(weighted), options, 0);
  else result = difference(weighted);
  result.sort(compareScored);
  if (args.destination !== undefined) {
    ctx.reply.integer(storeZSet(ctx, args.destination, result));
  } else {
    replyEntries(ctx.reply, result, options.withScores);
  }
  return undefined;
}

/** lookupKeyRead plus the set-or-zset type check. */
function lookupInput(ctx: CommandContext, key: string): Input | ErrorReply {
  const value = ctx.db.lookup(key, ctx.nowMs);
  if (value === undefined) {
    ctx.node.stats.keyspaceMisses++;
    return { size: 0, entries: () => EMPTY, score: () => undefined };
  }
  ctx.node.stats.keyspaceHits++;
  if (value.type === 'zset') {
    const set = value.value;
    return { size: set.size, entries: () => set, score: (member) => set.score(member) };
  }
  if (value.type === 'set') {
    const members = value.value;
    return {
      size: members.size,
      entries: () => setEntries(members),
      score: (member) => (members.has(member) ? 1 : undefined),
    };
  }
  return WRONG_TYPE;
}

/** zuiCompareByCardinality under a stable sort. */
function sorted(sources: readonly Source[]): Source[] {
  return [...sources].sort((a, b) => a.size - b.size);
}

function union(sources: readonly Source[], aggregate: Aggregate): ScoredMember[] {
  const accumulator = new Map<string, number>();
  for (const source of sources) {
    for (const { member, score } of source.entries()) {
      let weighted = source.weight * score;
      if (Number.isNaN(weighted)) weighted = 0;
      const existing = accumulator.get(member);
      accumulator.set(
        member,
        existing === undefined ? weighted : aggregateInto(existing, weighted, aggregate),
      );
    }
  }
  return [...accumulator].map(([member, score]) => ({ member, score }));
}

/** The intersection; with `limit` > 0, stops once that many members were found. */
function intersect(
  sources: readonly Source[],
  options: SetOpOptions,
  limit: number,
): ScoredMember[] {
  const out: ScoredMember[] = [];
  const [first, ...rest] = sources;
  if (first === undefined || first.size === 0) return out;
  for (const { member, score: firstScore } of first.entries()) {
    let score = first.weight * firstScore;
    if (Number.isNaN(score)) score = 0;
    let everywhere = true;
    for (const other of rest) {
      const found = other.score(member);
      if (found === undefined) {
        everywhere = false;
        break;
      }
      score = aggregateInto(score, found * other.weight, options.aggregate);
    }
    if (!everywhere) continue;
    out.push({ member, score });
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

function difference(sources: readonly Source[]): ScoredMember[] {
  const [first, ...rest] = sources;
  if (first === undefined) return [];
  const out: ScoredMember[] = [];
  for (const entry of first.entries()) {
    if (rest.every((other) => other.score(entry.member) === undefined)) out.push(entry);
  }
  return out;
}
