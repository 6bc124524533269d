/**
 * Typed key lookups for commands, as Redis's lookupKeyRead/lookupKeyWrite plus checkType: the live
 * value if it has the wanted type, undefined if the key does not exist (or has expired), or the
 * WRONGTYPE error. Read lookups count keyspace hits and misses (INFO stats); write lookups do not,
 * as in Redis.
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
