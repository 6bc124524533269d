/**
 * x87 80-bit `long double` arithmetic, as Redis's INCRBYFLOAT (and HINCRBYFLOAT) do it on x86-64:
 * parse with strtold, add with one rounding, print with `%.17Lf` and trim the trailing zeros.
 *
 * A JS double cannot stand in: `INCRBYFLOAT k 0.1` replies "0.1" in Redis because 0.1 parsed as a
 * long double (64-bit mantissa) prints as 0.10000000000000000 with 17 decimals, whereas the double
 * 0.1 prints as 0.10000000000000001. So values are kept exactly as `mantissa * 2^exponent` with a
 * bigint mantissa of at most 64 bits, and every operation rounds exactly once, to nearest with ties
 * to even, into the x87 extended format's range (normal exponents down to -16382, subnormals below,
 * overflow at 2^16384). Decimal conversions go through exact bigint rationals.
 *
 * Errors Redis reports are answered by the callers: `parseLongDouble` returns undefined where
 * string2ld fails ("value is not a valid float"), and `addLongDouble` returns undefined where the
 * sum is NaN or infinite ("increment would produce NaN or Infinity").
 */

/** A finite x87 extended value: `mantissa * 2^exponent`, |mantissa| < 2^64. Or an infinity. */
export type LongDouble =
  | { readonly kind: 'finite'; readonly mantissa: bigint; readonly exponent: number }
  | { readonly kind: 'infinite'; readonly negative: boolean };

/** string2ld's buffer: longer inputs are rejected before strtold sees them (MAX_LONG_DOUBLE_CHARS). */
const LONG_DOUBLE_CHARS_MAX = 5 * 1024;
/** Bits of an x87 extended mantissa, including the explicit integer bit. */
const MANTISSA_BITS = 64;
/** The exponent of the least significant mantissa bit of the smallest subnormal: 2^-16445. */
const EXPONENT_MIN = -16382 - (MANTISSA_BITS - 1);
/** The largest exponent of the least significant mantissa bit before overflow (max < 2^16384). */
const EXPONENT_MAX = 16383 - (MANTISSA_BITS - 1);
/** Decimal magnitudes beyond these certainly overflow or underflow, so no bigint is built. */
const DECIMAL_MAGNITUDE_MAX = 4940;
const DECIMAL_MAGNITUDE_MIN = -4960;
/** Digits printed after the point by `%.17Lf`. */
const FRACTION_DIGITS = 17;

const ZERO: LongDouble = { kind: 'finite', mantissa: 0n, exponent: 0 };

type Rounded = LongDouble | 'underflow';

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact rational `numerator / denominator` (denominator > 0) to an x87 extended value:
 * to nearest, ties to even; an infinity on overflow; 'underflow' when a non-zero value rounds to 0
 * (strtold's ERANGE with a zero result).
 */
function roundRational(numerator: bigint, denominator: bigint): Rounded {
  if (numerator === 0n) return ZERO;
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  // Pick the exponent that puts the quotient in [2^63, 2^64), then clamp for subnormals.
  let exponent = bitLength(magnitude) - bitLength(denominator) - MANTISSA_BITS;
  const quotientAt = (e: number): [bigint, bigint, bigint] => {
    const top = e < 0 ? magnitude << BigInt(-e) : magnitude;
    const bottom = e > 0 ? denominator << BigInt(e) : denominator;
    return [top / bottom, top % bottom, bottom];
  };
  let [quotient, remainder, bottom] = quotientAt(exponent);
  while (quotient >= 1n << 64n) {
    exponent++;
    [quotient, remainder, bottom] = quotientAt(exponent);
  }
  while (quotient < 1n << 63n && exponent > EXPONENT_MIN) {
    exponent--;
    [quotient, remainder, bottom] = quotientAt(exponent);
  }
  if (exponent < EXPONENT_MIN) {
    exponent = EXPONENT_MIN;
    [quotient, remainder, bottom] = quotientAt(exponent);
  }
  const twice = remainder * 2n;
  if (twice > bottom || (twice === bottom && (quotient & 1n) === 1n)) quotient++;
  if (quotient === 1n << 64n) {
    quotient >>= 1n;
    exponent++;
  }
  if (exponent > EXPONENT_MAX) return { kind: 'infinite', negative };
  if (quotient === 0n) return 'underflow';
  return { kind: 'finite', mantissa: negative ? -quotient : quotient, exponent };
}

/** The exact rational of a finite value, as [numerator, denominator]. */
function toRational(value: { mantissa: bigint; exponent: number }): [bigint, bigint] {
  return value.exponent >= 0
    ? [value.mantissa << BigInt(value.exponent), 1n]
    : [value.mantissa, 1n << BigInt(-value.exponent)];
}

const DECIMAL = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/** A decimal or binary exponent as a number, clamped far beyond any meaningful range. */
function exponentOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const clamped = Number(text);
  return Math.max(-1e7, Math.min(1e7, clamped));
}

