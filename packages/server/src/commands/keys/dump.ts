/**
 * DUMP key
 *
 * Serializes the value at `key` in Redis's DUMP format, which RESTORE (here or on a real Redis 7.0)
 * turns back into the same value: the RDB type byte and object exactly as a snapshot would write
 * them, then the RDB version (2 bytes, little-endian) and a CRC64 of everything before it (8 bytes,
 * little-endian). Replies the payload as a bulk string, or a null bulk when the key does not exist.
 *
 * The object is written by this node's encoding, as Redis's rdbSaveObject does, so a payload is byte
 * for byte Redis's wherever Redis's bytes follow from the value alone (strings, intsets, listpack
 * hashes and sorted sets, lists built by appends); a hashtable set or hash is written in this node's
 * iteration order, which differs from Redis's dict order but restores to the same value. Strings
 * longer than 20 bytes are LZF-compressed when `rdbcompression` is on (rdbSaveRawString).
 */
import { encodeDumpPayload } from '@replisim/protocol';
import { toRdbValue } from '../../persistence/rdb-values.js';
import { keyOf, lookupReadOrReplyNull } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';

export const dump: Command = defineCommand<string>({
  name: 'dump',
  arity: 2,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: ['@keyspace', '@read', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Return a serialized version of the value stored at the specified key.',
    since: '2.6.0',
    group: 'generic',
    complexity:
      'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  },
  parse(argv) {
    return keyOf(argv[1]);
  },
  execute(ctx, key) {
    const value = lookupReadOrReplyNull(ctx, key);
    if (value === undefined) return undefined;
    const compression = ctx.node.config.rdbcompression;
    ctx.reply.bulk(
      encodeDumpPayload(toRdbValue(value, ctx.node.quicklistPackedThreshold), { compression }),
    );
    return undefined;
  },
});
