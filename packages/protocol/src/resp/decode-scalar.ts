/**
 * The line-typed RESP values (one line, no body): `+` simple string, `-` error, `:` integer,
 * `_` null, `,` double, `#` boolean, `(` big number. RespDecoder finds the line; this file turns it
 * into a value, or into the text of a protocol error when the line is malformed. Parsing is strict,
 * because the decoder reads what a server sends and should catch a server that breaks the format.
 */

import { DECODER_ERROR } from './protocol-errors.js';
import type { RespValue } from './value.js';

const INTEGER = /^-?[0-9]+$/;
const DOUBLE = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The type bytes of line-typed values. */
export const LINE_TYPES: ReadonlySet<number> = new Set([0x2b, 0x2d, 0x3a, 0x5f, 0x2c, 0x23, 0x28]);

/**
 * Decodes the line `bytes[start, end)` (after the type byte, before CRLF) of a line-typed value.
 * Returns the value, or a protocol error text.
 */
export function decodeScalar(
  type: number,
  bytes: Buffer,
  start: number,
  end: number,
): RespValue | string {
  switch (type) {
    case 0x2b:
      // Byte strings (latin1), the same convention as the writer: any byte round-trips.
      return { kind: 'simple', value: bytes.toString('latin1', start, end) };
    case 0x2d:
      return { kind: 'error', value: bytes.toString('latin1', start, end) };
    case 0x3a:
      return decodeInteger(bytes.toString('latin1', start, end));
    case 0x5f:
      return start === end ? { kind: 'null' } : DECODER_ERROR.INVALID_NULL;
    case 0x2c:
      return decodeDouble(bytes.toString('latin1', start, end));
    case 0x23:
      return decodeBoolean(bytes.toString('latin1', start, end));
    case 0x28: {
      const text = bytes.toString('latin1', start, end);
      if (!INTEGER.test(text)) return DECODER_ERROR.INVALID_BIG_NUMBER;
      return { kind: 'bignum', value: BigInt(text) };
    }
    default:
      return DECODER_ERROR.INVALID_LENGTH;
  }
}

function decodeInteger(text: string): RespValue | string {
  if (!INTEGER.test(text)) return DECODER_ERROR.INVALID_INTEGER;
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) return DECODER_ERROR.INVALID_INTEGER;
  return { kind: 'integer', value };
}

/** Accepts what Redis prints (`%.17g`, `inf`, `-inf`, `nan`, `-nan`) and plain decimal forms. */
function decodeDouble(text: string): RespValue | string {
  switch (text) {
    case 'inf':
    case '+inf':
      return { kind: 'double', value: Number.POSITIVE_INFINITY };
    case '-inf':
      return { kind: 'double', value: Number.NEGATIVE_INFINITY };
    case 'nan':
    case '-nan':
      return { kind: 'double', value: Number.NaN };
    default:
      if (!DOUBLE.test(text)) return DECODER_ERROR.INVALID_DOUBLE;
      return { kind: 'double', value: Number(text) };
  }
}

function decodeBoolean(text: string): RespValue | string {
  if (text === 't') return { kind: 'boolean', value: true };
  if (text === 'f') return { kind: 'boolean', value: false };
  return DECODER_ERROR.INVALID_BOOLEAN;
}
