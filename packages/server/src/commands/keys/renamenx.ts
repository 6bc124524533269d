/**
 * RENAMENX key newkey
 *
 * RENAME, only if `newkey` does not exist. Replies 1 if renamed, 0 if `newkey` exists (or is `key`
 * itself), "ERR no such key" if `key` does not exist. Propagates as received.
 */
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { parseRename, type RenameArgs, renameKey } from './rename.js';

export const renamenx: Command = defineCommand<RenameArgs>({
  name: 'renamenx',
  arity: 3,
  syntax: 'key newkey:key',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Rename a key, only if the new key does not exist',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: parseRename,
  execute(ctx, args) {
    const result = renameKey(ctx, args, true);
    if (result instanceof ErrorReply) return result;
    ctx.reply.integer(result ? 1 : 0);
    return undefined;
  },
});
