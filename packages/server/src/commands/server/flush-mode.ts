/**
 * What FLUSHDB and FLUSHALL share: the optional ASYNC|SYNC argument and emptying a database.
 * replisim frees memory at once either way (there is no lazy-free thread), which is observably the
 * same to clients.
 */

import type { Database } from '../../keyspace/database.js';
import { isKeyword, SYNTAX_ERROR } from '../errors.js';
import type { CommandContext, ErrorReply } from '../types.js';

export function parseFlushMode(argv: readonly Buffer[]): null | ErrorReply {
  if (argv.length === 1) return null;
  if (argv.length === 2 && (isKeyword(argv[1], 'async') || isKeyword(argv[1], 'sync'))) return null;
  return SYNTAX_ERROR;
}

/**
 * Empties `db` as Redis's emptyData does: clients watching a key that existed are invalidated, and
 * every removed key counts as a change.
 */
export function flushDatabase(ctx: CommandContext, db: Database): void {
  const removed = db.size();
  ctx.node.watches.touchDatabase(db.index, (key) => db.peek(key) !== undefined);
  db.clear();
  ctx.node.dirty += removed;
}
