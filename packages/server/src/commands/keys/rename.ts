/**
 * RENAME key newkey
 *
 * Moves the value (and its TTL) of `key` to `newkey`, replacing whatever `newkey` held. Replies
 * +OK, or "ERR no such key" when `key` does not exist. Renaming a key to itself replies +OK
 * (RENAMENX: 0) if it exists and changes nothing. Propagates as received.
 *
 * `renameKey` is shared with RENAMENX and follows Redis 7.0's renameGenericCommand step by step.
 */
import { keyOf } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply } from '../types.js';

export const NO_SUCH_KEY: ErrorReply = new ErrorReply('ERR no such key');

export interface RenameArgs {
  readonly source: string;
  readonly target: string;
}

export function parseRename(argv: readonly Buffer[]): RenameArgs {
  return { source: keyOf(argv[1]), target: keyOf(argv[2]) };
}

/**
 * Renames for RENAME (`nx` false) and RENAMENX (`nx` true). Returns the error to reply, or whether
 * the rename happened (false only for NX with an existing target, or a key renamed to itself).
 */
export function renameKey(
  ctx: CommandContext,
  args: RenameArgs,
  nx: boolean,
): ErrorReply | boolean {
  const { db } = ctx;
  const value = db.lookup(args.source, ctx.nowMs);
  if (value === undefined) return NO_SUCH_KEY;
  if (args.source === args.target) return false;
  const deadline = db.expiryOf(args.source);
  if (db.lookup(args.target, ctx.nowMs) !== undefined) {
    if (nx) return false;
    db.delete(args.target);
  }
  const access = db.accessOf(args.source);
  db.set(args.target, value);
  if (deadline !== undefined) db.setExpiry(args.target, deadline);
  // The same object moves, so its LRU clock or LFU counter goes with it (dbAdd of the robj).
  if (access !== undefined) db.setAccess(args.target, access);
  db.delete(args.source);
  // Two keys changed, one change for the dirty counter (server.dirty++ once in Redis).
  ctx.modified(args.source);
  ctx.modified(args.target, 0);
  return true;
}

export const rename: Command = defineCommand<RenameArgs>({
  name: 'rename',
  arity: 3,
  syntax: 'key newkey:key',
  flags: ['write'],
  aclCategories: ['@keyspace', '@write', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: { summary: 'Rename a key', since: '1.0.0', group: 'generic', complexity: 'O(1)' },
  parse: parseRename,
  execute(ctx, args) {
    const result = renameKey(ctx, args, false);
    if (result instanceof ErrorReply) return result;
    ctx.reply.simple('OK');
    return undefined;
  },
});
