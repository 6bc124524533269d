/**
 * How GEO replies print numbers, as Redis 7.0: distances with addReplyDoubleDistance (`%.4f`, a
 * bulk string in RESP2 and RESP3), coordinates with addReplyHumanLongDouble (the double widened to
 * a long double and printed `%.17Lf` with trailing zeros trimmed; a bulk string in RESP2, a RESP3
 * double). Both round the exact binary value, ties to even, as glibc's printf, so they are
 * computed on exact bigint rationals rather than with toFixed (which breaks ties upwards).
 */

import { assert } from '@replisim/base';
import type { ReplyWriter } from '@replisim/protocol';
import { formatLongDouble } from '../long-double.js';

/** A finite double as mantissa * 2^exponent, exactly. */
function exactParts(value: number): { mantissa: bigint; exponent: number } {
  assert(Number.isFinite(value), 'a finite double');
  if (value === 0) return { mantissa: 0n, exponent: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa: negative ? -mantissa : mantissa, exponent };
}

/** printf("%.<digits>f", value) for a finite double. */
export function fixedDecimal(value: number, digits: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  const { mantissa, exponent } = exactParts(value);
  const negative = mantissa < 0n || Object.is(value, -0);
  const magnitude = mantissa < 0n ? -mantissa : mantissa;
  const scaled = magnitude * 10n ** BigInt(digits);
  let units: bigint;
  if (exponent >= 0) units = scaled << BigInt(exponent);
  else {
    const shift = BigInt(-exponent);
    units = scaled >> shift;
    const twice = (scaled - (units << shift)) * 2n;
    const half = 1n << shift;
    if (twice > half || (twice === half && (units & 1n) === 1n)) units++;
  }
  const text = units.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** addReplyDoubleDistance. */
export function replyDistance(reply: ReplyWriter, meters: number): void {
  reply.bulk(Buffer.from(fixedDecimal(meters, 4), 'latin1'));
}

/** addReplyHumanLongDouble of a double. */
export function replyCoordinate(reply: ReplyWriter, value: number): void {
  const { mantissa, exponent } = exactParts(value);
  const text = formatLongDouble({ kind: 'finite', mantissa, exponent });
  if (reply.protocol === 2) reply.bulk(Buffer.from(text, 'latin1'));
  else reply.raw(Buffer.from(`,${text}\r\n`, 'latin1'));
}
