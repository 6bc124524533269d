/**
 * Typed key lookups for commands, as Redis's lookupKeyRead/lookupKeyWrite plus checkType: the live
 * value if it has the wanted type, undefined if the key does not exist (or has expired), or the
 * WRONGTYPE error. Read lookups count keyspace hits and misses (INFO stats); write lookups do not,
 * as in Redis. lookupReadOrReplyNull is Redis's lookupKeyReadOrReply(c, key, shared.null), for the
 * commands that reply a null bulk for a missing key before looking at the value (GET, DUMP, OBJECT).
 */
import type { RedisType, RedisValue } from '../keyspace/values.js';
import { WRONG_TYPE } from './errors.js';
import type { CommandContext, ErrorReply } from './types.js';

type ValueOf<T extends RedisType> = Extract<RedisValue, { type: T }>;

export function lookupRead<T extends RedisType>(
  ctx: CommandContext,
  key: string,
  type: T,
): ValueOf<T> | undefined | ErrorReply {
  const value = ctx.db.lookup(key, ctx.nowMs);
  if (value === undefined) {
    ctx.node.stats.keyspaceMisses++;
    return undefined;
  }
  ctx.node.stats.keyspaceHits++;
  return value.type === type ? (value as ValueOf<T>) : WRONG_TYPE;
}

/**
 * The live value at `key` of any type, counted as a keyspace hit; or, for a missing (or expired)
 * key, a null bulk replied and a miss counted, and undefined returned: the caller has replied.
 * `touch` false is Redis's LOOKUP_NOTOUCH (OBJECT): the key's access time or counter stays.
 */
export function lookupReadOrReplyNull(
  ctx: CommandContext,
  key: string,
  touch = true,
): RedisValue | undefined {
  const value = ctx.db.lookup(key, ctx.nowMs, touch);
  if (value === undefined) {
    ctx.node.stats.keyspaceMisses++;
    ctx.reply.nullBulk();
    return undefined;
  }
  ctx.node.stats.keyspaceHits++;
  return value;
}

export function lookupWrite<T extends RedisType>(
  ctx: CommandContext,
  key: string,
  type: T,
): ValueOf<T> | undefined | ErrorReply {
  const value = ctx.db.lookup(key, ctx.nowMs);
  if (value === undefined) return undefined;
  return value.type === type ? (value as ValueOf<T>) : WRONG_TYPE;
}

/** Keys arrive as Buffers; the keyspace stores them as latin1 strings (one char per byte). */
export function keyOf(arg: Buffer | undefined): string {
  return arg === undefined ? '' : arg.toString('latin1');
}