/**
 * Parses as Redis's string2ld: strtold over the whole argument, with no leading space, no NaN, and
 * no overflow or total underflow. Accepts what strtold accepts: decimal and hex floats, `inf`.
 */
export function parseLongDouble(arg: Buffer): LongDouble | undefined {
  if (arg.length === 0 || arg.length >= LONG_DOUBLE_CHARS_MAX) return undefined;
  const text = arg.toString('latin1');
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return { kind: 'infinite', negative: infinity[1] === '-' };
  const hex = HEX.exec(text);
  const decimal = hex === null ? DECIMAL.exec(text) : null;
  const match = hex ?? decimal;
  if (match === null) return undefined;
  const [, sign, whole = '', fraction = '', onlyFraction, exponentText] = match;
  const digits = onlyFraction === undefined ? whole + fraction : onlyFraction;
  const fractionLength = onlyFraction === undefined ? fraction.length : onlyFraction.length;
  const significand = BigInt(hex === null ? digits : `0x${digits}`);
  const signed = sign === '-' ? -significand : significand;
  if (significand === 0n) return ZERO;
  let rounded: Rounded;
  if (hex !== null) {
    const exponent = exponentOf(exponentText) - 4 * fractionLength;
    if (exponent > EXPONENT_MAX + MANTISSA_BITS + 1) return undefined;
    if (exponent < EXPONENT_MIN - 4 * LONG_DOUBLE_CHARS_MAX) return undefined;
    rounded = roundRational(...toRational({ mantissa: signed, exponent }));
  } else {
    const exponent = exponentOf(exponentText) - fractionLength;
    const magnitude = significand.toString().length + exponent;
    if (magnitude > DECIMAL_MAGNITUDE_MAX) return undefined;
    if (magnitude < DECIMAL_MAGNITUDE_MIN) return undefined;
    rounded =
      exponent >= 0
        ? roundRational(signed * 10n ** BigInt(exponent), 1n)
        : roundRational(signed, 10n ** BigInt(-exponent));
  }
  if (rounded === 'underflow' || rounded.kind === 'infinite') return undefined;
  return rounded;
}

/** `a + b` rounded once; undefined if the result is NaN or infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  if (a.kind === 'infinite' || b.kind === 'infinite') return undefined;
  const exponent = Math.min(a.exponent, b.exponent);
  const numerator =
    (a.mantissa << BigInt(a.exponent - exponent)) + (b.mantissa << BigInt(b.exponent - exponent));
  const rounded =
    exponent >= 0
      ? roundRational(numerator << BigInt(exponent), 1n)
      : roundRational(numerator, 1n << BigInt(-exponent));
  // A sum of two values on the 2^-16445 grid is on it too, so it never underflows to zero.
  if (rounded === 'underflow' || rounded.kind === 'infinite') return undefined;
  return rounded;
}

/**
 * Redis's ld2string with LD_STR_HUMAN: `%.17Lf` (exact decimal expansion, rounded to nearest with
 * ties to even), then trailing zeros and a trailing point removed, and "-0" printed as "0".
 */
export function formatLongDouble(value: LongDouble): string {
  if (value.kind === 'infinite') return value.negative ? '-inf' : 'inf';
  const negative = value.mantissa < 0n;
  const magnitude = negative ? -value.mantissa : value.mantissa;
  const scaled = magnitude * 10n ** BigInt(FRACTION_DIGITS);
  let units: bigint;
  if (value.exponent >= 0) {
    units = scaled << BigInt(value.exponent);
  } else {
    const shift = BigInt(-value.exponent);
    units = scaled >> shift;
    const twice = (scaled - (units << shift)) * 2n;
    const half = 1n << shift;
    if (twice > half || (twice === half && (units & 1n) === 1n)) units++;
  }
  const digits = units.toString().padStart(FRACTION_DIGITS + 1, '0');
  const whole = digits.slice(0, -FRACTION_DIGITS);
  const fraction = digits.slice(-FRACTION_DIGITS).replace(/0+$/, '');
  const text = `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
  return text === '-0' ? '0' : text;
}
