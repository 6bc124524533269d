/**
 * STRLEN key
 *
 * Replies the length of the string at `key`, :0 if missing, WRONGTYPE for another type.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

export const strlen: Command = defineCommand<string>({
  name: 'strlen',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the length of the value stored in a key',
    since: '2.2.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const value = lookupRead(ctx, key, 'string');
    if (value instanceof ErrorReply) return value;
    ctx.reply.integer(value === undefined ? 0 : value.value.length);
    return undefined;
  },
});
