/**
 * What the PF* commands share around the data structure (hll.ts): Redis's isHLLObjectOrReply
 * (a string whose header says HYLL, a known encoding, the exact dense length), the two errors the
 * family answers with, and storing an HLL back. Redis changes an HLL in place after
 * dbUnshareStringValue, which leaves it raw-encoded; here the command stores a new Buffer, raw,
 * keeping the key's TTL.
 */
import type { RedisValue, StringValue } from '../../keyspace/values.js';
import { WRONG_TYPE } from '../errors.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { isValidHll } from './hll.js';

export const NOT_AN_HLL: ErrorReply = new ErrorReply(
  'WRONGTYPE Key is not a valid HyperLogLog string value.',
);
export const CORRUPT_HLL: ErrorReply = new ErrorReply('INVALIDOBJ Corrupted HLL object detected');

/** isHLLObjectOrReply: the string if `value` is a valid HLL, else the error to reply. */
export function asHll(value: RedisValue): StringValue | ErrorReply {
  if (value.type !== 'string') return WRONG_TYPE;
  return isValidHll(value.value) ? value : NOT_AN_HLL;
}

/** Stores `bytes` at `key` as a raw string, keeping its TTL (dbUnshareStringValue + in place). */
export function storeHll(ctx: CommandContext, key: string, bytes: Buffer): void {
  ctx.db.set(key, { type: 'string', value: bytes, encoding: 'raw' }, true);
}

/** hll-sparse-max-bytes: the size past which a sparse HLL turns dense. */
export function sparseMaxBytes(ctx: CommandContext): number {
  const text = ctx.node.config.stored['hll-sparse-max-bytes'];
  return text === undefined ? 3000 : Number(text);
}
