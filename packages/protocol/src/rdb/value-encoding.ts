/**
 * How Redis 7.0 serialises each value (rdb.c:rdbSaveObjectType / rdbSaveObject), shared by the file
 * writer, out-of-order key records and DUMP payloads:
 *
 * - string: type 0, the string rule (rdb-output.ts);
 * - list: type 18 (QUICKLIST_2), the quicklist RPUSH would build with list-max-listpack-size -2:
 *   a new node starts when node bytes + element bytes + 8 would pass 8 KB
 *   (_quicklistNodeAllowInsert), so an element larger than that sits alone in its own PACKED node;
 *   only an element of 1 GB or more gets a PLAIN node (the value's packedThreshold, which DEBUG
 *   QUICKLIST-PACKED-THRESHOLD changes);
 * - set: type 11 (one intset blob) when intset-encoded, else type 2 (the members);
 * - hash: type 16 (one listpack of field, value, ...) when listpack-encoded, else type 4;
 * - zset: type 17 (one listpack of member, score, ... ascending, scores in d2string form: integral
 *   values up to 2^62 as integers, others as %.17g) when listpack-encoded, else type 5 (ZSET_2)
 *   from the highest score to the lowest with 8-byte little-endian doubles, as rdbSaveObject walks the
 *   skiplist from its tail.
 *
 * - stream: type 19 (STREAM_LISTPACKS_2): the node count, each node's 16-byte key and listpack
 *   (stream-listpack.ts), then length, last ID, first ID, max deleted ID, entries added, and the
 *   consumer groups (name, last ID, entries read, the PEL with delivery times and counts, and the
 *   consumers with their seen time and the IDs they own), as rdbSaveObject writes them.
 *
 * Blobs (listpacks, intsets) go through the string rule like any string, so they may be LZF'd.
 * The counts given with a collection are asserted against what its iterable yields: a wrong count
 * would make the file unreadable.
 */
