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
import type { RdbValueIn, RdbValueOut } from '@replisim/protocol';
import { isIntsetMember } from '../commands/sets/set-value.js';
import type { ServerConfig } from '../config/server-config.js';
import { Deque } from '../keyspace/deque.js';
import { SortedSet } from '../keyspace/sorted-set.js';
import type { RedisValue } from '../keyspace/values.js';

/** The codec's view of `value`; collections are iterated lazily by the writer, not copied. */
export function toRdbValue(value: RedisValue): RdbValueIn {
  switch (value.type) {
    case 'string':
      return { type: 'string', value: value.value };
    case 'list':
      return { type: 'list', size: value.value.length, elements: value.value };
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
  }
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
  }
}
