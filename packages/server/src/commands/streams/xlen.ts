/**
 * XLEN key
 *
 * The number of entries (tombstones not counted); 0 for a missing key; WRONGTYPE otherwise.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

export const xlen: Command = defineCommand<string>({
  name: 'xlen',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: 'Return the number of entries in a stream',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const found = lookupRead(ctx, key, 'stream');
    if (found instanceof ErrorReply) return found;
    ctx.reply.integer(found === undefined ? 0 : found.value.length);
    return undefined;
  },
});
