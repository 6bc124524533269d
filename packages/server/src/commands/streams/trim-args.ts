/**
 * The options XADD and XTRIM share (t_stream.c streamParseAddOrTrimArgsOrReply), and the rewrite
 * that makes an approximate trim deterministic for replicas:
 *
 *   [MAXLEN [=|~] count | MINID [=|~] id] [LIMIT n]   (XADD also: [NOMKSTREAM] and the ID)
 *
 * Checks in Redis's order: both strategies; MAXLEN not an integer or negative; MINID not a strict
 * ID; LIMIT not an integer or negative; then a non-zero LIMIT without a strategy, XTRIM without a
 * strategy, and LIMIT without `~`. Without LIMIT, `~` trims at most 100 x stream-node-max-entries
 * entries (clamped to 10000 when that is 0, and to 1000000); `=` never limits. Commands from this
 * node's master never limit (the master rewrote them).
 *
 * Propagation: an approximate trim goes out as `MAXLEN = <length after>` or `MINID = <first ID
 * after, tombstones included>` (streamRewriteApproxSpecifier / streamRewriteTrimArgument), so a
 * replica removes exactly what the master removed.
 */
import type { Stream, TrimArgs } from '../../keyspace/stream.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { idArg, latin1 } from './stream-common.js';
import { parseStreamIdText } from './stream-id.js';

const BOTH_STRATEGIES = new ErrorReply(
  'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
);
const MAXLEN_NEGATIVE = new ErrorReply('ERR The MAXLEN argument must be >= 0.');
const LIMIT_NEGATIVE = new ErrorReply('ERR The LIMIT argument must be >= 0.');
const LIMIT_WITHOUT_STRATEGY = new ErrorReply(
  'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
);
const XTRIM_WITHOUT_STRATEGY = new ErrorReply(
  'ERR syntax error, XTRIM must be called with a trimming strategy',
);
const LIMIT_WITHOUT_APPROX = new ErrorReply(
  'ERR syntax error, LIMIT cannot be used without the special ~ option',
);
const INVALID_ID = new ErrorReply('ERR Invalid stream ID specified as stream command argument');

/** Entries an approximate trim may remove per call, per stream-node-max-entries entry. */
const TRIM_LIMIT_NODES = 100;
const TRIM_LIMIT_DEFAULT = 10000;
const TRIM_LIMIT_MAX = 1000000;

export interface AddTrimArgs {
  readonly trim: TrimArgs | undefined;
  /** argv index of the MAXLEN/MINID value (the `~` or `=` is just before it when given). */
  readonly trimArgIndex: number;
  /** XADD: argv index of the ID (or `*`), and the ID if one was given. */
  readonly idIndex: number;
  readonly id: bigint | undefined;
  readonly seqGiven: boolean;
  readonly noMkStream: boolean;
}

export function parseAddTrimArgs(
  argv: readonly Buffer[],
  ctx: CommandContext,
  xadd: boolean,
): AddTrimArgs | ErrorReply {
  let strategy: TrimArgs['strategy'] | undefined;
  let approx = false;
  let limit = 0;
  let limitGiven = false;
  let trimArgIndex = 0;
  let id: bigint | undefined;
  let seqGiven = true;
  let noMkStream = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = argv[i] as Buffer;
    if (xadd && opt.length === 1 && opt[0] === 0x2a) break;
    const kind = isKeyword(opt, 'maxlen')
      ? 'maxlen'
      : isKeyword(opt, 'minid')
        ? 'minid'
        : undefined;
    if (kind !== undefined && moreArgs > 0) {
      // MAXLEN and MINID: one strategy at most, then an optional `~` or `=`, then the threshold.
      if (strategy !== undefined) return BOTH_STRATEGIES;
      approx = false;
      const next = argv[i + 1]?.toString('latin1');
      if (moreArgs >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && next === '=') {
        i++;
      }
      if (kind === 'maxlen') {
        const maxlen = parseInt64(argv[i + 1]);
        if (maxlen === undefined) return NOT_INTEGER;
        if (maxlen < 0n) return MAXLEN_NEGATIVE;
        strategy = { kind, maxlen: Number(maxlen) };
      } else {
        const minid = parseStreamIdText(argv[i + 1]?.toString('latin1') ?? '', 0n, true);
        if (minid === undefined) return INVALID_ID;
        strategy = { kind, minid: minid.id };
      }
      i++;
      trimArgIndex = i;
    } else if (isKeyword(opt, 'limit') && moreArgs > 0) {
      const value = parseInt64(argv[i + 1]);
      if (value === undefined) return NOT_INTEGER;
      if (value < 0n) return LIMIT_NEGATIVE;
      limit = Number(value);
      limitGiven = true;
      i++;
    } else if (xadd && isKeyword(opt, 'nomkstream')) {
      noMkStream = true;
    } else if (xadd) {
      const parsed = parseStreamIdText(opt.toString('latin1'), 0n, true, true);
      if (parsed === undefined) return INVALID_ID;
      id = parsed.id;
      seqGiven = parsed.seqGiven;
      break;
    } else {
      return SYNTAX_ERROR;
    }
  }
  if (limit !== 0 && strategy === undefined) return LIMIT_WITHOUT_STRATEGY;
  if (!xadd && strategy === undefined) return XTRIM_WITHOUT_STRATEGY;
  if (ctx.client.isMaster) {
    limit = 0;
  } else if (limitGiven) {
    if (!approx) return LIMIT_WITHOUT_APPROX;
  } else if (approx) {
    limit = TRIM_LIMIT_NODES * ctx.node.config.streamNodeMaxEntries;
    if (limit <= 0) limit = TRIM_LIMIT_DEFAULT;
    if (limit > TRIM_LIMIT_MAX) limit = TRIM_LIMIT_MAX;
  } else {
    limit = 0;
  }
  return {
    trim: strategy === undefined ? undefined : { strategy, approx, limit },
    trimArgIndex,
    idIndex: i,
    id,
    seqGiven,
    noMkStream,
  };
}

/** argv with an approximate trim rewritten to `= <result>`, as Redis propagates it. */
export function rewriteApproxTrim(
  argv: (Buffer | string)[],
  args: AddTrimArgs,
  stream: Stream,
): void {
  const trim = args.trim;
  if (trim === undefined || !trim.approx) return;
  argv[args.trimArgIndex - 1] = '=';
  if (trim.strategy.kind === 'maxlen') {
    argv[args.trimArgIndex] = latin1(String(stream.length));
  } else {
    // The first entry, tombstones included; an empty stream gives the greatest ID, as in Redis.
    argv[args.trimArgIndex] = idArg(stream.edgeId(true, false));
  }
}
