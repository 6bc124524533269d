/**
 * How each type byte's value is read back (rdb.c:rdbLoadObject), shared by the file reader and
 * DUMP payloads. Everything Redis 7.0 writes (0, 2, 4, 5, 11, 16, 17, 18 with PLAIN nodes and LZF
 * blobs) and the older forms it still loads (1, 3, 9, 10, 12, 13, 14) come back in the shapes of
 * types.ts: keys, fields and members as latin1 strings, values as Buffers the caller owns.
 *
 * Validation is deep, as redis-check-rdb and sanitize-dump-payload yes do it: every embedded
 * listpack, intset, ziplist and zipmap is fully decoded, and a duplicate member or field in a set,
 * hash or zset is corruption. A collection that decodes to nothing returns undefined: Redis skips
 * such keys when loading a file ("rdbLoadObject skipping empty key") and refuses them in RESTORE.
 * Module values throw as in a Redis without that module. Streams (15 and 19) are read as
 * rdbLoadObject reads them: every node key must be 16 bytes and every listpack a valid stream node
 * (stream-listpack.ts), node keys unique, group names unique, each consumer's pending IDs present in
 * its group's PEL, and every PEL entry owned by a consumer. A stream is never "empty": an empty
 * stream (no entries, maybe groups) is a real value.
 */

