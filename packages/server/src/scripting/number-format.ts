/**
 * C's `%.<precision>g` for doubles, as Redis's Lua 5.1 prints numbers: `tostring`, concatenation
 * and `string.format('%s')` use `%.14g` (LUA_NUMBER_FMT), and redis.call turns a number argument
 * into a string with `%.17g` (luaArgsToRedisArgv). JavaScript's own conversions differ (`1e21`
 * vs `1e+21`, `Infinity` vs `inf`), so this reproduces glibc's output: the shortest of fixed and
 * exponent notation by the %g rule, trailing zeros dropped, a two-digit signed exponent.
 *
 * NaN prints as `-nan`: on x86-64 the NaN that arithmetic produces (0/0, inf-inf) has its sign
 * bit set and glibc prints it so; JavaScript cannot see a NaN's sign, so every NaN prints alike.
 */

export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return '-nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential gives the digits rounded to `precision` significant ones and the exponent.
  const exponential = value.toExponential(precision - 1);
  const ePos = exponential.indexOf('e');
  const exponent = Number(exponential.slice(ePos + 1));
  if (exponent < -4 || exponent >= precision) {
    const mantissa = stripZeros(exponential.slice(0, ePos));
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return stripZeros(value.toFixed(Math.max(0, precision - 1 - exponent)));
}

/** Drops the trailing zeros of a fraction, and the point if nothing follows it (%g without #). */
function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text[end - 1] === '0') end--;
  if (text[end - 1] === '.') end--;
  return text.slice(0, end);
}

/** Lua 5.1's tostring of a number (`%.14g`). */
export function luaNumberToString(value: number): string {
  return formatG(value, 14);
}
