/**
 * SWAPDB index1 index2
 *
 * Exchanges the contents of two databases: clients connected to one see the other's keys at once.
 * Checks as Redis 7.0's swapdbCommand: each index must be an int ("invalid first DB index",
 * "invalid second DB index"), then both in range ("DB index is out of range"). Then, before the
 * swap, every client WATCHing a key that exists in either database (as it was, or as it becomes)
 * fails its EXEC (touchAllWatchedKeysInDb, with its rules for expired keys), and after it, clients
 * blocked on a key that now exists are served (scanDatabaseForReadyKeys). Counts one change and
 * is propagated as received, even for twice the same index.
 */
import type { Database } from '../../keyspace/database.js';
import { parseInt64 } from '../errors.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const INT32_MAX = 2n ** 31n - 1n;

/** getIntFromObjectOrReply: a 32-bit int, or the given error. */
function parseIndex(arg: Buffer | undefined, which: string): number | ErrorReply {
  const value = parseInt64(arg);
  if (value === undefined || value > INT32_MAX || value < -INT32_MAX - 1n) {
    return new ErrorReply(`ERR invalid ${which} DB index`);
  }
  return Number(value);
}

/** Whether `key` is stored in `db` with a deadline already passed (Redis's keyIsExpired). */
function expiredIn(db: Database, key: string, nowMs: number): boolean {
  const deadline = db.expiryOf(key);
  return db.peek(key) !== undefined && deadline !== undefined && nowMs > deadline;
}

export const swapdb: Command = defineCommand<{ first: number; second: number }>({
  name: 'swapdb',
  arity: 3,
  syntax: 'index1:integer index2:integer',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Swaps two Redis databases',
    since: '4.0.0',
    group: 'server',
    complexity:
      'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  },
  parse(argv) {
    const first = parseIndex(argv[1], 'first');
    if (first instanceof ErrorReply) return first;
    const second = parseIndex(argv[2], 'second');
    if (second instanceof ErrorReply) return second;
    return { first, second };
  },
  execute(ctx, { first, second }) {
    const { node, nowMs } = ctx;
    const a = node.databases[first];
    const b = node.databases[second];
    if (a === undefined || b === undefined) return new ErrorReply('ERR DB index is out of range');
    if (a !== b) {
      const stored = (db: Database) => (key: string) => db.peek(key) !== undefined;
      const expired = (db: Database) => (key: string) => expiredIn(db, key, nowMs);
      node.watches.touchDatabase(first, stored(a), { present: stored(b), expired: expired(b) });
      node.watches.touchDatabase(second, stored(b), { present: stored(a), expired: expired(a) });
      a.swapWith(b);
      node.blocking.signalDatabase(first, stored(a));
      node.blocking.signalDatabase(second, stored(b));
    }
    node.dirty++;
    ctx.reply.simple('OK');
    return undefined;
  },
});
