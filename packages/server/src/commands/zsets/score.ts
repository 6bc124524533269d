/**
 * Sorted-set scores and ranges as Redis 7.0 reads and writes them (t_zset.c, object.c, util.c).
 *
 * Redis parses scores with C's strtod, under two different sets of rules:
 * - a score argument (ZADD, ZINCRBY, WEIGHTS) goes through getDoubleFromObject: the whole string
 *   must convert, no leading space, no NaN, and an overflow or an underflow to zero is an error;
 * - a range bound (ZCOUNT, ZRANGEBYSCORE...) goes through zslParseRange: strtod may skip leading
 *   spaces, an overflow is simply infinity, and conversion may stop at a NUL byte (C strings), so
 *   "" and "(" are the bound 0 and " 1" is 1.
 * strtod accepts "inf"/"infinity"/"nan" in any case, hex floats ("0x1p3") and a leading '+'; it is
 * emulated here with JS's Number() for the decimal digits (both round correctly to nearest).
 *
 * Lex ranges (zslParseLexRangeItem) are "[x" inclusive, "(x" exclusive, "-" and "+" the ends.
 * `d2string` is the listpack form of a score (what ZSCAN shows for a listpack zset).
 */
import { formatDouble } from '@replisim/protocol';
import { ErrorReply } from '../types.js';

export const NOT_FLOAT: ErrorReply = new ErrorReply('ERR value is not a valid float');
export const NAN_SCORE: ErrorReply = new ErrorReply('ERR resulting score is not a number (NaN)');
export const BAD_SCORE_RANGE: ErrorReply = new ErrorReply('ERR min or max is not a float');
export const BAD_LEX_RANGE: ErrorReply = new ErrorReply(
  'ERR min or max not valid string range item',
);

interface Strtod {
  readonly value: number;
  /** Index after the converted text; `start` when nothing converted. */
  readonly end: number;
  /** strtod's ERANGE: the value overflowed, or a nonzero number underflowed to zero. */
  readonly rangeError: boolean;
}

const SPACES = ' \t\n\v\f\r';
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?/;
const SPECIAL = /^([+-]?)(?:(infinity|inf)|(nan)(?:\([0-9A-Za-z_]*\))?)/i;

/** C's strtod on `text` from `start`. */
export function strtod(text: string, start: number): Strtod {
  let at = start;
  while (at < text.length && SPACES.includes(text[at] ?? '')) at++;
  const rest = text.slice(at);
  const special = SPECIAL.exec(rest);
  if (special !== null) {
    const negative = special[1] === '-';
    const value = special[2] !== undefined ? Number.POSITIVE_INFINITY : Number.NaN;
    return { value: negative ? -value : value, end: at + special[0].length, rangeError: false };
  }
  const hex = HEX.exec(rest);
  if (hex !== null && ((hex[2] ?? '') !== '' || (hex[3] ?? '') !== '')) {
    return hexFloat(hex, at);
  }
  const decimal = DECIMAL.exec(rest);
  if (decimal === null) return { value: 0, end: start, rangeError: false };
  const value = Number(decimal[0]);
  const mantissa = decimal[0].split(/[eE]/)[0] ?? '';
  const underflow = value === 0 && /[1-9]/.test(mantissa);
  return {
    value,
    end: at + decimal[0].length,
    rangeError: !Number.isFinite(value) || underflow,
  };
}

function hexFloat(match: RegExpExecArray, at: number): Strtod {
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  const digits = `${whole}${fraction}`.replace(/^0+/, '') || '0';
  const exponent = Number(match[4] ?? '0') - 4 * fraction.length;
  // Number(bigint) rounds to nearest; scaling by a power of two in two halves avoids a spurious
  // overflow or underflow of the intermediate.
  const half = Math.trunc(exponent / 2);
  let value = Number(BigInt(`0x${digits}`)) * 2 ** half * 2 ** (exponent - half);
  if (match[1] === '-') value = -value;
  const underflow = value === 0 && digits !== '0';
  return {
    value,
    end: at + match[0].length,
    rangeError: !Number.isFinite(value) || underflow,
  };
}

