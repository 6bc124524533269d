/**
 * What the sorted-set commands share: the encoding rules of Redis 7.0 (listpack until a threshold
 * is passed, then skiplist for good), writing a computed result to a destination key (the *STORE
 * commands), finding the ranks a score or lex range covers, and the WITHSCORES reply shape.
 *
 * Encoding. zsetAdd converts a listpack to a skiplist before inserting a new member when the set
 * would exceed zset-max-listpack-entries or the member is longer than zset-max-listpack-value; it
 * never converts back. A listpack keeps each score as text (d2string), which prints -0 as "0": a
 * -0 stored in a listpack reads back as 0, while a skiplist keeps the double as it is. The *STORE
 * commands build the result and then pick the encoding from its final size and longest member
 * (zsetConvertToListpackIfNeeded, zrangeResultBeginStore).
 */
import type { ReplyWriter } from '@replisim/protocol';
import type { ServerConfig } from '../../config/server-config.js';
import { type ScoredMember, SortedSet } from '../../keyspace/sorted-set.js';
import type { ZSetValue } from '../../keyspace/values.js';
import type { CommandContext } from '../types.js';
import { type LexRange, lexAboveMin, lexBelowMax, type ScoreRange } from './score.js';

type ListpackLimits = Pick<ServerConfig, 'zsetMaxListpackEntries' | 'zsetMaxListpackValue'>;

export function newZSet(): ZSetValue {
  return { type: 'zset', value: new SortedSet(), encoding: 'listpack' };
}

/**
 * Inserts `member` or moves it to `score` (zsetAdd's storage step, after the option checks).
 * Returns true if the member is new.
 */
export function zsetPut(
  zset: ZSetValue,
  member: string,
  score: number,
  limits: ListpackLimits,
): boolean {
  if (
    zset.encoding === 'listpack' &&
    !zset.value.has(member) &&
    (zset.value.size + 1 > limits.zsetMaxListpackEntries ||
      member.length > limits.zsetMaxListpackValue)
  ) {
    zset.encoding = 'skiplist';
  }
  return zset.value.add(member, zset.encoding === 'listpack' && score === 0 ? 0 : score);
}

/**
 * Writes a *STORE result to `key` (replacing whatever was there, TTL included) and returns its
 * size. An empty result deletes the key instead, and counts as a change only if a key was deleted.
 */
export function storeZSet(
  ctx: CommandContext,
  key: string,
  entries: readonly ScoredMember[],
): number {
  if (entries.length === 0) {
    if (ctx.db.delete(key)) ctx.modified(key);
    return 0;
  }
  let longest = 0;
  for (const entry of entries) longest = Math.max(longest, entry.member.length);
  const { zsetMaxListpackEntries, zsetMaxListpackValue } = ctx.node.config;
  const listpack = entries.length <= zsetMaxListpackEntries && longest <= zsetMaxListpackValue;
  const value = new SortedSet();
  for (const entry of entries) {
    value.add(entry.member, listpack && entry.score === 0 ? 0 : entry.score);
  }
  ctx.db.set(key, { type: 'zset', value, encoding: listpack ? 'listpack' : 'skiplist' });
  ctx.modified(key);
  return entries.length;
}

// --- Ranges ---------------------------------------------------------------------------------------

/** The ranks [start, end) of the members whose score is inside `range`. */
export function scoreRanks(set: SortedSet, range: ScoreRange): readonly [number, number] {
  const start = set.firstIndex((entry) =>
    range.minExclusive ? entry.score <= range.min : entry.score < range.min,
  );
  const end = set.firstIndex((entry) =>
    range.maxExclusive ? entry.score < range.max : entry.score <= range.max,
  );
  return [start, Math.max(start, end)];
}

/**
 * The ranks [start, end) of the members inside a lex range. Like Redis, this assumes all members
 * have the same score (the only case where lex ranges are defined).
 */
export function lexRanks(set: SortedSet, range: LexRange): readonly [number, number] {
  const start = set.firstIndex((entry) => !lexAboveMin(entry.member, range));
  const end = set.firstIndex((entry) => lexBelowMax(entry.member, range));
  return [start, Math.max(start, end)];
}

/**
 * The entries of ranks [start, end) after skipping `offset` and taking at most `limit` (negative:
 * all), walking backwards from the end when `reverse`. A negative offset selects nothing: Redis's
 * `while (ln && offset--)` skips until the range runs out.
 */
export function sliceRanks(
  set: SortedSet,
  [start, end]: readonly [number, number],
  offset: number,
  limit: number,
  reverse: boolean,
): ScoredMember[] {
  if (offset < 0) return [];
  const available = end - start - offset;
  if (available <= 0) return [];
  const take = limit < 0 ? available : Math.min(limit, available);
  if (take <= 0) return [];
  if (!reverse) return set.range(start + offset, start + offset + take - 1);
  const last = end - 1 - offset;
  return set.range(last - take + 1, last).reverse();
}

/**
 * The ranks [first, last] a ZRANGE/ZREMRANGEBYRANK index pair selects (negative indexes count
 * from the end), or undefined when empty. Indexes are int64 values, hence bigint.
 */
export function rankWindow(
  length: number,
  startIndex: bigint,
  endIndex: bigint,
): readonly [number, number] | undefined {
  const size = BigInt(length);
  let start = startIndex < 0n ? size + startIndex : startIndex;
  let end = endIndex < 0n ? size + endIndex : endIndex;
  if (start < 0n) start = 0n;
  if (start > end || start >= size) return undefined;
  if (end >= size) end = size - 1n;
  return [Number(start), Number(end)];
}

// --- Replies --------------------------------------------------------------------------------------

export function memberBytes(member: string): Buffer {
  return Buffer.from(member, 'latin1');
}

/**
 * An array of members, with their scores if asked: flat member, score pairs in RESP2, one
 * [member, score] array per entry in RESP3 (Redis keeps order, so no map).
 */
export function replyEntries(
  reply: ReplyWriter,
  entries: readonly ScoredMember[],
  withScores: boolean,
): void {
  const nested = withScores && reply.protocol === 3;
  reply.arrayHeader(withScores && !nested ? entries.length * 2 : entries.length);
  for (const entry of entries) {
    if (nested) reply.arrayHeader(2);
    reply.bulk(memberBytes(entry.member));
    if (withScores) reply.double(entry.score);
  }
}
