/**
 * A stream node as Redis 7.0 lays it out inside one listpack (t_stream.c streamAppendItem), shared
 * by the RDB writer and reader and by the server's node-size bookkeeping:
 *
 *   master entry:  count | deleted | num-fields | field_1 ... field_N | 0
 *   each entry:    flags | ms-delta | seq-delta | [num-fields | field_1 value_1 ...] | lp-count
 *                  (with SAMEFIELDS in flags: flags | ms-delta | seq-delta | value_1 ... | lp-count)
 *
 * `count` is the live entries, `deleted` the tombstones (flag DELETED); the node's key in the rax is
 * the master ID as 16 big-endian bytes (ms then seq), and every entry's ID is stored as its uint64
 * difference from the master ID, written as a signed int64 (lpAppendInteger). An entry has
 * SAMEFIELDS exactly when its field names equal the master fields. lp-count lets a reader walk
 * right to left: N + 3 with SAMEFIELDS, else 2N + 4, as Redis computes it.
 *
 * Stream IDs are 128-bit bigints here: (ms << 64) | seq, so comparing two IDs is one comparison.
 */
import { assert } from '@replisim/base';
import { decodeListpack, ListpackBuilder, listpackEntrySize } from './listpack.js';
import type { RdbBytes } from './types.js';

export const STREAM_ITEM_FLAG_NONE = 0;
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

const U64_MASK = (1n << 64n) - 1n;
const U64_RANGE = 1n << 64n;
const INT64_LIMIT = 1n << 63n;
/** Header (6 bytes) and terminator (1 byte) of every listpack. */
export const LISTPACK_EMPTY_BYTES = 7;

/** One entry of a node as stored: its ID, field/value pairs flattened, and the tombstone flag. */
export interface StreamNodeEntry {
  readonly id: bigint;
  /** field_1, value_1, field_2, value_2, ... */
  readonly fields: readonly RdbBytes[];
  readonly deleted: boolean;
}

/** A node as the RDB codec sees it: the master fields and every entry (tombstones included). */
export interface StreamNodeContents {
  readonly masterId: bigint;
  readonly masterFields: readonly RdbBytes[];
  readonly entries: readonly StreamNodeEntry[];
}

export function streamIdMs(id: bigint): bigint {
  return id >> 64n;
}

export function streamIdSeq(id: bigint): bigint {
  return id & U64_MASK;
}

export function makeStreamId(ms: bigint, seq: bigint): bigint {
  return (ms << 64n) | seq;
}

/** The 16-byte rax key of a node: ms and seq, big-endian. */
export function encodeStreamIdKey(id: bigint): Buffer {
  const key = Buffer.allocUnsafe(16);
  key.writeBigUInt64BE(streamIdMs(id), 0);
  key.writeBigUInt64BE(streamIdSeq(id), 8);
  return key;
}

export function decodeStreamIdKey(key: Uint8Array, offset = 0): bigint {
  const view = Buffer.from(key.buffer, key.byteOffset + offset, 16);
  return makeStreamId(view.readBigUInt64BE(0), view.readBigUInt64BE(8));
}

/** (a - b) mod 2^64 as the int64 lpAppendInteger stores. */
function int64Delta(a: bigint, b: bigint): bigint {
  const delta = (a - b + U64_RANGE) & U64_MASK;
  return delta >= INT64_LIMIT ? delta - U64_RANGE : delta;
}

/** master + delta mod 2^64: the inverse of int64Delta. */
function addDelta(master: bigint, delta: bigint): bigint {
  return (master + delta + U64_RANGE) & U64_MASK;
}

/** The ms and seq deltas of `id` against the node's master ID. */
export function streamIdDeltas(id: bigint, masterId: bigint): [bigint, bigint] {
  return [
    int64Delta(streamIdMs(id), streamIdMs(masterId)),
    int64Delta(streamIdSeq(id), streamIdSeq(masterId)),
  ];
}

