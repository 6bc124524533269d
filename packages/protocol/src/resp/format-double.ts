/**
 * Formats a double the way Redis 7.0 puts one on the wire (addReplyDouble): C's `%.17g`, with
 * infinities spelled `inf` and `-inf`. Redis 7.2 switched to the shortest round-trip form; 7.0 did
 * not, so 0.1 is sent as 0.10000000000000001 and 1e20 as 1e+20.
 *
 * `%.17g` rounds to 17 significant digits, then prints fixed notation when the decimal exponent X
 * satisfies -4 <= X < 17 and exponential notation (at least two exponent digits) otherwise, and
 * drops trailing zeros. JavaScript's toExponential(16) gives the same 17 digits except on an exact
 * tie, which it rounds up where glibc rounds to even; those rare ties are detected with BigInt.
 * NaN is printed as `nan` (glibc prints `-nan` for a negative NaN; Redis never replies with NaN).
 */

const PRECISION = 17;

export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = roundSignificant(Math.abs(value));
  const kept = digits.replace(/0+$/, '');
  if (exponent < -4 || exponent >= PRECISION) {
    const fraction = kept.length > 1 ? `.${kept.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${kept[0] ?? '0'}${fraction}e${exponentSign}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${kept}`;
  const integerDigits = exponent + 1;
  if (kept.length <= integerDigits) return `${sign}${kept.padEnd(integerDigits, '0')}`;
  return `${sign}${kept.slice(0, integerDigits)}.${kept.slice(integerDigits)}`;
}

/** 17 significant digits of a positive finite value, rounded half to even, and its exponent. */
function roundSignificant(value: number): { digits: string; exponent: number } {
  const rounded = splitExponential(value.toExponential(PRECISION - 1));
  const longer = splitExponential(value.toExponential(PRECISION));
  const tieDigit = longer.digits.charCodeAt(PRECISION) - 0x30;
  const keptDigit = longer.digits.charCodeAt(PRECISION - 1) - 0x30;
  if (tieDigit !== 5 || keptDigit % 2 !== 0) return rounded;
  if (!isExactly(value, longer.digits, longer.exponent)) return rounded;
  // An exact tie with an even last digit: glibc keeps the digit, JavaScript rounded it up.
  return { digits: longer.digits.slice(0, PRECISION), exponent: longer.exponent };
}

function splitExponential(text: string): { digits: string; exponent: number } {
  const at = text.indexOf('e');
  return { digits: text.slice(0, at).replace('.', ''), exponent: Number(text.slice(at + 1)) };
}

/** True when `value` equals the decimal 0.<digits> scaled so the first digit has `exponent`. */
function isExactly(value: number, digits: string, exponent: number): boolean {
  const { mantissa, exponent2 } = decompose(value);
  const decimal = BigInt(digits);
  const exponent10 = exponent - (digits.length - 1);
  // value = mantissa * 2^exponent2 and the candidate = decimal * 10^exponent10: cross-multiply.
  let left = mantissa;
  let right = decimal;
  if (exponent2 >= 0) left <<= BigInt(exponent2);
  else right <<= BigInt(-exponent2);
  if (exponent10 >= 0) right *= 10n ** BigInt(exponent10);
  else left *= 10n ** BigInt(-exponent10);
  return left === right;
}

/** Splits a positive finite double into an integer mantissa and a power of two. */
function decompose(value: number): { mantissa: bigint; exponent2: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { mantissa: fraction, exponent2: -1074 };
  return { mantissa: fraction | 0x10000000000000n, exponent2: biased - 1075 };
}
