/**
 * The stream value (Redis's t_stream.c `stream`): entries in ID order, kept in the same nodes Redis
 * keeps them in, plus the consumer groups.
 *
 * WHY nodes: Redis stores a stream as a rax of listpacks ("nodes"). Which entries share a node is
 * observable: approximate trimming (`MAXLEN ~`, `MINID ~`) removes whole nodes only, XINFO reports
 * radix-tree-keys, and an RDB file holds the listpacks as they are. So this keeps the node layout
 * Redis would have: a node is closed when its listpack reaches stream-node-max-bytes (counting the
 * new entry's field and value bytes) or holds stream-node-max-entries entries (live and deleted),
 * exactly as streamAppendItem decides; XDEL and exact trimming only mark entries deleted
 * (tombstones stay in their node, as in Redis), and a node whose last live entry is XDELed goes
 * away. Each node tracks its exact listpack size (stream-listpack.ts computes the bytes), so the
 * decision needs no encoding on the XADD path, and the RDB writer builds the listpack bytes only
 * when a snapshot or DUMP asks.
 *
 * Lookups binary-search the node array by master ID and then the node's entries, so XADD is O(1)
 * (append to the tail node) and XRANGE O(log n + k).
 *
 * IDs are 128-bit bigints, (ms << 64) | seq, so every ID Redis accepts (up to 2^64-1 in each part)
 * is exact and comparing two IDs is one comparison.
 */
import { assert } from '@replisim/base';
import {
  hasSameFields,
  LISTPACK_EMPTY_BYTES,
  listpackIntegerSize,
  streamEntryBytes,
  streamMasterBytes,
} from '@replisim/protocol';
import { SortedIdMap } from './sorted-ids.js';

export const STREAM_ID_MAX: bigint = (1n << 128n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
/** STREAM_LISTPACK_MAX_SIZE: a listpack may not pass 1 GB. */
export const STREAM_LISTPACK_MAX_SIZE: number = 1 << 30;
/** SCG_INVALID_ENTRIES_READ. */
export const ENTRIES_READ_INVALID = -1;

export interface StreamEntry {
  readonly id: bigint;
  /** field_1, value_1, field_2, value_2, ... */
  readonly fields: readonly Buffer[];
  deleted: boolean;
}

export class StreamNode {
  readonly masterId: bigint;
  readonly masterFields: readonly Buffer[];
  readonly entries: StreamEntry[] = [];
  live = 0;
  private masterFieldsBytes = 0;
  private entriesBytes = 0;

  constructor(masterId: bigint, masterFields: readonly Buffer[]) {
    this.masterId = masterId;
    this.masterFields = masterFields;
    this.masterFieldsBytes = streamMasterBytes(0, 0, masterFields) - 2 * listpackIntegerSize(0);
  }

  get deletedCount(): number {
    return this.entries.length - this.live;
  }

  /** lpBytes of this node's listpack. */
  get bytes(): number {
    return (
      LISTPACK_EMPTY_BYTES +
      this.masterFieldsBytes +
      listpackIntegerSize(this.live) +
      listpackIntegerSize(this.deletedCount) +
      this.entriesBytes
    );
  }

  /** Adds an entry at the end (it must be the greatest ID in the node). */
  push(entry: StreamEntry): void {
    const last = this.entries[this.entries.length - 1];
    assert(last === undefined || last.id < entry.id, 'stream node entries ascend');
    this.entries.push(entry);
    if (!entry.deleted) this.live++;
    this.entriesBytes += streamEntryBytes(entry, this.masterId, this.masterFields);
  }

  /** Index of the first entry with ID >= id. */
  lowerBound(id: bigint): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.entries[mid] as StreamEntry).id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  sameFields(fields: readonly Buffer[]): boolean {
    return hasSameFields(fields, this.masterFields);
  }
}

export interface StreamNack {
  deliveryTimeMs: number;
  deliveryCount: number;
  /** Undefined only while XCLAIM FORCE creates it (it is assigned at once). */
  consumer: StreamConsumer | undefined;
}

export interface StreamConsumer {
  readonly name: string;
  seenTimeMs: number;
  readonly pel: SortedIdMap<StreamNack>;
}

export interface StreamGroup {
  readonly name: string;
  lastId: bigint;
  entriesRead: number;
  readonly pel: SortedIdMap<StreamNack>;
  readonly consumers: Map<string, StreamConsumer>;
}

export type TrimStrategy =
  | { readonly kind: 'maxlen'; readonly maxlen: number }
  | { readonly kind: 'minid'; readonly minid: bigint };

export interface TrimArgs {
  readonly strategy: TrimStrategy;
  readonly approx: boolean;
  /** 0 = no limit. */
  readonly limit: number;
}

export interface NodeLimits {
  readonly streamNodeMaxBytes: number;
  readonly streamNodeMaxEntries: number;
}