/**
 * Bytes an integer item adds to a listpack: its encoding and data (lpEncodeIntegerGetType: 1 byte
 * up to 127, 2 bytes within 13 bits, then int16, int24, int32, int64 with a type byte) plus a
 * one-byte backlen (every integer entry is at most 9 bytes). Computed from the value, with no
 * text round trip: the XADD path sizes several integers per entry.
 */
export function listpackIntegerSize(value: number | bigint): number {
  const n = typeof value === 'bigint' ? bigintToSafe(value) : value;
  if (n === undefined) return 10;
  if (n >= 0 && n <= 127) return 2;
  if (n >= -4096 && n <= 4095) return 3;
  if (n >= -32768 && n <= 32767) return 4;
  if (n >= -8388608 && n <= 8388607) return 5;
  if (n >= -2147483648 && n <= 2147483647) return 6;
  return 10;
}

const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** The bigint as a number when it is within the safe range (else undefined: an int64 item). */
function bigintToSafe(value: bigint): number | undefined {
  return value >= -SAFE_BIG && value <= SAFE_BIG ? Number(value) : undefined;
}

function bytesEqual(a: RdbBytes, b: RdbBytes): boolean {
  if (a.length !== b.length) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const left = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  return Buffer.compare(left, right) === 0;
}

/** Whether an entry's field names are the master fields (the SAMEFIELDS test). */
export function hasSameFields(
  fields: readonly RdbBytes[],
  masterFields: readonly RdbBytes[],
): boolean {
  if (fields.length !== masterFields.length * 2) return false;
  for (let i = 0; i < masterFields.length; i++) {
    if (!bytesEqual(fields[i * 2] as RdbBytes, masterFields[i] as RdbBytes)) return false;
  }
  return true;
}

/** Bytes of the master entry with the given counters. */
export function streamMasterBytes(
  live: number,
  deleted: number,
  masterFields: readonly RdbBytes[],
): number {
  let bytes = listpackIntegerSize(live) + listpackIntegerSize(deleted);
  bytes += listpackIntegerSize(masterFields.length);
  for (const field of masterFields) bytes += listpackEntrySize(field);
  return bytes + listpackIntegerSize(0);
}

/** Bytes one entry takes in its node (flags, deltas, fields or values, lp-count). */
export function streamEntryBytes(
  entry: StreamNodeEntry,
  masterId: bigint,
  masterFields: readonly RdbBytes[],
): number {
  const same = hasSameFields(entry.fields, masterFields);
  const [msDelta, seqDelta] = streamIdDeltas(entry.id, masterId);
  let bytes = listpackIntegerSize(flagsOf(entry.deleted, same));
  bytes += listpackIntegerSize(msDelta) + listpackIntegerSize(seqDelta);
  const pairs = entry.fields.length / 2;
  if (!same) bytes += listpackIntegerSize(pairs);
  for (let i = 0; i < entry.fields.length; i++) {
    if (same && i % 2 === 0) continue;
    bytes += listpackEntrySize(entry.fields[i] as RdbBytes);
  }
  return bytes + listpackIntegerSize(lpCount(pairs, same));
}

function flagsOf(deleted: boolean, same: boolean): number {
  return (
    (deleted ? STREAM_ITEM_FLAG_DELETED : STREAM_ITEM_FLAG_NONE) |
    (same ? STREAM_ITEM_FLAG_SAMEFIELDS : STREAM_ITEM_FLAG_NONE)
  );
}

function lpCount(pairs: number, same: boolean): number {
  return same ? pairs + 3 : pairs * 2 + 4;
}

