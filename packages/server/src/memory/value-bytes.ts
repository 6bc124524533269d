/**
 * What a key costs in Redis 7.0's memory, estimated: the allocations Redis makes for the key, its
 * value and its dict entries, each rounded up to jemalloc's size class, as zmalloc_used_memory
 * counts them. This is the dataset part of used_memory (memory/used-memory.ts); eviction compares
 * it with maxmemory, so it has to grow and shrink like Redis's and cost O(1) per string key.
 *
 * The layouts, from Redis 7.0's object.c, sds.c, dict.c, t_zset.c, quicklist.c and listpack.c:
 * - every key: a dictEntry (24 bytes -> 32) and the key's sds copy (sdsdup: a 1-byte header under
 *   32 bytes, then 3, 5, 9 or 17); a key with a TTL adds a dictEntry in the expires dict.
 * - strings: `int` is a bare robj (16); `embstr` is robj + sdshdr8 + bytes + NUL in one allocation;
 *   `raw` is a robj plus a separate sds.
 * - hash/zset `listpack`: robj + the listpack (6-byte header, entries as listpack.c encodes them,
 *   1 end byte). Hash `hashtable`: robj + dict (56 -> 64) + bucket array + per field a dictEntry,
 *   a field sds and a value sds. Set `intset`: robj + 8-byte header + width x members; set
 *   `hashtable`: robj + dict + buckets + per member a dictEntry and an sds. Zset `skiplist`: robj +
 *   zset (16) + dict + buckets + zskiplist (32) + its 32-level header node (536 -> 640) + per
 *   member a dictEntry, an sds and a node of 24 + 16 x level bytes (ZSKIPLIST_P = 1/4 levels,
 *   charged at the expected jemalloc size).
 * - lists: robj + quicklist (40 -> 48) + per node a quicklistNode (32) and its listpack, nodes
 *   filled as list-max-listpack-size -2 (8 KB) fills them.
 *
 * Not modelled: sds free space (APPEND's greedy growth), dict rehashing (two tables for a while),
 * shared integer objects (OBJ_SHARED_INTEGERS), listpack compression (list-compress-depth).
 */
import { formatDouble } from '@replisim/protocol';
import { listpackEntryBytes, quicklistLayout } from '../commands/keys/object-info.js';
import { EMBSTR_BYTES_MAX, stringEncoding } from '../commands/strings/encoding.js';
import type { RedisValue } from '../keyspace/values.js';

/** sizeof(robj): type, encoding, lru (24 bits), refcount, ptr. */
export const ROBJ_BYTES = 16;
/** sizeof(dictEntry) (key, value, next), as jemalloc rounds it. */
export const DICT_ENTRY_BYTES = 32;
/** sizeof(dict) in 7.0 (56), as jemalloc rounds it. */
const DICT_BYTES = 64;
/** One bucket pointer of a dict's table. */
const DICT_BUCKET_BYTES = 8;
/** DICT_HT_INITIAL_SIZE: the smallest table of a dict that holds anything. */
const DICT_TABLE_SIZE_MIN = 4;
/** sizeof(zset) (dict pointer, skiplist pointer). */
const ZSET_BYTES = 16;
/** sizeof(zskiplist) (header, tail, length, level). */
const ZSKIPLIST_BYTES = 32;
/** The header node: zskiplistNode (24) + ZSKIPLIST_MAXLEVEL (32) levels of 16 bytes, rounded. */
const ZSKIPLIST_HEADER_BYTES = 640;
/**
 * The expected jemalloc size of a skiplist node of 24 + 16 x level bytes, levels drawn with
 * p = 1/4: 48 (level 1, 3/4), 64 (level 2, 3/16), 80 (3/64), 96 and up for the rest.
 */
const ZSKIPLIST_NODE_BYTES_EXPECTED = 53;
/** sizeof(quicklist), rounded. */
const QUICKLIST_BYTES = 48;
/** sizeof(quicklistNode). */
const QUICKLIST_NODE_BYTES = 32;
/** list-max-listpack-size's default: nodes of at most 8 KB. */
const QUICKLIST_FILL = -2;
/** Listpack header (total bytes + element count) and end byte. */
const LISTPACK_EMPTY_BYTES = 7;
/** Intset header: encoding and length. */
const INTSET_HEADER_BYTES = 8;
/** The longest string that can be `int` encoded (a 64-bit decimal with its sign). */
const INT_STRING_BYTES_MAX = 20;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** sdshdr8 plus the NUL terminator: what an embstr adds to its robj. */
const EMBSTR_EXTRA_BYTES = 4;

/**
 * jemalloc 5's size class for a request of `bytes` (what zmalloc_size reports): multiples of 8
 * and 16 up to 128, then four classes per doubling (160, 192, 224, 256, 320, ...).
 */
export function jemallocSize(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return (bytes + 15) & ~15;
  const spacing = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / spacing) * spacing;
}

/** sdsReqType's header: 1 byte under 32 bytes, then sdshdr8/16/32/64. */
function sdsHeaderBytes(length: number): number {
  if (length < 32) return 1;
  if (length < 256) return 3;
  if (length < 65536) return 5;
  return length < 2 ** 32 ? 9 : 17;
}

/** An sds of `length` bytes as sdsnewlen allocates it: header, bytes and NUL, rounded. */
export function sdsBytes(length: number): number {
  return jemallocSize(sdsHeaderBytes(length) + length + 1);
}

