/**
 * Shared pieces of the hash commands (Redis's t_hash.c helpers): typed lookups, creation, and the
 * listpack -> hashtable conversion rules of Redis 7.0.
 *
 * A hash is a Map from field (latin1 string) to value (Buffer). Its `encoding` is what OBJECT
 * ENCODING reports: listpack until it holds more than hash-max-listpack-entries fields or any
 * field or value longer than hash-max-listpack-value bytes, then hashtable forever. Map order is
 * insertion order and an update keeps a field's place, which is exactly a listpack's order; a
 * hashtable hash keeps the same order, where Redis would use its dict order (not comparable).
 */
import type { HashValue } from '../../keyspace/values.js';
import type { CommandContext } from '../types.js';

/** Creates an empty listpack hash under `key` (hashTypeLookupWriteOrCreate). */
export function createHash(ctx: CommandContext, key: string): HashValue {
  const hash: HashValue = { type: 'hash', value: new Map(), encoding: 'listpack' };
  ctx.db.set(key, hash);
  return hash;
}

/**
 * hashTypeTryConversion: converts before a write when any of `args` is longer than
 * hash-max-listpack-value (HSET, HMSET and HSETNX check every field and value they were given).
 */
export function convertForArguments(
  ctx: CommandContext,
  hash: HashValue,
  args: readonly Buffer[],
): void {
  if (hash.encoding !== 'listpack') return;
  const valueMax = ctx.node.config.hashMaxListpackValue;
  if (args.some((arg) => arg.length > valueMax)) hash.encoding = 'hashtable';
}

/**
 * hashTypeSet: stores `value` under `field`; returns true if the field is new. Converts to a
 * hashtable when the field or value is too long or the hash has too many fields.
 */
export function setField(
  ctx: CommandContext,
  hash: HashValue,
  field: string,
  value: Buffer,
): boolean {
  const { hashMaxListpackValue, hashMaxListpackEntries } = ctx.node.config;
  if (hash.encoding === 'listpack') {
    if (field.length > hashMaxListpackValue || value.length > hashMaxListpackValue) {
      hash.encoding = 'hashtable';
    }
  }
  const created = !hash.value.has(field);
  // Redis copies the argument; argv Buffers may be views into a shared read buffer.
  hash.value.set(field, Buffer.from(value));
  if (hash.encoding === 'listpack' && hash.value.size > hashMaxListpackEntries) {
    hash.encoding = 'hashtable';
  }
  return created;
}

/** A field name back as bytes for a reply. */
export function fieldBytes(field: string): Buffer {
  return Buffer.from(field, 'latin1');
}

/** The argument at `index` as a latin1 string (keys, fields). */
export function textArg(argv: readonly Buffer[], index: number): string {
  return (argv[index] ?? Buffer.alloc(0)).toString('latin1');
}
