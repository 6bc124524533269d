/**
 * SELECT index
 *
 * Switches the connection to database `index` (0 to databases-1).
 */
import { NOT_INTEGER, parseSafeInteger } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

export const select: Command = defineCommand<number>({
  name: 'select',
  arity: 2,
  syntax: 'index:integer',
  flags: ['loading', 'stale', 'fast'],
  aclCategories: ['@fast', '@connection'],
  keys: NO_KEYS,
  doc: {
    summary: 'Change the selected database for the current connection',
    since: '1.0.0',
    group: 'connection',
    complexity: 'O(1)',
  },
  parse(argv) {
    const index = parseSafeInteger(argv[1]);
    return index === undefined ? NOT_INTEGER : index;
  },
  execute(ctx, index) {
    if (index < 0 || index >= ctx.node.databases.length) {
      return new ErrorReply('ERR DB index is out of range');
    }
    ctx.client.dbIndex = index;
    ctx.reply.simple('OK');
    return undefined;
  },
});