import { assert } from '@replisim/base';
import { formatDouble } from '../resp/format-double.js';
import {
  QUICKLIST_ENTRY_OVERHEAD_ESTIMATE,
  QUICKLIST_NODE_BYTES_MAX,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  QUICKLIST_PLAIN_THRESHOLD,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './constants.js';
import { encodeIntset } from './intset.js';
import { ListpackBuilder } from './listpack.js';
import type { RdbOutput } from './rdb-output.js';
import { encodeStreamIdKey, encodeStreamNode, streamIdMs, streamIdSeq } from './stream-listpack.js';
import type { RdbBytes, RdbValueIn } from './types.js';

/** The type byte Redis 7.0 writes for a value (rdbSaveObjectType). */
export function rdbTypeOf(value: RdbValueIn): number {
  switch (value.type) {
    case 'string':
      return RDB_TYPE_STRING;
    case 'list':
      return RDB_TYPE_LIST_QUICKLIST_2;
    case 'set':
      return value.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case 'hash':
      return value.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    case 'zset':
      return value.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case 'stream':
      return RDB_TYPE_STREAM_LISTPACKS_2;
  }
}

/** Writes the value's encoding (without its type byte) as rdbSaveObject does. */
export function writeRdbValue(out: RdbOutput, value: RdbValueIn, compression: boolean): void {
  switch (value.type) {
    case 'string':
      out.writeString(value.value, compression);
      return;
    case 'list':
      writeQuicklist(out, value.size, value.elements, compression, value.packedThreshold);
      return;
    case 'set':
      writeSet(out, value, compression);
      return;
    case 'hash':
      writeHash(out, value, compression);
      return;
    case 'zset':
      writeZset(out, value, compression);
      return;
    case 'stream':
      writeStream(out, value, compression);
      return;
  }
}

function writeStreamId(out: RdbOutput, id: bigint): void {
  out.writeLengthBig(streamIdMs(id));
  out.writeLengthBig(streamIdSeq(id));
}

function writeStream(
  out: RdbOutput,
  value: Extract<RdbValueIn, { type: 'stream' }>,
  compression: boolean,
): void {
  out.writeLength(value.nodes.length);
  let length = 0;
  for (const node of value.nodes) {
    assert(node.entries.length > 0, 'a stream node holds at least one entry');
    out.writeString(encodeStreamIdKey(node.masterId), compression);
    out.writeString(encodeStreamNode(node), compression);
    for (const entry of node.entries) if (!entry.deleted) length++;
  }
  const meta = value.meta;
  assert(length === meta.length, `stream length ${meta.length} but ${length} live entries`);
  out.writeLength(meta.length);
  writeStreamId(out, meta.lastId);
  writeStreamId(out, meta.firstId);
  writeStreamId(out, meta.maxDeletedId);
  out.writeLengthBig(BigInt(meta.entriesAdded));
  out.writeLength(meta.groups.length);
  for (const group of meta.groups) {
    out.writeString(group.name, compression);
    writeStreamId(out, group.lastId);
    out.writeLengthBig(BigInt(group.entriesRead));
    out.writeLength(group.pel.length);
    for (const nack of group.pel) {
      out.writeBytes(encodeStreamIdKey(nack.id));
      out.writeInt64LE(nack.deliveryTimeMs);
      out.writeLength(nack.deliveryCount);
    }
    out.writeLength(group.consumers.length);
    for (const consumer of group.consumers) {
      out.writeString(consumer.name, compression);
      out.writeInt64LE(consumer.seenTimeMs);
      out.writeLength(consumer.pending.length);
      for (const id of consumer.pending) out.writeBytes(encodeStreamIdKey(id));
    }
  }
}

type QuicklistNode = { readonly plain: RdbBytes } | { readonly packed: ListpackBuilder };

/** The nodes RPUSH of every element in order would build (quicklistPush with fill -2). */
export function quicklistNodes(
  elements: Iterable<RdbBytes>,
  packedThreshold: number = QUICKLIST_PLAIN_THRESHOLD,
): QuicklistNode[] {
  assert(packedThreshold > 0, 'packedThreshold must be positive');
  const nodes: QuicklistNode[] = [];
  let tail: ListpackBuilder | undefined;
  for (const element of elements) {
    const size = element.length;
    if (size >= packedThreshold) {
      nodes.push({ plain: element });
      tail = undefined;
      continue;
    }
    const fits =
      tail !== undefined &&
      tail.byteLength + size + QUICKLIST_ENTRY_OVERHEAD_ESTIMATE <= QUICKLIST_NODE_BYTES_MAX;
    if (tail === undefined || !fits) {
      tail = new ListpackBuilder();
      nodes.push({ packed: tail });
    }
    tail.push(element);
  }
  return nodes;
}

function writeQuicklist(
  out: RdbOutput,
  size: number,
  elements: Iterable<RdbBytes>,
  compression: boolean,
  packedThreshold?: number,
): void {
  const nodes = quicklistNodes(elements, packedThreshold);
  let count = 0;
  out.writeLength(nodes.length);
  for (const node of nodes) {
    if ('plain' in node) {
      out.writeLength(QUICKLIST_NODE_CONTAINER_PLAIN);
      out.writeString(node.plain, compression);
      count += 1;
    } else {
      out.writeLength(QUICKLIST_NODE_CONTAINER_PACKED);
      count += node.packed.count;
      out.writeString(node.packed.finish(), compression);
    }
  }
  assert(count === size, `list size ${size} but ${count} elements`);
}

function writeSet(
  out: RdbOutput,
  value: Extract<RdbValueIn, { type: 'set' }>,
  compression: boolean,
): void {
  if (value.encoding === 'intset') {
    const members = [...value.members];
    assert(members.length === value.size, `set size ${value.size} but ${members.length} members`);
    out.writeString(encodeIntset(members), compression);
    return;
  }
  out.writeLength(value.size);
  let count = 0;
  for (const member of value.members) {
    out.writeString(member, compression);
    count += 1;
  }
  assert(count === value.size, `set size ${value.size} but ${count} members`);
}

function writeHash(
  out: RdbOutput,
  value: Extract<RdbValueIn, { type: 'hash' }>,
  compression: boolean,
): void {
  let count = 0;
  if (value.encoding === 'listpack') {
    const listpack = new ListpackBuilder();
    for (const [field, fieldValue] of value.entries) {
      listpack.push(field);
      listpack.push(fieldValue);
      count += 1;
    }
    assert(count === value.size, `hash size ${value.size} but ${count} fields`);
    out.writeString(listpack.finish(), compression);
    return;
  }
  out.writeLength(value.size);
  for (const [field, fieldValue] of value.entries) {
    out.writeString(field, compression);
    out.writeString(fieldValue, compression);
    count += 1;
  }
  assert(count === value.size, `hash size ${value.size} but ${count} fields`);
}

/** Integral scores up to this magnitude are printed as integers (double2ll's LLONG_MAX/2). */
const SCORE_INTEGER_MAX = 2 ** 62;

/**
 * d2string as 7.0.15 formats a listpack score: 0 and -0 as "0"/"-0", an integral value within
 * +-2^62 through ll2string (so 1e17 is "100000000000000000", stored as an int64 entry), anything
 * else with %.17g.
 */
export function zsetScoreText(score: number): string {
  if (score !== 0 && Number.isInteger(score) && Math.abs(score) <= SCORE_INTEGER_MAX) {
    return BigInt(score).toString();
  }
  return formatDouble(score);
}

function writeZset(
  out: RdbOutput,
  value: Extract<RdbValueIn, { type: 'zset' }>,
  compression: boolean,
): void {
  if (value.encoding === 'listpack') {
    const listpack = new ListpackBuilder();
    let count = 0;
    for (const { member, score } of value.entries) {
      listpack.push(member);
      listpack.push(zsetScoreText(score));
      count += 1;
    }
    assert(count === value.size, `zset size ${value.size} but ${count} members`);
    out.writeString(listpack.finish(), compression);
    return;
  }
  const entries = [...value.entries];
  assert(entries.length === value.size, `zset size ${value.size} but ${entries.length} members`);
  out.writeLength(entries.length);
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index];
    if (entry === undefined) continue;
    out.writeString(entry.member, compression);
    out.writeDoubleLE(entry.score);
  }
}
