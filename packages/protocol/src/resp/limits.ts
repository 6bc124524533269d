/**
 * The size limits every RESP reader in replisim checks. They are named after the Redis settings and
 * constants they copy, so a value here can be grepped against redis.conf or networking.c. Readers
 * take a `Partial<RespLimits>` and fill the gaps from RESP_LIMITS_DEFAULT, which holds Redis 7.0's
 * defaults.
 */
import { assert } from '@replisim/base';

export interface RespLimits {
  /** proto-max-bulk-len: the longest bulk string a request may declare. */
  bulkBytesMax: number;
  /** The largest element count of a multibulk request or an aggregate reply. */
  multibulkLengthMax: number;
  /** PROTO_INLINE_MAX_SIZE: the longest line (inline request, count or length line). */
  inlineBytesMax: number;
  /** client-query-buffer-limit: the most unparsed bytes a pending request may hold. */
  queryBufferBytesMax: number;
  /** How deep aggregates may nest in a reply read by RespDecoder (RequestParser never nests). */
  nestingDepthMax: number;
}

/**
 * Redis 7.0.15 defaults. `multibulkLengthMax` is INT_MAX because processMultibulkBuffer refuses
 * `ll > INT_MAX` and nothing smaller. `nestingDepthMax` has no Redis counterpart: Redis's own
 * replies nest at most about seven levels (COMMAND DOCS), and 128 leaves room for script replies
 * while still bounding the decoder's explicit stack.
 */
export const RESP_LIMITS_DEFAULT: RespLimits = Object.freeze({
  bulkBytesMax: 512 * 1024 * 1024,
  multibulkLengthMax: 2_147_483_647,
  inlineBytesMax: 64 * 1024,
  queryBufferBytesMax: 1024 * 1024 * 1024,
  nestingDepthMax: 128,
});

/** Fills `overrides` from the defaults and checks every limit is a positive safe integer. */
export function resolveLimits(overrides?: Partial<RespLimits>): RespLimits {
  const limits: RespLimits = { ...RESP_LIMITS_DEFAULT, ...overrides };
  assertLimit(limits.bulkBytesMax, 'bulkBytesMax');
  assertLimit(limits.multibulkLengthMax, 'multibulkLengthMax');
  assertLimit(limits.inlineBytesMax, 'inlineBytesMax');
  assertLimit(limits.queryBufferBytesMax, 'queryBufferBytesMax');
  assertLimit(limits.nestingDepthMax, 'nestingDepthMax');
  return limits;
}

function assertLimit(value: number, name: string): void {
  assert(Number.isSafeInteger(value), `${name} must be a safe integer, got ${value}`);
  assert(value > 0, `${name} must be positive, got ${value}`);
}
