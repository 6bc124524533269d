/**
 * The bridge between the keyspace's values (keyspace/values.ts) and the RDB codec's (protocol's
 * rdb/types.ts). Writing passes the server's own structures through as iterables, so a snapshot
 * copies no collection; reading builds the server's structures and picks their encodings.
 *
 * Encodings on load follow Redis 7.0's rdbLoadObject: the type byte in the file is only a hint. A
 * set loads as an intset when it has at most set-max-intset-entries members and all are integers; a
 * hash or sorted set loads as a listpack when it is within its listpack limits, else as a hashtable
 * or skiplist. The limits checked depend on how the file wrote it: a hashtable or skiplist is
 * checked on entries and element length, but a listpack (or ziplist) blob only on its number of
 * entries (rdbLoadObject's RDB_TYPE_HASH_LISTPACK / RDB_TYPE_ZSET_LISTPACK cases), so a listpack
 * with a long element stays a listpack, as in Redis. So a dump written under other thresholds loads
 * the way this node's configuration says, as Redis does.
 */
import type { RdbStreamGroup, RdbValueIn, RdbValueOut } from '@replisim/protocol';
import { isIntsetMember } from '../commands/sets/set-value.js';
import type { ServerConfig } from '../config/server-config.js';
import { Deque } from '../keyspace/deque.js';
import { SortedSet } from '../keyspace/sorted-set.js';
import {
  createConsumer,
  raxOrder,
  Stream,
  type StreamNack,
  StreamNode,
} from '../keyspace/stream.js';
import type { RedisValue } from '../keyspace/values.js';

/** The entries-read value a v1 (type 15) file gives: estimate it once the stream is loaded. */
const ENTRIES_READ_ESTIMATE = -2;

/** The codec's view of `value`; collections are iterated lazily by the writer, not copied. */
export function toRdbValue(value: RedisValue, packedThreshold?: number): RdbValueIn {
  switch (value.type) {
    case 'string':
      return { type: 'string', value: value.value };
    case 'list':
      return packedThreshold === undefined
        ? { type: 'list', size: value.value.length, elements: value.value }
        : { type: 'list', size: value.value.length, elements: value.value, packedThreshold };
    case 'set':
      return {
        type: 'set',
        encoding: value.encoding,
        size: value.value.size,
        members: value.value,
      };
    case 'hash':
      return {
        type: 'hash',
        encoding: value.encoding,
        size: value.value.size,
        entries: value.value,
      };
    case 'zset':
      return {
        type: 'zset',
        encoding: value.encoding,
        size: value.value.size,
        entries: value.value,
      };
    case 'stream':
      return streamToRdb(value.value);
  }
}

function streamToRdb(stream: Stream): RdbValueIn {
  const groups: RdbStreamGroup[] = raxOrder(stream.groups).map(([name, group]) => ({
    name,
    lastId: group.lastId,
    entriesRead: group.entriesRead,
    pel: [...group.pel].map(([id, nack]) => ({
      id,
      deliveryTimeMs: nack.deliveryTimeMs,
      deliveryCount: nack.deliveryCount,
    })),
    consumers: raxOrder(group.consumers).map(([consumerName, consumer]) => ({
      name: consumerName,
      seenTimeMs: consumer.seenTimeMs,
      pending: [...consumer.pel].map(([id]) => id),
    })),
  }));
  return {
    type: 'stream',
    nodes: stream.nodes,
    meta: {
      length: stream.length,
      lastId: stream.lastId,
      firstId: stream.firstId,
      maxDeletedId: stream.maxDeletedId,
      entriesAdded: stream.entriesAdded,
      groups,
    },
  };
}

/** The stream a file describes: its nodes as they were, its groups with their owners resolved. */
function streamFromRdb(value: Extract<RdbValueOut, { type: 'stream' }>): Stream {
  const stream = new Stream();
  for (const node of value.nodes) {
    const next = new StreamNode(node.masterId, node.masterFields);
    for (const entry of node.entries) next.push({ ...entry });
    stream.nodes.push(next);
  }
  const meta = value.meta;
  stream.length = meta.length;
  stream.lastId = meta.lastId;
  stream.firstId = meta.firstId;
  stream.maxDeletedId = meta.maxDeletedId;
  stream.entriesAdded = meta.entriesAdded;
  for (const group of meta.groups) {
    const name = typeof group.name === 'string' ? group.name : group.name.toString('latin1');
    const entriesRead =
      group.entriesRead === ENTRIES_READ_ESTIMATE
        ? stream.estimateDistance(group.lastId)
        : group.entriesRead;
    const created = stream.createGroup(name, group.lastId, entriesRead);
    if (created === undefined) throw new Error(`duplicate group ${name} passed the reader`);
    const nacks = new Map<bigint, StreamNack>();
    for (const nack of group.pel) {
      const entry: StreamNack = {
        deliveryTimeMs: nack.deliveryTimeMs,
        deliveryCount: nack.deliveryCount,
        consumer: undefined,
      };
      nacks.set(nack.id, entry);
      created.pel.set(nack.id, entry);
    }
    for (const consumer of group.consumers) {
      const consumerName =
        typeof consumer.name === 'string' ? consumer.name : consumer.name.toString('latin1');
      const owner = createConsumer(created, consumerName, consumer.seenTimeMs);
      for (const id of consumer.pending) {
        const nack = nacks.get(id);
        if (nack === undefined) throw new Error('a consumer owns an ID outside its group PEL');
        nack.consumer = owner;
        owner.pel.set(id, nack);
      }
    }
  }
  return stream;
}

/** The keyspace value for a loaded `value`, with the encoding this node's thresholds give it. */
export function fromRdbValue(value: RdbValueOut, config: ServerConfig): RedisValue {
  switch (value.type) {
    case 'string':
      return { type: 'string', value: value.value };
    case 'list': {
      const list = new Deque<Buffer>();
      for (const element of value.elements) list.pushBack(element);
      return { type: 'list', value: list };
    }
    case 'set': {
      const members = new Set(value.members);
      const intset =
        members.size <= config.setMaxIntsetEntries &&
        value.members.every((member) => isIntsetMember(member));
      return { type: 'set', value: members, encoding: intset ? 'intset' : 'hashtable' };
    }
    case 'hash': {
      const fields = new Map<string, Buffer>();
      let longest = 0;
      for (const [field, fieldValue] of value.entries) {
        fields.set(field, fieldValue);
        longest = Math.max(longest, field.length, fieldValue.length);
      }
      const listpack =
        fields.size <= config.hashMaxListpackEntries &&
        (value.encoding === 'listpack' || longest <= config.hashMaxListpackValue);
      return { type: 'hash', value: fields, encoding: listpack ? 'listpack' : 'hashtable' };
    }
    case 'zset': {
      const set = new SortedSet();
      let longest = 0;
      for (const { member, score } of value.entries) {
        set.add(member, score);
        longest = Math.max(longest, member.length);
      }
      const listpack =
        set.size <= config.zsetMaxListpackEntries &&
        (value.encoding === 'listpack' || longest <= config.zsetMaxListpackValue);
      return { type: 'zset', value: set, encoding: listpack ? 'listpack' : 'skiplist' };
    }
    case 'stream':
      return { type: 'stream', value: streamFromRdb(value), encoding: 'stream' };
  }
}
