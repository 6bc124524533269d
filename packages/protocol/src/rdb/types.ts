/**
 * The RDB codec's vocabulary: the values it writes and reads, the records a streaming reader yields,
 * and the error it throws on a corrupt file. The codec knows nothing about the server's keyspace;
 * the server adapts its values to these shapes (server/src/persistence/rdb-values.ts).
 *
 * Byte strings come in two forms, as in the server: Buffers for values, and latin1 strings (one char
 * per byte, so binary-safe) for keys, hash fields and set/zset members, which the server keeps as
 * Map/Set keys. The writer accepts either form anywhere (`RdbBytes`); the reader returns exactly the
 * form the server stores, so loading a snapshot converts nothing twice.
 */

import type { StreamNodeContents } from './stream-listpack.js';

/** A byte string: a Buffer, or a latin1 string with one char per byte. */
export type RdbBytes = Buffer | string;

/** Encodings that decide the type byte the writer uses (Redis 7.0 writes by the object's encoding). */
export type RdbSetEncoding = 'intset' | 'hashtable';
export type RdbHashEncoding = 'listpack' | 'hashtable';
export type RdbZSetEncoding = 'listpack' | 'skiplist';

/** A consumer group's pending entry (NACK) as the file stores it. */
export interface RdbStreamNack {
  readonly id: bigint;
  readonly deliveryTimeMs: number;
  readonly deliveryCount: number;
}

export interface RdbStreamConsumer {
  readonly name: RdbBytes;
  readonly seenTimeMs: number;
  /** The IDs this consumer owns, ascending; each is in the group's PEL. */
  readonly pending: readonly bigint[];
}

export interface RdbStreamGroup {
  readonly name: RdbBytes;
  readonly lastId: bigint;
  /**
   * -1 when invalid (SCG_INVALID_ENTRIES_READ). A v1 file (type 15) has no counter: the reader
   * gives -2, meaning "estimate it after load" (streamEstimateDistanceFromFirstEverEntry).
   */
  readonly entriesRead: number;
  /** Ascending by ID. */
  readonly pel: readonly RdbStreamNack[];
  /** Ascending by name (rax order). */
  readonly consumers: readonly RdbStreamConsumer[];
}

/** Stream metadata saved after the nodes (RDB_TYPE_STREAM_LISTPACKS_2). */
export interface RdbStreamMeta {
  readonly length: number;
  readonly lastId: bigint;
  readonly firstId: bigint;
  readonly maxDeletedId: bigint;
  readonly entriesAdded: number;
  /** Ascending by name (rax order). */
  readonly groups: readonly RdbStreamGroup[];
}

/** A value to write. Counts are given up front because the format writes them before the items. */
export type RdbValueIn =
  | { readonly type: 'string'; readonly value: RdbBytes }
  | {
      readonly type: 'list';
      readonly size: number;
      readonly elements: Iterable<RdbBytes>;
      /** Elements of this many bytes or more get PLAIN nodes (default QUICKLIST_PLAIN_THRESHOLD). */
      readonly packedThreshold?: number;
    }
  | {
      readonly type: 'set';
      readonly encoding: RdbSetEncoding;
      readonly size: number;
      readonly members: Iterable<RdbBytes>;
    }
  | {
      readonly type: 'hash';
      readonly encoding: RdbHashEncoding;
      readonly size: number;
      readonly entries: Iterable<readonly [RdbBytes, RdbBytes]>;
    }
  | {
      readonly type: 'zset';
      readonly encoding: RdbZSetEncoding;
      readonly size: number;
      /** Ascending by (score, member), as ZRANGE returns them. */
      readonly entries: Iterable<{ readonly member: RdbBytes; readonly score: number }>;
    }
  | {
      readonly type: 'stream';
      /** Ascending by master ID; each node's listpack is built by stream-listpack.ts. */
      readonly nodes: readonly StreamNodeContents[];
      readonly meta: RdbStreamMeta;
    };

/**
 * A value read back. `encoding` is the encoding the file used, which is a hint only: the server
 * decides the in-memory encoding from its own thresholds, as rdbLoadObject does.
 */
