/**
 * GETBIT key offset
 *
 * Replies the bit at `offset` (0 past the end of the string or for a missing key). The offset is
 * checked first (bit-ops.ts), then the key's type.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { parseBitOffset } from './bit-ops.js';

export const getbit: Command = defineCommand<{ key: string; offset: bigint }>({
  name: 'getbit',
  arity: 3,
  syntax: 'key offset:integer',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@bitmap', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Returns the bit value at offset in the string value stored at key',
    since: '2.2.0',
    group: 'bitmap',
    complexity: 'O(1)',
  },
  parse(argv, ctx) {
    const offset = parseBitOffset(ctx, argv[2]);
    if (offset instanceof ErrorReply) return offset;
    return { key: keyOf(argv[1]), offset };
  },
  execute(ctx, { key, offset }) {
    const value = lookupRead(ctx, key, 'string');
    if (value instanceof ErrorReply) return value;
    const byte = Number(offset >> 3n);
    const bytes = value?.value;
    const set =
      bytes !== undefined && byte < bytes.length
        ? ((bytes[byte] ?? 0) >> (7 - Number(offset & 7n))) & 1
        : 0;
    ctx.reply.integer(set);
    return undefined;
  },
});