/** The node's listpack, byte for byte as Redis holds it. */
export function encodeStreamNode(node: StreamNodeContents): Buffer {
  const builder = new ListpackBuilder();
  let live = 0;
  for (const entry of node.entries) if (!entry.deleted) live++;
  builder.pushInteger(live);
  builder.pushInteger(node.entries.length - live);
  builder.pushInteger(node.masterFields.length);
  for (const field of node.masterFields) builder.push(field);
  builder.pushInteger(0);
  for (const entry of node.entries) {
    assert(entry.fields.length % 2 === 0, 'stream entries hold field/value pairs');
    const same = hasSameFields(entry.fields, node.masterFields);
    const [msDelta, seqDelta] = streamIdDeltas(entry.id, node.masterId);
    builder.pushInteger(flagsOf(entry.deleted, same));
    builder.pushInteger(msDelta);
    builder.pushInteger(seqDelta);
    const pairs = entry.fields.length / 2;
    if (!same) builder.pushInteger(pairs);
    for (let i = 0; i < entry.fields.length; i++) {
      if (same && i % 2 === 0) continue;
      builder.push(entry.fields[i] as RdbBytes);
    }
    builder.pushInteger(lpCount(pairs, same));
  }
  return builder.finish();
}

/** Reads an integer item; throws if the item is not one. */
function integerItem(items: readonly Buffer[], index: number): bigint {
  const item = items[index];
  if (item === undefined) throw new Error(`stream listpack ends at item ${index}`);
  const text = item.toString('latin1');
  if (!/^-?\d+$/.test(text)) throw new Error(`stream listpack item ${index} is not an integer`);
  return BigInt(text);
}

/**
 * Decodes a node's listpack as streamValidateListpackIntegrity (deep) checks it: the master entry,
 * then exactly count + deleted entries, each with its lp-count matching, and nothing after.
 * Throws Error on anything malformed.
 */
export function decodeStreamNode(
  blob: Uint8Array,
  masterId: bigint,
): {
  masterFields: Buffer[];
  entries: { id: bigint; fields: Buffer[]; deleted: boolean }[];
  live: number;
} {
  const items = decodeListpack(blob);
  if (items.length === 0) throw new Error('Empty listpack inside stream');
  let at = 0;
  const live = integerItem(items, at++);
  const deleted = integerItem(items, at++);
  const masterCount = integerItem(items, at++);
  if (live < 0n || deleted < 0n || masterCount < 0n) throw new Error('negative stream counter');
  const masterFields: Buffer[] = [];
  for (let i = 0n; i < masterCount; i++) {
    const field = items[at++];
    if (field === undefined) throw new Error('stream master fields run past the listpack');
    masterFields.push(field);
  }
  if (integerItem(items, at++) !== 0n) throw new Error('stream master entry not terminated');
  const entries: { id: bigint; fields: Buffer[]; deleted: boolean }[] = [];
  let liveSeen = 0;
  const total = live + deleted;
  for (let n = 0n; n < total; n++) {
    const flags = integerItem(items, at++);
    const msDelta = integerItem(items, at++);
    const seqDelta = integerItem(items, at++);
    const same = (flags & BigInt(STREAM_ITEM_FLAG_SAMEFIELDS)) !== 0n;
    const isDeleted = (flags & BigInt(STREAM_ITEM_FLAG_DELETED)) !== 0n;
    const fields: Buffer[] = [];
    let pairs: number;
    if (same) {
      pairs = masterFields.length;
      for (let i = 0; i < pairs; i++) {
        const value = items[at++];
        if (value === undefined) throw new Error('stream entry runs past the listpack');
        fields.push(masterFields[i] as Buffer, value);
      }
    } else {
      const count = integerItem(items, at++);
      if (count < 0n || count > BigInt(items.length)) throw new Error('bad stream field count');
      pairs = Number(count);
      for (let i = 0; i < pairs * 2; i++) {
        const item = items[at++];
        if (item === undefined) throw new Error('stream entry runs past the listpack');
        fields.push(item);
      }
    }
    if (integerItem(items, at++) !== BigInt(lpCount(pairs, same))) {
      throw new Error('stream entry lp-count mismatch');
    }
    const id = makeStreamId(
      addDelta(streamIdMs(masterId), msDelta),
      addDelta(streamIdSeq(masterId), seqDelta),
    );
    if (!isDeleted) liveSeen++;
    entries.push({ id, fields, deleted: isDeleted });
  }
  if (at !== items.length) throw new Error('stream listpack has items after its entries');
  if (BigInt(liveSeen) !== live) throw new Error('stream node live count mismatch');
  return { masterFields, entries, live: liveSeen };
}
