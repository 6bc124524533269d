/**
 * LLEN key
 *
 * Replies the length of the list, 0 if the key does not exist, WRONGTYPE for another type.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

export const llen: Command = defineCommand<string>({
  name: 'llen',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@list', '@fast'],
  keys: ONE_KEY,
  doc: { summary: 'Get the length of a list', since: '1.0.0', group: 'list', complexity: 'O(1)' },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const list = lookupRead(ctx, key, 'list');
    if (list === undefined) ctx.reply.integer(0);
    else if (list instanceof ErrorReply) return list;
    else ctx.reply.integer(list.value.length);
    return undefined;
  },
});
