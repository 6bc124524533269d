/**
 * The values a key can hold, one variant per Redis type. Strings are Buffers (binary-safe); members
 * and fields of collections are latin1 strings (one char per byte, so Map/Set lookups are fast and
 * ordering is memcmp order), and collection values are Buffers.
 *
 * Collections carry the encoding Redis 7.0 would report for OBJECT ENCODING. Redis converts a small
 * encoding (listpack, intset) to the big one (hashtable, skiplist) when a size threshold is passed
 * and never converts back, so the encoding is state, not a function of the current size.
 */
import type { Deque } from './deque.js';
import type { SortedSet } from './sorted-set.js';
import type { Stream } from './stream.js';

export interface StringValue {
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
  readonly type: 'string';
  readonly value: Buffer;
  /**
   * Set only where Redis stores the string without tryObjectEncoding (APPEND, SETRANGE: raw;
   * INCRBYFLOAT: embstr or raw by length). Absent: the encoding follows from the bytes, see
   * commands/strings/encoding.ts.
   */
  readonly encoding?: 'embstr' | 'raw';
}

export interface ListValue {
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
  readonly type: 'list';
  readonly value: Deque<Buffer>;
}

export interface HashValue {
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
  readonly type: 'hash';
  readonly value: Map<string, Buffer>;
  encoding: 'listpack' | 'hashtable';
}

export interface SetValue {
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
  readonly type: 'set';
  readonly value: Set<string>;
  encoding: 'intset' | 'hashtable';
}

export interface ZSetValue {
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
  readonly type: 'zset';
  readonly value: SortedSet;
  encoding: 'listpack' | 'skiplist';
}

/** Streams have one encoding, "stream" (a rax of listpacks in Redis; see stream.ts). */
export interface StreamValue {
  readonly type: 'stream';
  readonly value: Stream;
  readonly encoding: 'stream';
  /** Redis's robj lru field: LRU clock or LFU counter, kept by Database (memory/access.ts). */
  lru?: number;
}

export type RedisValue = StringValue | ListValue | HashValue | SetValue | ZSetValue | StreamValue;

export type RedisType = RedisValue['type'];

/** Redis's OBJ_* type numbers (server.h), used by DEBUG DIGEST and the RDB writer's type map. */
export const OBJ_TYPE: Readonly<Record<RedisType, number>> = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  stream: 6,
};
