/**
 * Redis's string2ll (util.c) over a byte range, without building a string: the parsers call it
 * for every count and length line, so it must not allocate. Redis accepts exactly: an optional '-',
 * then either the single digit 0 or a digit 1-9 followed by digits, in fewer than 21 bytes, within
 * the range of a signed 64-bit integer. No '+', no spaces, no leading zeros, no "-0".
 */

/** LONG_STR_SIZE in util.h: a valid number is shorter than this. */
const LONG_STR_SIZE = 21;

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

/** The 19-digit magnitudes of LLONG_MAX and -LLONG_MIN, compared digit by digit at the edge. */
const LLONG_MAX_DIGITS = Buffer.from('9223372036854775807', 'latin1');
const LLONG_MIN_DIGITS = Buffer.from('9223372036854775808', 'latin1');

/**
 * Parses `bytes[start, end)` as string2ll does. Returns NaN when Redis would refuse it. A valid
 * result beyond 2^53 in magnitude comes back rounded, which is harmless: every limit it is
 * compared against is far smaller, and its sign is exact.
 */
export function parseLongLong(bytes: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length <= 0 || length >= LONG_STR_SIZE) return Number.NaN;
  const first = bytes[start] ?? 0;
  if (length === 1 && first === DIGIT_0) return 0;
  const negative = first === MINUS;
  const digitsStart = negative ? start + 1 : start;
  if (digitsStart === end) return Number.NaN;
  const lead = bytes[digitsStart] ?? 0;
  if (lead <= DIGIT_0 || lead > DIGIT_9) return Number.NaN;
  let value = 0;
  for (let pos = digitsStart; pos < end; pos++) {
    const byte = bytes[pos] ?? 0;
    if (byte < DIGIT_0 || byte > DIGIT_9) return Number.NaN;
    value = value * 10 + (byte - DIGIT_0);
  }
  const digits = end - digitsStart;
  if (digits > 19) return Number.NaN;
  if (digits === 19) {
    const edge = negative ? LLONG_MIN_DIGITS : LLONG_MAX_DIGITS;
    if (bytes.compare(edge, 0, 19, digitsStart, end) > 0) return Number.NaN;
  }
  // Past 15 digits the running sum can drift; let the engine round the digits once.
  if (digits > 15) value = Number(bytes.toString('latin1', digitsStart, end));
  return negative ? -value : value;
}
