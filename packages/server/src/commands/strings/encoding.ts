/**
 * What OBJECT ENCODING reports for a string, as Redis 7.0 stores it (object.c).
 *
 * Most writes (SET, SETNX, SETEX, PSETEX, GETSET, MSET, MSETNX, APPEND to a missing key, RDB and
 * replication loads) pass the value through tryObjectEncoding: `int` when the bytes are a canonical
 * 64-bit decimal (string2l: at most 20 chars, no '+', no leading zeros, not "-0"), else `embstr` up
 * to 44 bytes (OBJ_ENCODING_EMBSTR_SIZE_LIMIT), else `raw`. INCR and friends always store `int`,
 * which the same rule yields for their canonical output. The exceptions record their encoding in
 * the value: APPEND to an existing key and SETRANGE leave a `raw` string however short, and
 * INCRBYFLOAT stores createStringObject's choice (`embstr` up to 44 bytes, else `raw`), never `int`.
 */

import type { StringValue } from '../../keyspace/values.js';
import { parseInt64 } from '../errors.js';

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT in object.c. */
export const EMBSTR_BYTES_MAX = 44;

export type StringEncoding = 'int' | 'embstr' | 'raw';

export function stringEncoding(value: StringValue): StringEncoding {
  if (value.encoding !== undefined) return value.encoding;
  if (parseInt64(value.value) !== undefined) return 'int';
  return value.value.length <= EMBSTR_BYTES_MAX ? 'embstr' : 'raw';
}

/** createStringObject's choice for a string it builds itself (INCRBYFLOAT's result). */
export function createdStringEncoding(bytes: Buffer): 'embstr' | 'raw' {
  return bytes.length <= EMBSTR_BYTES_MAX ? 'embstr' : 'raw';
}
