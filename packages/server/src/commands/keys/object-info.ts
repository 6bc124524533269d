/**
 * What OBJECT and DEBUG OBJECT report about a stored value: its encoding, its reference count and
 * an estimate of its RDB size (DEBUG OBJECT's serializedlength) and quicklist layout.
 *
 * Encodings are exact: strings follow strings/encoding.ts, collections carry theirs, lists are
 * always `quicklist` in 7.0. The reference count is 2147483647 (OBJ_SHARED_REFCOUNT) for the shared
 * integers 0..9999 that Redis stores in place of small int-encoded strings, else 1.
 *
 * The serialized length follows rdb.c's layout (length prefixes, integer-encoded strings, listpack
 * and intset blobs for the small encodings, 8-byte binary scores for skiplists) with listpack entry
 * sizes as listpack.c encodes them, but it ignores LZF compression (which Redis tries on strings
 * longer than 20 bytes when rdbcompression is on), so it overstates compressible values. The
 * quicklist node count assumes nodes are filled in order up to list-max-listpack-size.
 */
import { encodeDumpPayload, formatDouble } from '@replisim/protocol';
import type { ServerConfig } from '../../config/server-config.js';
import type { RedisValue } from '../../keyspace/values.js';
import { toRdbValue } from '../../persistence/rdb-values.js';
import { parseInt64 } from '../errors.js';
import { stringEncoding } from '../strings/encoding.js';

/** A DUMP payload's type byte, RDB version (2 bytes) and CRC64 (8 bytes). */
const DUMP_TYPE_AND_FOOTER_BYTES = 11;
/** OBJ_SHARED_REFCOUNT in server.h. */
const SHARED_REFCOUNT = 2147483647;
/** OBJ_SHARED_INTEGERS in server.h: 0..9999 are shared objects. */
const SHARED_INTEGERS = 10000n;
/** Listpack header (total bytes + element count) and end byte. */
const LISTPACK_HEADER_BYTES = 6;
const LISTPACK_END_BYTES = 1;
/** Intset header: encoding and length, 4 bytes each. */
const INTSET_HEADER_BYTES = 8;
/** quicklist's SIZE_SAFETY_LIMIT, which also caps a node filled by count. */
const QUICKLIST_NODE_BYTES_SAFETY = 8192;

export function encodingOf(value: RedisValue): string {
  switch (value.type) {
    case 'string':
      return stringEncoding(value);
    case 'list':
      return 'quicklist';
    default:
      return value.encoding;
  }
}

export function refcountOf(value: RedisValue): number {
  if (value.type !== 'string' || stringEncoding(value) !== 'int') return 1;
  const n = parseInt64(value.value);
  return n !== undefined && n >= 0n && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
}

/** rdbSaveLen's size: 1, 2, 5 or 9 bytes. */
function rdbLengthBytes(length: number): number {
  if (length < 1 << 6) return 1;
  if (length < 1 << 14) return 2;
  return length <= 0xffffffff ? 5 : 9;
}

/** An integer Redis's RDB would store as an 8, 16 or 32-bit integer (rdbTryIntegerEncoding). */
function rdbIntegerBytes(bytes: Buffer): number | undefined {
  if (bytes.length > 11) return undefined;
  const n = parseInt64(bytes);
  if (n === undefined) return undefined;
  if (n >= -128n && n <= 127n) return 2;
  if (n >= -32768n && n <= 32767n) return 3;
  if (n >= -(2n ** 31n) && n <= 2n ** 31n - 1n) return 5;
  return undefined;
}

function rdbStringBytes(bytes: Buffer): number {
  return rdbIntegerBytes(bytes) ?? rdbLengthBytes(bytes.length) + bytes.length;
}

/** One listpack entry: encoding plus data, then the back-length (lpEncodeBacklen). */
export function listpackEntryBytes(bytes: Buffer): number {
  const n = bytes.length <= 20 ? parseInt64(bytes) : undefined;
  let size: number;
  if (n !== undefined) {
    if (n >= 0n && n <= 127n) size = 1;
    else if (n >= -4096n && n <= 4095n) size = 2;
    else if (n >= -32768n && n <= 32767n) size = 3;
    else if (n >= -8388608n && n <= 8388607n) size = 4;
    else if (n >= -(2n ** 31n) && n <= 2n ** 31n - 1n) size = 5;
    else size = 9;
  } else if (bytes.length < 64) size = 1 + bytes.length;
  else if (bytes.length < 4096) size = 2 + bytes.length;
  else size = 5 + bytes.length;
  const backlen =
    size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
  return size + backlen;
}