/** A dict's bucket array for `used` entries (the table is a power of two, at least 4, >= used). */
export function dictTableBytes(used: number): number {
  if (used === 0) return 0;
  let size = DICT_TABLE_SIZE_MIN;
  while (size < used) size *= 2;
  return size * DICT_BUCKET_BYTES;
}

/** A key's own cost in the main dict: its dictEntry and its sds (the bucket is counted per db). */
export function keyBytes(keyLength: number): number {
  return DICT_ENTRY_BYTES + sdsBytes(keyLength);
}

/** A string value's robj and bytes by encoding (int, embstr, raw). */
export function stringValueBytes(value: Extract<RedisValue, { type: 'string' }>): number {
  // A string past 20 bytes, or not starting with a digit or '-', cannot be `int`: skip
  // stringEncoding's integer parse (this runs for every SET).
  const length = value.value.length;
  const first = value.value[0] ?? 0;
  const numeric = first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9);
  if (value.encoding === undefined && (length > INT_STRING_BYTES_MAX || !numeric)) {
    return length <= EMBSTR_BYTES_MAX
      ? jemallocSize(ROBJ_BYTES + EMBSTR_EXTRA_BYTES + length)
      : ROBJ_BYTES + sdsBytes(length);
  }
  switch (stringEncoding(value)) {
    case 'int':
      return ROBJ_BYTES;
    case 'embstr':
      return jemallocSize(ROBJ_BYTES + EMBSTR_EXTRA_BYTES + value.value.length);
    case 'raw':
      return ROBJ_BYTES + sdsBytes(value.value.length);
  }
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** sizeof(stream) with its rax (t_stream.c streamNew), rounded to jemalloc's classes. */
const STREAM_BYTES = 96;
/** A rax node holding one 16-byte stream ID key and its child pointer, per listpack node. */
const STREAM_RAX_NODE_BYTES = 48;

function listpackBytes(entryBytes: number): number {
  return jemallocSize(LISTPACK_EMPTY_BYTES + entryBytes);
}

/**
 * The whole value's cost. O(1) for strings, O(elements) for collections: the database charges a
 * collection again only now and then (keyspace/database.ts), never per element changed.
 */
export function valueBytes(value: RedisValue): number {
  switch (value.type) {
    case 'string':
      return stringValueBytes(value);
    case 'list': {
      const layout = quicklistLayout(value.value, QUICKLIST_FILL);
      let bytes = ROBJ_BYTES + QUICKLIST_BYTES;
      for (const node of layout.nodeBytes) bytes += QUICKLIST_NODE_BYTES + jemallocSize(node);
      return bytes;
    }
    case 'hash': {
      if (value.encoding === 'listpack') {
        let entries = 0;
        for (const [field, fieldValue] of value.value) {
          entries += listpackEntryBytes(latin1(field)) + listpackEntryBytes(fieldValue);
        }
        return ROBJ_BYTES + listpackBytes(entries);
      }
      let bytes = ROBJ_BYTES + DICT_BYTES + dictTableBytes(value.value.size);
      for (const [field, fieldValue] of value.value) {
        bytes += DICT_ENTRY_BYTES + sdsBytes(field.length) + sdsBytes(fieldValue.length);
      }
      return bytes;
    }
    case 'set': {
      if (value.encoding === 'intset') {
        let width = 2;
        for (const member of value.value) {
          const n = Number(member);
          if (n < -(2 ** 31) || n > 2 ** 31 - 1) width = 8;
          else if ((n < -32768 || n > 32767) && width < 4) width = 4;
        }
        return ROBJ_BYTES + jemallocSize(INTSET_HEADER_BYTES + width * value.value.size);
      }
      let bytes = ROBJ_BYTES + DICT_BYTES + dictTableBytes(value.value.size);
      for (const member of value.value) bytes += DICT_ENTRY_BYTES + sdsBytes(member.length);
      return bytes;
    }
    case 'zset': {
      if (value.encoding === 'listpack') {
        let entries = 0;
        for (const { member, score } of value.value) {
          entries += listpackEntryBytes(latin1(member));
          entries += listpackEntryBytes(latin1(formatDouble(score)));
        }
        return ROBJ_BYTES + listpackBytes(entries);
      }
      let bytes = ROBJ_BYTES + ZSET_BYTES + DICT_BYTES + dictTableBytes(value.value.size);
      bytes += ZSKIPLIST_BYTES + ZSKIPLIST_HEADER_BYTES;
      for (const { member } of value.value) {
        bytes += DICT_ENTRY_BYTES + ZSKIPLIST_NODE_BYTES_EXPECTED + sdsBytes(member.length);
      }
      return bytes;
    }
    case 'stream': {
      // A stream struct and its rax, then one rax entry (the node's 16-byte master ID key) and one
      // listpack per node, as Redis allocates them (t_stream.c); consumer groups are not counted.
      let bytes = ROBJ_BYTES + STREAM_BYTES;
      for (const node of value.value.nodes)
        bytes += STREAM_RAX_NODE_BYTES + jemallocSize(node.bytes);
      return bytes;
    }
  }
}

/** The number of elements of a collection (0 for a string): what triggers a new charge. */
export function elementCount(value: RedisValue): number {
  switch (value.type) {
    case 'string':
      return 0;
    case 'list':
      return value.value.length;
    case 'stream':
      return value.value.length;
    default:
      return value.value.size;
  }
}