/** getDoubleFromObject: a score argument, or undefined ("value is not a valid float"). */
export function parseScore(arg: Buffer | undefined): number | undefined {
  if (arg === undefined || arg.length === 0) return undefined;
  const text = arg.toString('latin1');
  if (SPACES.includes(text[0] ?? '')) return undefined;
  const parsed = strtod(text, 0);
  if (parsed.end !== text.length || parsed.rangeError || Number.isNaN(parsed.value)) {
    return undefined;
  }
  return parsed.value;
}

// --- Score ranges ---------------------------------------------------------------------------------

export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
  readonly maxExclusive: boolean;
}

/** One bound of zslParseRange: "(" makes it exclusive; the text may end early at a NUL. */
function parseScoreBound(arg: Buffer): { value: number; exclusive: boolean } | undefined {
  const text = arg.toString('latin1');
  const exclusive = text[0] === '(';
  const start = exclusive ? 1 : 0;
  const parsed = strtod(text, start);
  const next = text[parsed.end];
  if ((next !== undefined && next !== '\0') || Number.isNaN(parsed.value)) return undefined;
  return { value: parsed.value, exclusive };
}

export function parseScoreRange(min: Buffer, max: Buffer): ScoreRange | undefined {
  const low = parseScoreBound(min);
  const high = parseScoreBound(max);
  if (low === undefined || high === undefined) return undefined;
  return {
    min: low.value,
    max: high.value,
    minExclusive: low.exclusive,
    maxExclusive: high.exclusive,
  };
}

// --- Lex ranges -----------------------------------------------------------------------------------

/** A lex bound: the "-" or "+" end, or a member and whether it is excluded. */
export type LexBound =
  | { readonly kind: 'min' }
  | { readonly kind: 'max' }
  | { readonly kind: 'value'; readonly value: string; readonly exclusive: boolean };

export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

function parseLexBound(arg: Buffer): LexBound | undefined {
  const text = arg.toString('latin1');
  // A C string: "+" followed by a NUL is still "+".
  const alone = text.length === 1 || text[1] === '\0';
  switch (text[0]) {
    case '+':
      return alone ? { kind: 'max' } : undefined;
    case '-':
      return alone ? { kind: 'min' } : undefined;
    case '(':
      return { kind: 'value', value: text.slice(1), exclusive: true };
    case '[':
      return { kind: 'value', value: text.slice(1), exclusive: false };
    default:
      return undefined;
  }
}

export function parseLexRange(min: Buffer, max: Buffer): LexRange | undefined {
  const low = parseLexBound(min);
  const high = parseLexBound(max);
  if (low === undefined || high === undefined) return undefined;
  return { min: low, max: high };
}

/** Member >= the range's min (or > when exclusive): zslLexValueGteMin. */
export function lexAboveMin(member: string, range: LexRange): boolean {
  const bound = range.min;
  if (bound.kind === 'min') return true;
  if (bound.kind === 'max') return false;
  return bound.exclusive ? member > bound.value : member >= bound.value;
}

/** Member <= the range's max (or < when exclusive): zslLexValueLteMax. */
export function lexBelowMax(member: string, range: LexRange): boolean {
  const bound = range.max;
  if (bound.kind === 'max') return true;
  if (bound.kind === 'min') return false;
  return bound.exclusive ? member < bound.value : member <= bound.value;
}

// --- Printing -------------------------------------------------------------------------------------

/** (double)(LLONG_MAX / 2), which is 2^62. */
const LLONG_HALF = 2 ** 62;

/**
 * util.c d2string as 7.0.15 builds it, the form a score takes inside a listpack: integral values
 * within +-2^62 print as integers (so -0 becomes "0"), everything else as `%.17g`.
 */
export function d2string(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (value >= -LLONG_HALF && value <= LLONG_HALF && Number.isInteger(value)) {
    return BigInt(value).toString();
  }
  return formatDouble(value);
}
