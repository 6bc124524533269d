/**
 * RespValue: one RESP2 or RESP3 value as a discriminated union on `kind`. The client side uses it:
 * a replica reading its master's replies, harness clients, tests. The server never builds these on
 * its hot path; it writes replies straight into a ReplyWriter.
 *
 * Choices:
 * - `integer` holds a bigint. RESP integers are signed 64-bit and a number loses precision past
 *   2^53 (INCRBY near the limits, offsets in tests). The decoder refuses integers outside int64.
 * - `null` covers RESP2's `$-1` and `*-1` and RESP3's `_`. Encoding it for RESP2 writes `$-1`.
 * - `blobError` keeps RESP3's `!` apart from `-` so that encoding gives back the same bytes.
 * - `attribute` is RESP3's `|`: its entries wrap the value that follows them, so nothing is lost
 *   and a reader that ignores attributes just takes `.value`. Redis 7.0 sends none unless asked to
 *   (DEBUG PROTOCOL attrib), and RESP2 has none: encoding one for RESP2 writes only the value.
 * - Streamed RESP3 strings and aggregates (`$?`, `*?`) are not represented: Redis never sends them
 *   and the decoder reports them as protocol errors.
 */

export type RespValue =
  | { kind: 'simple'; value: string }
  | { kind: 'error'; value: string }
  | { kind: 'integer'; value: bigint }
  | { kind: 'bulk'; value: Buffer }
  | { kind: 'null' }
  | { kind: 'array'; items: RespValue[] }
  | { kind: 'map'; entries: [RespValue, RespValue][] }
  | { kind: 'set'; items: RespValue[] }
  | { kind: 'push'; items: RespValue[] }
  | { kind: 'double'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'bignum'; value: bigint }
  | { kind: 'verbatim'; format: string; value: Buffer }
  | { kind: 'blobError'; value: Buffer }
  | { kind: 'attribute'; entries: [RespValue, RespValue][]; value: RespValue };

export type RespKind = RespValue['kind'];
