/**
 * The timeout argument of blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, and later BZPOPMIN
 * and friends), parsed as Redis 7.0's getTimeoutFromObjectOrReply with UNIT_SECONDS does it:
 *
 * 1. The argument is read by string2ld, i.e. `strtold` over the whole argument: decimal and
 *    hexadecimal floats, `inf`/`infinity`, an optional sign; no leading space, nothing left over,
 *    no NaN, and no overflow or underflow of the x87 long double (about 1e±4932). Anything else is
 *    "ERR timeout is not a float or out of range".
 * 2. `tval = (long long) ceill(ftval * 1000.0)`: milliseconds rounded up, so 0.0001 s waits 1 ms
 *    while -0.0001 s rounds to 0. A value out of the long long range converts to LLONG_MIN (what the
 *    x87 conversion produces), so `inf` and 1e400 are "ERR timeout is negative", not range errors.
 * 3. A negative result is "ERR timeout is negative"; 0 means wait forever.
 *
 * Deliberate differences: the product is computed from the decimal digits (the decimal point moved
 * by three places) in double precision rather than in long double; both round the short decimals
 * people write to the same millisecond. A deadline so far away that Redis's `now + tval` overflows
 * waits forever here.
 */
import { ErrorReply } from './types.js';

export const TIMEOUT_NOT_FLOAT: ErrorReply = new ErrorReply(
  'ERR timeout is not a float or out of range',
);
export const TIMEOUT_NEGATIVE: ErrorReply = new ErrorReply('ERR timeout is negative');

/** Redis's MAX_LONG_DOUBLE_CHARS: longer arguments are rejected before strtold. */
const LONG_DOUBLE_CHARS_MAX = 5 * 1024;
/** Decimal exponents beyond which an x87 long double overflows to HUGE_VAL or underflows to 0. */
const LONG_DOUBLE_EXP10_MAX = 4932;
const LONG_DOUBLE_EXP10_MIN = -4951;
/** Binary exponents for the same limits, for hexadecimal floats. */
const LONG_DOUBLE_EXP2_MAX = 16384;
const LONG_DOUBLE_EXP2_MIN = -16445;
const LLONG_RANGE = 2 ** 63;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/**
 * The timeout in milliseconds (0 = forever), or the error Redis replies. `Infinity` never comes
 * back: a deadline beyond the safe-integer range is reported as 0 (forever).
 */
export function parseTimeoutMs(arg: Buffer | undefined): number | ErrorReply {
  const seconds = arg === undefined ? undefined : timeoutTimes1000(arg.toString('latin1'));
  if (seconds === undefined) return TIMEOUT_NOT_FLOAT;
  const ms = Math.ceil(seconds);
  // (long long) of a value outside its range is LLONG_MIN on x86: negative.
  if (!Number.isFinite(ms) || ms >= LLONG_RANGE || ms < -LLONG_RANGE) return TIMEOUT_NEGATIVE;
  if (ms < 0) return TIMEOUT_NEGATIVE;
  if (ms > Number.MAX_SAFE_INTEGER) return 0;
  return ms === 0 ? 0 : ms;
}

/** The argument as strtold reads it, times 1000; undefined where string2ld fails. */
function timeoutTimes1000(text: string): number | undefined {
  if (text.length === 0 || text.length >= LONG_DOUBLE_CHARS_MAX) return undefined;
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return infinity[1] === '-' ? -Infinity : Infinity;
  const hex = HEX.exec(text);
  if (hex !== null) return hexTimes1000(hex);
  const decimal = DECIMAL.exec(text);
  if (decimal === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = decimal;
  if (whole === '' && fraction === '') return undefined;
  const digits = `${whole}${fraction}`;
  const firstNonZero = digits.search(/[1-9]/);
  const exponent = Number(exponentText);
  if (firstNonZero >= 0) {
    // The decimal exponent of the leading digit decides long double overflow and underflow.
    const exp10 = exponent + whole.length - firstNonZero - 1;
    if (exp10 > LONG_DOUBLE_EXP10_MAX || exp10 < LONG_DOUBLE_EXP10_MIN) return undefined;
  }
  const value = Number(`${sign}${whole === '' ? '0' : whole}.${fraction}e${exponent + 3}`);
  // A value too small for a double but not for a long double is still positive: it waits 1 ms.
  if (value === 0 && firstNonZero >= 0) return sign === '-' ? -0 : Number.MIN_VALUE;
  return value;
}

function hexTimes1000(match: RegExpExecArray): number | undefined {
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  let mantissa = 0;
  for (const digit of `${whole}${fraction}`) mantissa = mantissa * 16 + Number.parseInt(digit, 16);
  const exp2 = Number(exponentText) - 4 * fraction.length;
  if (mantissa !== 0) {
    const top = exp2 + Math.log2(mantissa);
    if (top > LONG_DOUBLE_EXP2_MAX || top < LONG_DOUBLE_EXP2_MIN) return undefined;
  }
  const value = mantissa * 2 ** exp2 * 1000;
  if (value === 0 && mantissa !== 0) return sign === '-' ? -0 : Number.MIN_VALUE;
  return sign === '-' ? -value : value;
}
