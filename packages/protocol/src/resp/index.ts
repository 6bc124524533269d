/**
 * RESP, the Redis serialization protocol, in both directions and both versions.
 *
 * - request-parser.ts   server side: client bytes to argv, with Redis 7.0's exact protocol errors
 * - reply-writer.ts     server side: replies into one output buffer per event, RESP2 or RESP3
 * - decoder.ts          client side: any RESP2/RESP3 value from a stream split at any byte
 * - encoder.ts          client side: values and commands to bytes
 * - value.ts            RespValue, the decoded form
 * - limits.ts           RespLimits and Redis's defaults
 * - protocol-errors.ts  the error texts
 * - format-double.ts    Redis 7.0's `%.17g` doubles
 * - input-buffer.ts, parse-long-long.ts, split-args.ts, decode-scalar.ts are internal helpers
 */
export { type DecodeResult, RespDecoder } from './decoder.js';
export { encodeCommand, encodedCommandBytes, encodeValue, writeValue } from './encoder.js';
export { formatDouble } from './format-double.js';
export { RESP_LIMITS_DEFAULT, type RespLimits, resolveLimits } from './limits.js';
export {
  DECODER_ERROR,
  PROTOCOL_ERROR,
  protocolErrorExpectedDollar,
  QUERY_BUFFER_LIMIT_MESSAGE,
} from './protocol-errors.js';
export { type ProtocolVersion, ReplyWriter } from './reply-writer.js';
export { type ParseResult, RequestParser } from './request-parser.js';
export type { RespKind, RespValue } from './value.js';
