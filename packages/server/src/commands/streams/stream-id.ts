/**
 * Stream ID arguments, parsed as t_stream.c's streamGenericParseIDOrReply does:
 *
 * - `<ms>-<seq>` or `<ms>` (the sequence then defaults to 0 for a start, 2^64-1 for an end);
 * - `-` and `+` are the smallest and greatest IDs, refused where Redis parses strictly (XADD, XDEL,
 *   XACK, XCLAIM ...);
 * - `<ms>-*` only for XADD (the sequence is generated);
 * - a `(` prefix makes a range bound exclusive (XRANGE, XPENDING, XAUTOCLAIM), parsed strictly.
 *
 * Each part is read by string2ull: canonical decimal, or whatever strtoull takes in full (leading
 * white space, a sign, leading zeros), never negative and never above 2^64-1. Arguments longer
 * than 127 bytes are invalid. IDs are 128-bit bigints: (ms << 64) | seq.
 */
import { makeStreamId } from '@replisim/protocol';
import { STREAM_ID_MAX } from '../../keyspace/stream.js';
import { ErrorReply } from '../types.js';

export const INVALID_STREAM_ID: ErrorReply = new ErrorReply(
  'ERR Invalid stream ID specified as stream command argument',
);
export const INVALID_START_ID: ErrorReply = new ErrorReply('ERR invalid start ID for the interval');
export const INVALID_END_ID: ErrorReply = new ErrorReply('ERR invalid end ID for the interval');

const U64_MAX = (1n << 64n) - 1n;
/** streamGenericParseIDOrReply copies into a 128-byte buffer. */
const ID_ARGUMENT_BYTES_MAX = 127;
const STRTOULL = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/;

/** string2ull: undefined where Redis fails. */
export function parseUint64(text: string): bigint | undefined {
  const match = STRTOULL.exec(text);
  if (match === null) return undefined;
  const value = BigInt(match[2] as string);
  if (value > U64_MAX) return undefined;
  if (match[1] === '-' && value !== 0n) return undefined;
  return value;
}

export interface ParsedId {
  readonly id: bigint;
  /** False for XADD's `<ms>-*`. */
  readonly seqGiven: boolean;
}

/**
 * The general parser. `missingSeq` fills a bare `<ms>`; `strict` refuses `-` and `+`; `allowAutoSeq`
 * accepts `<ms>-*` (XADD).
 */
export function parseStreamIdText(
  text: string,
  missingSeq: bigint,
  strict: boolean,
  allowAutoSeq = false,
): ParsedId | undefined {
  if (text.length > ID_ARGUMENT_BYTES_MAX) return undefined;
  if (text === '-' || text === '+') {
    if (strict) return undefined;
    return { id: text === '-' ? 0n : STREAM_ID_MAX, seqGiven: true };
  }
  const dash = text.indexOf('-');
  const msText = dash < 0 ? text : text.slice(0, dash);
  const ms = parseUint64(msText);
  if (ms === undefined) return undefined;
  if (dash < 0) return { id: makeStreamId(ms, missingSeq), seqGiven: true };
  const seqText = text.slice(dash + 1);
  if (allowAutoSeq && seqText === '*') return { id: makeStreamId(ms, 0n), seqGiven: false };
  const seq = parseUint64(seqText);
  if (seq === undefined) return undefined;
  return { id: makeStreamId(ms, seq), seqGiven: true };
}

/** A strict ID (`-`/`+` refused), or the invalid-ID error. */
export function parseStrictId(arg: Buffer | undefined, missingSeq = 0n): bigint | ErrorReply {
  const parsed = parseStreamIdText(arg?.toString('latin1') ?? '', missingSeq, true);
  return parsed === undefined ? INVALID_STREAM_ID : parsed.id;
}

/**
 * Every argument as a strict ID, or the invalid-ID error of the first that is not one: XACK and
 * XDEL check all their IDs before they act on any (t_stream.c parses them into an array first).
 */
export function parseStrictIds(args: readonly Buffer[]): bigint[] | ErrorReply {
  const ids: bigint[] = [];
  for (const arg of args) {
    const id = parseStrictId(arg);
    if (id instanceof ErrorReply) return id;
    ids.push(id);
  }
  return ids;
}

/** An ID where `-` and `+` are allowed. */
export function parseId(arg: Buffer | undefined, missingSeq = 0n): bigint | ErrorReply {
  const parsed = parseStreamIdText(arg?.toString('latin1') ?? '', missingSeq, false);
  return parsed === undefined ? INVALID_STREAM_ID : parsed.id;
}

/**
 * streamParseIntervalIDOrReply plus the increment/decrement of an exclusive bound: the inclusive
 * bound to use, or the error Redis replies.
 */
export function parseIntervalId(
  arg: Buffer | undefined,
  missingSeq: bigint,
  side: 'start' | 'end',
): bigint | ErrorReply {
  const text = arg?.toString('latin1') ?? '';
  const exclusive = text.length > 1 && text.startsWith('(');
  if (!exclusive) return parseId(arg, missingSeq);
  const parsed = parseStreamIdText(text.slice(1), missingSeq, true);
  if (parsed === undefined) return INVALID_STREAM_ID;
  if (side === 'start') {
    return parsed.id === STREAM_ID_MAX ? INVALID_START_ID : parsed.id + 1n;
  }
  return parsed.id === 0n ? INVALID_END_ID : parsed.id - 1n;
}