export function formatStreamId(id: bigint): string {
  return `${id >> 64n}-${id & U64_MAX}`;
}

/** Sorts names as a rax does: bytewise (latin1 strings compare by code unit = byte). */
export function raxOrder<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export class Stream {
  readonly nodes: StreamNode[] = [];
  length = 0;
  lastId = 0n;
  firstId = 0n;
  maxDeletedId = 0n;
  entriesAdded = 0;
  readonly groups: Map<string, StreamGroup> = new Map();

  /**
   * Appends an entry with `id` (the caller checked id > lastId) as streamAppendItem does, opening
   * a new node when the tail is full.
   */
  append(id: bigint, fields: readonly Buffer[], limits: NodeLimits): void {
    assert(id > this.lastId, 'stream IDs grow');
    let fieldBytes = 0;
    for (const field of fields) fieldBytes += field.length;
    let tail = this.nodes[this.nodes.length - 1];
    if (tail !== undefined) {
      let maxBytes = limits.streamNodeMaxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE)
        maxBytes = STREAM_LISTPACK_MAX_SIZE;
      if (tail.bytes + fieldBytes >= maxBytes) tail = undefined;
      else if (
        limits.streamNodeMaxEntries > 0 &&
        tail.entries.length >= limits.streamNodeMaxEntries
      ) {
        tail = undefined;
      }
    }
    if (tail === undefined) {
      const masterFields: Buffer[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i] as Buffer);
      tail = new StreamNode(id, masterFields);
      this.nodes.push(tail);
    }
    tail.push({ id, fields, deleted: false });
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the last node whose master ID <= id, or -1. */
  private nodeIndexFor(id: bigint): number {
    let low = 0;
    let high = this.nodes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.nodes[mid] as StreamNode).masterId <= id) low = mid + 1;
      else high = mid;
    }
    return low - 1;
  }

  /** The live (or, with `tombstones`, any) entry with exactly this ID. */
  find(id: bigint, tombstones = false): { node: StreamNode; index: number } | undefined {
    const nodeIndex = this.nodeIndexFor(id);
    const node = this.nodes[nodeIndex];
    if (node === undefined) return undefined;
    const index = node.lowerBound(id);
    const entry = node.entries[index];
    if (entry === undefined || entry.id !== id) return undefined;
    if (entry.deleted && !tombstones) return undefined;
    return { node, index };
  }

  has(id: bigint): boolean {
    return this.find(id) !== undefined;
  }

  /** The live entry with this ID. */
  entry(id: bigint): StreamEntry | undefined {
    const found = this.find(id);
    return found === undefined ? undefined : found.node.entries[found.index];
  }

  /** Entries with start <= id <= end, ascending (or descending with `rev`), live only by default. */
  *range(start: bigint, end: bigint, rev = false, tombstones = false): Generator<StreamEntry> {
    if (start > end) return;
    if (!rev) {
      let nodeIndex = Math.max(0, this.nodeIndexFor(start));
      for (; nodeIndex < this.nodes.length; nodeIndex++) {
        const node = this.nodes[nodeIndex] as StreamNode;
        if (node.masterId > end) return;
        for (let i = node.lowerBound(start); i < node.entries.length; i++) {
          const entry = node.entries[i] as StreamEntry;
          if (entry.id > end) return;
          if (!entry.deleted || tombstones) yield entry;
        }
      }
      return;
    }
    for (let nodeIndex = this.nodeIndexFor(end); nodeIndex >= 0; nodeIndex--) {
      const node = this.nodes[nodeIndex] as StreamNode;
      let i = node.lowerBound(end);
      const at = node.entries[i];
      if (at === undefined || at.id > end) i--;
      for (; i >= 0; i--) {
        const entry = node.entries[i] as StreamEntry;
        if (entry.id < start) return;
        if (!entry.deleted || tombstones) yield entry;
      }
    }
  }

  /** streamGetEdgeID: the first or last entry's ID; max or 0 (first/last) when there is none. */
  edgeId(first: boolean, skipTombstones: boolean): bigint {
    const entries = this.range(0n, STREAM_ID_MAX, !first, !skipTombstones);
    const next = entries.next();
    if (next.done === true) return first ? STREAM_ID_MAX : 0n;
    return next.value.id;
  }

  /** streamLastValidID: the greatest live ID (0 when empty). */
  lastValidId(): bigint {
    return this.length === 0 ? 0n : this.edgeId(false, true);
  }

  /** XDEL of one ID: marks it deleted; a node losing its last live entry goes. True if deleted. */
  delete(id: bigint): boolean {
    const found = this.find(id);
    if (found === undefined) return false;
    const { node, index } = found;
    const entry = node.entries[index] as StreamEntry;
    if (node.live === 1) {
      this.nodes.splice(this.nodes.indexOf(node), 1);
    } else {
      markDeleted(node, entry);
    }
    this.length--;
    return true;
  }

  /** streamTrim: returns the number of entries removed. */
  trim(args: TrimArgs): number {
    let deleted = 0;
    const strategy = args.strategy;
    while (this.nodes.length > 0) {
      if (strategy.kind === 'maxlen' && this.length <= strategy.maxlen) break;
      const node = this.nodes[0] as StreamNode;
      const entries = node.live;
      if (args.limit > 0 && deleted + entries > args.limit) break;
      let removeNode: boolean;
      if (strategy.kind === 'maxlen') {
        removeNode = this.length - entries >= strategy.maxlen;
      } else {
        const lastInNode = node.entries[node.entries.length - 1] as StreamEntry;
        removeNode = lastInNode.id < strategy.minid;
      }
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      for (const entry of node.entries) {
        const stop =
          strategy.kind === 'maxlen' ? this.length <= strategy.maxlen : entry.id >= strategy.minid;
        if (stop) break;
        if (!entry.deleted) {
          markDeleted(node, entry);
          this.length--;
          deleted++;
        }
      }
      break;
    }
    if (this.length === 0) this.firstId = 0n;
    else if (deleted > 0) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** streamEstimateDistanceFromFirstEverEntry; ENTRIES_READ_INVALID when it cannot be known. */
  estimateDistance(id: bigint): number {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id !== 0n && id < this.maxDeletedId) return ENTRIES_READ_INVALID;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return ENTRIES_READ_INVALID;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return ENTRIES_READ_INVALID;
  }

  /** streamRangeHasTombstones from `start` to the end. */
  rangeHasTombstones(start: bigint): boolean {
    if (this.length === 0 || this.maxDeletedId === 0n) return false;
    return start <= this.maxDeletedId;
  }

  /** A group's lag (streamReplyWithCGLag), or undefined where Redis replies null. */
  lag(group: StreamGroup): number | undefined {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0) return 0;
    if (group.lastId < this.firstId && this.maxDeletedId < this.firstId) return this.length;
    if (group.entriesRead !== ENTRIES_READ_INVALID && !this.rangeHasTombstones(group.lastId)) {
      return this.entriesAdded - group.entriesRead;
    }
    const read = this.estimateDistance(group.lastId);
    return read === ENTRIES_READ_INVALID ? undefined : this.entriesAdded - read;
  }

  createGroup(name: string, lastId: bigint, entriesRead: number): StreamGroup | undefined {
    if (this.groups.has(name)) return undefined;
    const group: StreamGroup = {
      name,
      lastId,
      entriesRead,
      pel: new SortedIdMap(),
      consumers: new Map(),
    };
    this.groups.set(name, group);
    return group;
  }
}

