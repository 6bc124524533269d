/**
 * Scores stored as text: in listpack/ziplist zsets (d2string's %.17g or integer form) and in the
 * old ZSET v1 type. parseDouble accepts exactly a number (decimal and exponent forms, inf/-inf/nan
 * as C prints them), for the v1 type whose loader refuses a bad one; strtod is what Redis applies
 * to listpack scores, which it never refuses.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The double `text` spells, or undefined when it is not a number at all. */
export function parseDouble(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
    case '-nan':
      return Number.NaN;
    default:
      return undefined;
  }
}

const STRTOD_PREFIX = /^[+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i;

/**
 * C's strtod as zzlStrtod uses it on listpack/ziplist scores, which Redis never validates: leading
 * whitespace skipped, the longest numeric prefix taken, 0 when there is none. (Hex floats, which
 * strtod also reads, count as their leading "0".)
 */
export function strtod(text: string): number {
  const match = STRTOD_PREFIX.exec(text.replace(/^[ \t\n\v\f\r]+/, ''));
  if (match === null) return 0;
  return parseDouble(match[0]) ?? 0;
}