import {
  moduleTypeName,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { parseDouble, strtod } from './double-text.js';
import { decodeIntset } from './intset.js';
import { decodeListpack } from './listpack.js';
import type { RdbCursor } from './rdb-cursor.js';
import { decodeStreamIdKey, decodeStreamNode, makeStreamId } from './stream-listpack.js';
import type { RdbStreamGroup, RdbStreamNack, RdbValueOut, StreamNodeOut } from './types.js';
import { decodeZiplist, decodeZipmap } from './ziplist.js';

type ZsetEntry = { member: string; score: number };

/** Reads the value of type `type`; undefined for an empty collection (Redis skips those). */
export function readRdbValue(cursor: RdbCursor, type: number): RdbValueOut | undefined {
  switch (type) {
    case RDB_TYPE_STRING:
      return { type: 'string', value: cursor.readBuffer() };
    case RDB_TYPE_LIST:
      return readLinkedList(cursor);
    case RDB_TYPE_SET:
      return readHashtableSet(cursor);
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2:
      return readSkiplistZset(cursor, type === RDB_TYPE_ZSET_2);
    case RDB_TYPE_HASH:
      return readHashtableHash(cursor);
    case RDB_TYPE_SET_INTSET:
      return readIntset(cursor);
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK:
      return readCompactHash(cursor, type);
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK:
      return readCompactZset(cursor, type);
    case RDB_TYPE_LIST_ZIPLIST:
      return listOrEmpty(decodeBlob(cursor, 'Ziplist integrity check failed.', decodeZiplist));
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      return readQuicklist(cursor, type === RDB_TYPE_LIST_QUICKLIST_2);
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2: {
      // Replisim loads no modules, so every module value is one Redis cannot load either.
      const name = moduleTypeName(cursor.readLength64());
      throw cursor.corrupt(
        `The RDB file contains module data I can't load: no matching module type '${name}'`,
      );
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return readStream(cursor, type === RDB_TYPE_STREAM_LISTPACKS_2);
    default:
      throw cursor.corrupt(`Unknown RDB encoding type ${type}`);
  }
}

function listOrEmpty(elements: Buffer[]): RdbValueOut | undefined {
  return elements.length === 0 ? undefined : { type: 'list', elements };
}

/**
 * A blob decoded by one of the embedded-structure decoders; any failure is corruption with
 * Redis's message for that structure. The blob is copied first when it is a view into the input,
 * so the decoded items never alias the reader's buffer.
 */
function decodeBlob(
  cursor: RdbCursor,
  failure: string,
  decode: (blob: Buffer) => Buffer[],
): Buffer[] {
  const blob = cursor.readBuffer();
  try {
    return decode(blob);
  } catch {
    throw cursor.corrupt(failure);
  }
}

function readLinkedList(cursor: RdbCursor): RdbValueOut | undefined {
  const count = cursor.readLength();
  const elements: Buffer[] = [];
  for (let index = 0; index < count; index++) elements.push(cursor.readBuffer());
  return listOrEmpty(elements);
}

function readHashtableSet(cursor: RdbCursor): RdbValueOut | undefined {
  const count = cursor.readLength();
  const seen = new Set<string>();
  for (let index = 0; index < count; index++) {
    const member = cursor.readLatin1();
    if (seen.has(member)) throw cursor.corrupt('Duplicate set members detected');
    seen.add(member);
  }
  if (seen.size === 0) return undefined;
  return { type: 'set', encoding: 'hashtable', members: [...seen] };
}

function readHashtableHash(cursor: RdbCursor): RdbValueOut | undefined {
  const count = cursor.readLength();
  const seen = new Set<string>();
  const entries: [string, Buffer][] = [];
  for (let index = 0; index < count; index++) {
    const field = cursor.readLatin1();
    const value = cursor.readBuffer();
    if (seen.has(field)) throw cursor.corrupt('Duplicate hash fields detected');
    seen.add(field);
    entries.push([field, value]);
  }
  if (entries.length === 0) return undefined;
  return { type: 'hash', encoding: 'hashtable', entries };
}

/** ZSET (v1: scores as text) and ZSET_2 (scores as LE doubles). */
function readSkiplistZset(cursor: RdbCursor, binaryScores: boolean): RdbValueOut | undefined {
  const count = cursor.readLength();
  const seen = new Set<string>();
  const entries: ZsetEntry[] = [];
  for (let index = 0; index < count; index++) {
    const member = cursor.readLatin1();
    const score = binaryScores ? cursor.readDoubleLE() : readTextScore(cursor);
    if (Number.isNaN(score)) throw cursor.corrupt('Zset with NAN score detected');
    if (seen.has(member)) throw cursor.corrupt('Duplicate zset fields detected');
    seen.add(member);
    entries.push({ member, score });
  }
  if (entries.length === 0) return undefined;
  return { type: 'zset', encoding: 'skiplist', entries };
}

/** rdbLoadDoubleValue: 1-byte length, 253 = nan, 254 = +inf, 255 = -inf, else ASCII. */
function readTextScore(cursor: RdbCursor): number {
  const length = cursor.readByte();
  if (length === 253) return Number.NaN;
  if (length === 254) return Number.POSITIVE_INFINITY;
  if (length === 255) return Number.NEGATIVE_INFINITY;
  const text = cursor.readView(length).toString('latin1');
  const score = parseDouble(text);
  if (score === undefined) throw cursor.corrupt('Invalid double value');
  return score;
}

function readIntset(cursor: RdbCursor): RdbValueOut | undefined {
  const blob = cursor.readBuffer();
  let members: string[];
  try {
    members = decodeIntset(blob);
  } catch {
    throw cursor.corrupt('Intset integrity check failed.');
  }
  if (members.length === 0) return undefined;
  return { type: 'set', encoding: 'intset', members };
}

function readCompactHash(cursor: RdbCursor, type: number): RdbValueOut | undefined {
  const failure =
    type === RDB_TYPE_HASH_LISTPACK
      ? 'Hash listpack integrity check failed.'
      : type === RDB_TYPE_HASH_ZIPLIST
        ? 'Hash ziplist integrity check failed.'
        : 'Zipmap integrity check failed.';
  const decode =
    type === RDB_TYPE_HASH_LISTPACK
      ? decodeListpack
      : type === RDB_TYPE_HASH_ZIPLIST
        ? decodeZiplist
        : decodeZipmap;
  const items = decodeBlob(cursor, failure, decode);
  if (items.length % 2 !== 0) throw cursor.corrupt(failure);
  const seen = new Set<string>();
  const entries: [string, Buffer][] = [];
  for (let index = 0; index < items.length; index += 2) {
    const field = (items[index] as Buffer).toString('latin1');
    if (seen.has(field)) throw cursor.corrupt(failure);
    seen.add(field);
    entries.push([field, items[index + 1] as Buffer]);
  }
  if (entries.length === 0) return undefined;
  return { type: 'hash', encoding: 'listpack', entries };
}

function readCompactZset(cursor: RdbCursor, type: number): RdbValueOut | undefined {
  const failure =
    type === RDB_TYPE_ZSET_LISTPACK
      ? 'Zset listpack integrity check failed.'
      : 'Zset ziplist integrity check failed.';
  const items = decodeBlob(
    cursor,
    failure,
    type === RDB_TYPE_ZSET_LISTPACK ? decodeListpack : decodeZiplist,
  );
  if (items.length % 2 !== 0) throw cursor.corrupt(failure);
  const seen = new Set<string>();
  const entries: ZsetEntry[] = [];
  for (let index = 0; index < items.length; index += 2) {
    const member = (items[index] as Buffer).toString('latin1');
    // Redis reads these scores with strtod and never rejects one (zzlGetScore).
    const score = strtod((items[index + 1] as Buffer).toString('latin1'));
    if (seen.has(member)) throw cursor.corrupt(failure);
    seen.add(member);
    entries.push({ member, score });
  }
  if (entries.length === 0) return undefined;
  return { type: 'zset', encoding: 'listpack', entries };
}

/** QUICKLIST (ziplist nodes) and QUICKLIST_2 (container + listpack or plain element). */
function readQuicklist(cursor: RdbCursor, version2: boolean): RdbValueOut | undefined {
  const nodes = cursor.readLength();
  const elements: Buffer[] = [];
  for (let index = 0; index < nodes; index++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (version2) {
      container = cursor.readLength();
      if (
        container !== QUICKLIST_NODE_CONTAINER_PACKED &&
        container !== QUICKLIST_NODE_CONTAINER_PLAIN
      ) {
        throw cursor.corrupt('Quicklist integrity check failed.');
      }
    }
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      elements.push(cursor.readBuffer());
      continue;
    }
    const items = version2
      ? decodeBlob(cursor, 'Listpack integrity check failed.', decodeListpack)
      : decodeBlob(cursor, 'Ziplist integrity check failed.', decodeZiplist);
    for (const item of items) elements.push(item);
  }
  return listOrEmpty(elements);
}

const STREAM_ID_BYTES = 16;

function readStreamIdPair(cursor: RdbCursor): bigint {
  const ms = cursor.readLength64();
  const seq = cursor.readLength64();
  return makeStreamId(ms, seq);
}

/** Reads a uint64 length as C's long long would hold it (2^64 - 1 is -1). */
function readSignedLength(cursor: RdbCursor): number {
  const value = cursor.readLength64();
  return Number(value >= 1n << 63n ? value - (1n << 64n) : value);
}

/** STREAM_LISTPACKS (v1, 5.0-6.2) and STREAM_LISTPACKS_2 (7.0). */
function readStream(cursor: RdbCursor, version2: boolean): RdbValueOut {
  const nodeCount = cursor.readLength();
  const nodes: { masterId: bigint; masterFields: Buffer[]; entries: StreamNodeOut[] }[] = [];
  const keys = new Set<bigint>();
  for (let index = 0; index < nodeCount; index++) {
    const key = cursor.readBuffer();
    if (key.length !== STREAM_ID_BYTES) {
      throw cursor.corrupt('Stream node key entry is not the size of a stream ID');
    }
    const masterId = decodeStreamIdKey(key);
    const blob = cursor.readBuffer();
    let node: ReturnType<typeof decodeStreamNode>;
    try {
      node = decodeStreamNode(blob, masterId);
    } catch (error) {
      const empty = error instanceof Error && error.message === 'Empty listpack inside stream';
      throw cursor.corrupt(
        empty ? 'Empty listpack inside stream' : 'Stream listpack integrity check failed.',
      );
    }
    if (keys.has(masterId)) throw cursor.corrupt('Listpack re-added with existing key');
    keys.add(masterId);
    nodes.push({ masterId, masterFields: node.masterFields, entries: node.entries });
  }
  nodes.sort((a, b) => (a.masterId < b.masterId ? -1 : a.masterId > b.masterId ? 1 : 0));
  const length = Number(cursor.readLength64());
  const lastId = readStreamIdPair(cursor);
  let firstId = 0n;
  let maxDeletedId = 0n;
  let entriesAdded = length;
  if (version2) {
    firstId = readStreamIdPair(cursor);
    maxDeletedId = readStreamIdPair(cursor);
    entriesAdded = Number(cursor.readLength64());
  } else {
    firstId = firstLiveId(nodes) ?? (1n << 128n) - 1n;
  }
  if (length > 0 && nodes.length === 0) {
    throw cursor.corrupt('Stream length inconsistent with rax entries');
  }
  const groupCount = cursor.readLength();
  const groups: RdbStreamGroup[] = [];
  const groupNames = new Set<string>();
  for (let g = 0; g < groupCount; g++) {
    const name = cursor.readLatin1();
    const lastDelivered = readStreamIdPair(cursor);
    const entriesRead = version2 ? readSignedLength(cursor) : -2;
    if (groupNames.has(name)) throw cursor.corrupt(`Duplicated consumer group name ${name}`);
    groupNames.add(name);
    const pelSize = cursor.readLength();
    const pel: RdbStreamNack[] = [];
    const owner = new Map<bigint, boolean>();
    for (let i = 0; i < pelSize; i++) {
      const id = decodeStreamIdKey(cursor.readView(STREAM_ID_BYTES));
      const deliveryTimeMs = cursor.readInt64LE();
      const deliveryCount = Number(cursor.readLength64());
      if (owner.has(id)) {
        throw cursor.corrupt('Duplicated global PEL entry loading stream consumer group');
      }
      owner.set(id, false);
      pel.push({ id, deliveryTimeMs, deliveryCount });
    }
    const consumerCount = cursor.readLength();
    const consumers: { name: string; seenTimeMs: number; pending: bigint[] }[] = [];
    const consumerNames = new Set<string>();
    for (let c = 0; c < consumerCount; c++) {
      const consumerName = cursor.readLatin1();
      if (consumerNames.has(consumerName)) {
        throw cursor.corrupt('Duplicate stream consumer detected.');
      }
      consumerNames.add(consumerName);
      const seenTimeMs = cursor.readInt64LE();
      const pendingCount = cursor.readLength();
      const pending: bigint[] = [];
      const seen = new Set<bigint>();
      for (let i = 0; i < pendingCount; i++) {
        const id = decodeStreamIdKey(cursor.readView(STREAM_ID_BYTES));
        const owned = owner.get(id);
        if (owned === undefined)
          throw cursor.corrupt('Consumer entry not found in group global PEL');
        if (seen.has(id)) {
          throw cursor.corrupt('Duplicated consumer PEL entry  loading a stream consumer group');
        }
        owner.set(id, true);
        seen.add(id);
        pending.push(id);
      }
      consumers.push({ name: consumerName, seenTimeMs, pending });
    }
    for (const owned of owner.values()) {
      if (!owned) throw cursor.corrupt('Stream CG PEL entry without consumer');
    }
    pel.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    groups.push({ name, lastId: lastDelivered, entriesRead, pel, consumers });
  }
  return {
    type: 'stream',
    nodes,
    meta: { length, lastId, firstId, maxDeletedId, entriesAdded, groups },
  };
}

function firstLiveId(nodes: readonly { entries: StreamNodeOut[] }[]): bigint | undefined {
  for (const node of nodes) {
    for (const entry of node.entries) if (!entry.deleted) return entry.id;
  }
  return undefined;
}
