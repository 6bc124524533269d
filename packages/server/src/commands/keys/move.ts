/**
 * MOVE key db
 *
 * Moves `key` with its TTL from the selected database to database `db`. Replies 1 if moved, 0 if
 * `key` does not exist here or already exists in `db`. Errors as Redis 7.0's moveCommand, in its
 * order: `db` not an integer, then outside the 32-bit range, then "ERR DB index is out of range",
 * then "ERR source and destination objects are the same" when `db` is the selected database (even
 * if the key does not exist). Propagates as received (the replica resolves `db` the same way).
 */

import type { Database } from '../../keyspace/database.js';
import type { ServerNode } from '../../node.js';
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

export const SAME_OBJECT: ErrorReply = new ErrorReply(
  'ERR source and destination objects are the same',
);
/** getIntFromObjectOrReply's error for a 64-bit integer outside the int range. */
const INT_OUT_OF_RANGE = new ErrorReply(
  'ERR value is out of range, value must between -2147483648 and 2147483647',
);
const DB_OUT_OF_RANGE = new ErrorReply('ERR DB index is out of range');
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Resolves a DB argument as getIntFromObjectOrReply then selectDb do. */
export function targetDatabase(node: ServerNode, arg: Buffer | undefined): Database | ErrorReply {
  const index = parseInt64(arg);
  if (index === undefined) return NOT_INTEGER;
  if (index < INT32_MIN || index > INT32_MAX) return INT_OUT_OF_RANGE;
  const db = index < 0n ? undefined : node.databases[Number(index)];
  return db ?? DB_OUT_OF_RANGE;
}

interface MoveArgs {
  readonly key: string;
  readonly target: Database;
}

export const move: Command = defineCommand<MoveArgs>({
  name: 'move',
  arity: 3,
  syntax: 'key db:integer',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Move a key to another database',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse(argv, ctx) {
    const target = targetDatabase(ctx.node, argv[2]);
    if (target instanceof ErrorReply) return target;
    if (target === ctx.db) return SAME_OBJECT;
    return { key: keyOf(argv[1]), target };
  },
  execute(ctx, { key, target }) {
    const value = ctx.db.lookup(key, ctx.nowMs);
    if (value === undefined || target.lookup(key, ctx.nowMs) !== undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    const deadline = ctx.db.expiryOf(key);
    const access = ctx.db.accessOf(key);
    target.set(key, value);
    if (deadline !== undefined) target.setExpiry(key, deadline);
    // The same object moves, so its LRU clock or LFU counter goes with it.
    if (access !== undefined) target.setAccess(key, access);
    ctx.db.delete(key);
    ctx.modified(key);
    ctx.node.keyModified(target, key, 0);
    ctx.reply.integer(1);
    return undefined;
  },
});