function markDeleted(node: StreamNode, entry: StreamEntry): void {
  assert(!entry.deleted, 'an entry is deleted once');
  // The flags item stays one byte (0-3), so only the master counters change size.
  entry.deleted = true;
  node.live--;
}

export function createConsumer(group: StreamGroup, name: string, nowMs: number): StreamConsumer {
  assert(!group.consumers.has(name), 'consumer names are unique in a group');
  const consumer: StreamConsumer = { name, seenTimeMs: nowMs, pel: new SortedIdMap() };
  group.consumers.set(name, consumer);
  return consumer;
}

/** streamDelConsumer: drops the consumer and its pending entries from the group's PEL. */
export function deleteConsumer(group: StreamGroup, consumer: StreamConsumer): void {
  for (const [id] of consumer.pel) group.pel.delete(id);
  group.consumers.delete(consumer.name);
}

/** A deep copy (COPY, DEBUG RELOAD-free paths): nodes, entries, groups, PELs. */
export function cloneStream(source: Stream): Stream {
  const copy = new Stream();
  for (const node of source.nodes) {
    const next = new StreamNode(node.masterId, node.masterFields);
    for (const entry of node.entries) next.push({ ...entry });
    copy.nodes.push(next);
  }
  copy.length = source.length;
  copy.lastId = source.lastId;
  copy.firstId = source.firstId;
  copy.maxDeletedId = source.maxDeletedId;
  copy.entriesAdded = source.entriesAdded;
  for (const group of source.groups.values()) {
    const next = copy.createGroup(group.name, group.lastId, group.entriesRead);
    assert(next !== undefined, 'group names are unique');
    const consumers = new Map<StreamConsumer, StreamConsumer>();
    for (const consumer of group.consumers.values()) {
      consumers.set(consumer, createConsumer(next, consumer.name, consumer.seenTimeMs));
    }
    for (const [id, nack] of group.pel) {
      const owner = nack.consumer === undefined ? undefined : consumers.get(nack.consumer);
      const copied: StreamNack = { ...nack, consumer: owner };
      next.pel.set(id, copied);
      owner?.pel.set(id, copied);
    }
  }
  return copy;
}
