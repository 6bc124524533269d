/**
 * The exact texts of the protocol errors RequestParser reports, copied from Redis 7.0.15's
 * networking.c (processInlineBuffer, processMultibulkBuffer) and checked on the wire. A server
 * answers each with `-ERR <text>` and then closes the connection. QUERY_BUFFER_LIMIT_MESSAGE is the
 * exception: Redis only logs it, then drops the client without a reply (readQueryFromClient).
 */

export const PROTOCOL_ERROR = {
  INVALID_MULTIBULK_LENGTH: 'Protocol error: invalid multibulk length',
  INVALID_BULK_LENGTH: 'Protocol error: invalid bulk length',
  TOO_BIG_INLINE_REQUEST: 'Protocol error: too big inline request',
  TOO_BIG_MBULK_COUNT_STRING: 'Protocol error: too big mbulk count string',
  TOO_BIG_BULK_COUNT_STRING: 'Protocol error: too big bulk count string',
  UNBALANCED_QUOTES: 'Protocol error: unbalanced quotes in request',
  UNAUTHENTICATED_MULTIBULK_LENGTH: 'Protocol error: unauthenticated multibulk length',
  UNAUTHENTICATED_BULK_LENGTH: 'Protocol error: unauthenticated bulk length',
} as const;

/** Redis logs this line and closes the client without replying. */
export const QUERY_BUFFER_LIMIT_MESSAGE = 'Closing client that reached max query buffer length';

/**
 * `Protocol error: expected '$', got 'X'`, where X is the byte Redis found, printed with `%c`.
 * The byte is kept as one latin1 character; a CR or LF becomes a space once ReplyWriter.error
 * writes it, as Redis's addReplyErrorFormat does. A byte above 0x7f goes out UTF-8 encoded (two
 * bytes) where Redis sends the raw byte.
 */
export function protocolErrorExpectedDollar(byte: number): string {
  return `Protocol error: expected '$', got '${String.fromCharCode(byte)}'`;
}

/**
 * Errors RespDecoder reports for malformed replies. Redis has no such texts (it is the one sending
 * replies), so these follow the same "Protocol error: ..." shape.
 */
export const DECODER_ERROR = {
  EXPECTED_CRLF: 'Protocol error: expected CRLF',
  TOO_BIG_LINE: 'Protocol error: too big line',
  INVALID_LENGTH: 'Protocol error: invalid length',
  INVALID_INTEGER: 'Protocol error: invalid integer',
  INVALID_DOUBLE: 'Protocol error: invalid double',
  INVALID_BOOLEAN: 'Protocol error: invalid boolean',
  INVALID_BIG_NUMBER: 'Protocol error: invalid big number',
  INVALID_NULL: 'Protocol error: invalid null',
  INVALID_VERBATIM: 'Protocol error: invalid verbatim string',
  STREAMED_TYPE: 'Protocol error: streamed RESP3 types are not supported',
  NESTING_TOO_DEEP: 'Protocol error: aggregates nested too deep',
  BUFFER_LIMIT: 'Protocol error: buffered bytes exceed the limit',
} as const;

/** An unknown type byte, printed as a character (latin1). */
export function decoderErrorUnknownType(byte: number): string {
  return `Protocol error: unknown type byte '${String.fromCharCode(byte)}'`;
}
