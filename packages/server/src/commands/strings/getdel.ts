/**
 * GETDEL key
 *
 * Replies the string value of `key` (a null bulk if missing) and deletes the key. WRONGTYPE if it
 * holds another type, and then nothing is deleted. Propagated as `DEL key`.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { toArgv } from './argv.js';

export const getdel: Command = defineCommand<string>({
  name: 'getdel',
  arity: 2,
  syntax: 'key',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the value of a key and delete the key',
    since: '6.2.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => keyOf(argv[1]),
  execute(ctx, key) {
    const value = lookupRead(ctx, key, 'string');
    if (value instanceof ErrorReply) return value;
    if (value === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    ctx.reply.bulk(value.value);
    ctx.db.delete(key);
    ctx.modified(key);
    ctx.propagateAs(toArgv('DEL', key));
    return undefined;
  },
});