export type RdbValueOut =
  | { readonly type: 'string'; readonly value: Buffer }
  | { readonly type: 'list'; readonly elements: Buffer[] }
  | { readonly type: 'set'; readonly encoding: RdbSetEncoding; readonly members: string[] }
  | {
      readonly type: 'hash';
      readonly encoding: RdbHashEncoding;
      readonly entries: [field: string, value: Buffer][];
    }
  | {
      readonly type: 'zset';
      readonly encoding: RdbZSetEncoding;
      /** In file order; not necessarily sorted (ZSET_2 is written from highest to lowest). */
      readonly entries: { member: string; score: number }[];
    }
  | {
      readonly type: 'stream';
      readonly nodes: { masterId: bigint; masterFields: Buffer[]; entries: StreamNodeOut[] }[];
      readonly meta: RdbStreamMeta;
    };

export interface StreamNodeOut {
  readonly id: bigint;
  readonly fields: Buffer[];
  readonly deleted: boolean;
}

/** Replication state a snapshot carries in its AUX fields (rdbSaveInfoAuxFields, §2.4). */
export interface RdbReplicationInfo {
  /** The db the replication stream has SELECTed (repl-stream-db). */
  readonly streamDb: number;
  /** 40 hex chars (repl-id). */
  readonly replid: string;
  /** master_repl_offset at the snapshot point (repl-offset). */
  readonly offset: number;
}

/** The header of a dump: what goes into the AUX fields, in Redis 7.0's order. */
export interface RdbHeader {
  /** redis-ver, e.g. "7.0.15". */
  readonly redisVersion: string;
  /** ctime: unix seconds when the snapshot was taken. */
  readonly ctimeSeconds: number;
  /** used-mem in bytes. */
  readonly usedMemory: number;
  /** Present when the node has replication state; written as repl-stream-db, repl-id, repl-offset. */
  readonly replication?: RdbReplicationInfo;
  /** aof-base: true when the file is the base of an AOF. */
  readonly aofBase?: boolean;
}

/** One record of a dump, as the streaming reader yields them in file order. */
export type RdbRecord =
  | { readonly kind: 'aux'; readonly name: string; readonly value: string }
  | { readonly kind: 'selectdb'; readonly db: number }
  | { readonly kind: 'resizedb'; readonly size: number; readonly expires: number }
  | {
      readonly kind: 'key';
      /** The db selected by the last SELECTDB (0 before any). */
      readonly db: number;
      readonly key: string;
      readonly value: RdbValueOut;
      /** Absolute unix ms from EXPIRETIME_MS (or EXPIRETIME seconds x 1000). */
      readonly expireMs?: number;
      /** From an IDLE opcode (seconds). */
      readonly idleSeconds?: number;
      /** From a FREQ opcode. */
      readonly freq?: number;
    }
  /** A FUNCTION2 library (7.0 writes one per library); replisim has no functions and skips them. */
  | { readonly kind: 'function'; readonly code: string }
  | {
      readonly kind: 'eof';
      /** The stored checksum (0 when the writer had rdbchecksum off). */
      readonly storedChecksum: bigint;
      /** What the reader computed over every byte before the trailer. */
      readonly computedChecksum: bigint;
    };

/**
 * What the reader was doing when it failed, in redis-check-rdb's words ("While doing: ...").
 */
export type RdbPhase =
  | 'start'
  | 'read-type'
  | 'read-expire'
  | 'read-key'
  | 'read-object-value'
  | 'read-len'
  | 'read-aux'
  | 'read-module-aux'
  | 'read-functions'
  | 'check-sum';

/** A corrupt, truncated or unsupported dump. The message names the offset and what was read. */
export class RdbError extends Error {
  /** Redis's words for the failure, without the location ("Unexpected EOF reading RDB file"). */
  readonly reason: string;
  /**
   * Byte offset in the file where the failure was found, counted as redis-check-rdb counts it:
   * the start of the read that ran out of input, or the end of the item found to be bad.
   */
  readonly offset: number;
  readonly phase: RdbPhase;
  /** The key being read, if any (latin1). */
  readonly key: string | undefined;
  /** The type byte of the value being read, if any. */
  readonly valueType: number | undefined;
  /** True when the input ended early (truncation), as opposed to bad bytes. */
  readonly truncated: boolean;

  constructor(
    reason: string,
    details: {
      readonly offset: number;
      readonly phase: RdbPhase;
      readonly key?: string;
      readonly valueType?: number;
      readonly truncated?: boolean;
    },
  ) {
    const where = details.key === undefined ? '' : ` (key '${details.key}')`;
    super(`${reason} at offset ${details.offset} while doing ${details.phase}${where}`);
    this.name = 'RdbError';
    this.reason = reason;
    this.offset = details.offset;
    this.phase = details.phase;
    this.key = details.key;
    this.valueType = details.valueType;
    this.truncated = details.truncated ?? false;
  }
}