function listpackBytes(entries: Iterable<Buffer>): number {
  let bytes = LISTPACK_HEADER_BYTES + LISTPACK_END_BYTES;
  for (const entry of entries) bytes += listpackEntryBytes(entry);
  return bytes;
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The quicklist layout DEBUG OBJECT prints for a list. */
export interface QuicklistLayout {
  readonly nodes: number;
  readonly nodeBytes: readonly number[];
  /** Per node, the element of a PLAIN node (one element stored as is), else null (a listpack). */
  readonly plainElements: readonly (Buffer | null)[];
}

/** quicklist.c's packed_threshold default: an element of 1 GB or more gets a PLAIN node. */
export const QUICKLIST_PACKED_THRESHOLD_DEFAULT: number = 1 << 30;

/**
 * Nodes filled in order: by bytes for a negative fill (-1 = 4 KiB ... -5 = 64 KiB), else by count.
 * An element of packedThreshold bytes or more sits alone in a PLAIN node (isLargeElement), and the
 * next element starts a new listpack node, as _quicklistNodeAllowInsert refuses to join a plain one.
 */
export function quicklistLayout(
  elements: Iterable<Buffer>,
  fill: number,
  packedThreshold: number = QUICKLIST_PACKED_THRESHOLD_DEFAULT,
): QuicklistLayout {
  const bytesMax = fill < 0 ? 4096 * 2 ** (Math.min(-fill, 5) - 1) : QUICKLIST_NODE_BYTES_SAFETY;
  const countMax = fill > 0 ? fill : Number.POSITIVE_INFINITY;
  const nodeBytes: number[] = [];
  const plainElements: (Buffer | null)[] = [];
  let bytes = 0;
  let count = 0;
  const close = (): void => {
    if (count === 0) return;
    nodeBytes.push(bytes);
    plainElements.push(null);
    bytes = 0;
    count = 0;
  };
  for (const element of elements) {
    if (element.length >= packedThreshold) {
      close();
      nodeBytes.push(element.length);
      plainElements.push(element);
      continue;
    }
    const entry = listpackEntryBytes(element);
    const empty = LISTPACK_HEADER_BYTES + LISTPACK_END_BYTES;
    if (count > 0 && (count >= countMax || bytes + entry > bytesMax)) close();
    if (count === 0) bytes = empty;
    bytes += entry;
    count++;
  }
  close();
  return { nodes: nodeBytes.length, nodeBytes, plainElements };
}

function intsetBytes(members: Iterable<string>): number {
  let width = 2;
  let count = 0;
  for (const member of members) {
    const n = BigInt(member);
    if (n < -(2n ** 31n) || n > 2n ** 31n - 1n) width = 8;
    else if ((n < -32768n || n > 32767n) && width < 4) width = 4;
    count++;
  }
  return INTSET_HEADER_BYTES + width * count;
}

/** Estimated size of the value in an RDB file (see the module doc for what is not modelled). */
export function serializedLength(
  value: RedisValue,
  config: ServerConfig,
  packedThreshold: number = QUICKLIST_PACKED_THRESHOLD_DEFAULT,
): number {
  switch (value.type) {
    case 'string':
      return rdbStringBytes(value.value);
    case 'list': {
      const layout = quicklistLayout(value.value, config.listMaxListpackSize, packedThreshold);
      let bytes = rdbLengthBytes(layout.nodes);
      layout.nodeBytes.forEach((node, i) => {
        // A container byte, then a PLAIN node's element by the string rule, or the listpack blob.
        const plain = layout.plainElements[i];
        bytes += 1 + (plain ? rdbStringBytes(plain) : rdbLengthBytes(node) + node);
      });
      return bytes;
    }
    case 'set': {
      if (value.encoding === 'intset') {
        const blob = intsetBytes(value.value);
        return rdbLengthBytes(blob) + blob;
      }
      let bytes = rdbLengthBytes(value.value.size);
      for (const member of value.value) bytes += rdbStringBytes(latin1(member));
      return bytes;
    }
    case 'zset': {
      if (value.encoding === 'listpack') {
        const entries: Buffer[] = [];
        for (const { member, score } of value.value) {
          entries.push(latin1(member), latin1(formatDouble(score)));
        }
        const blob = listpackBytes(entries);
        return rdbLengthBytes(blob) + blob;
      }
      let bytes = rdbLengthBytes(value.value.size);
      for (const { member } of value.value) bytes += rdbStringBytes(latin1(member)) + 8;
      return bytes;
    }
    case 'hash': {
      if (value.encoding === 'listpack') {
        const entries: Buffer[] = [];
        for (const [field, fieldValue] of value.value) entries.push(latin1(field), fieldValue);
        const blob = listpackBytes(entries);
        return rdbLengthBytes(blob) + blob;
      }
      let bytes = rdbLengthBytes(value.value.size);
      for (const [field, fieldValue] of value.value) {
        bytes += rdbStringBytes(latin1(field)) + rdbStringBytes(fieldValue);
      }
      return bytes;
    }
    case 'stream':
      // Encoded for real (LZF as rdbcompression says): the type byte and the DUMP footer are not part of it.
      return (
        encodeDumpPayload(toRdbValue(value, packedThreshold), {
          compression: config.rdbcompression,
        }).length - DUMP_TYPE_AND_FOOTER_BYTES
      );
  }
}
