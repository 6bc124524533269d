/**
 * DEBUG POPULATE count [prefix] [size]: fills the selected database with `count` string keys, the way
 * tests and benchmarks make a big dataset in one round trip. Redis 7.0's debug.c, step for step:
 *
 * - Key j (0 <= j < count) is `<prefix>:<j>`, prefix "key" by default. The prefix is read as a C
 *   string (it ends at its first zero byte) and the key is formatted into a 128-byte buffer, so a key
 *   longer than 127 bytes is cut to 127.
 * - Its value is `value:<j>`; with a size, exactly `size` bytes: `value:<j>` cut to `size`, or padded
 *   with zero bytes. A size of 0 means no size. The value is stored as created, never as an integer
 *   (`value:` never parses as one, so the default string encoding rule already says embstr or raw).
 * - A key that exists (lookupKeyWrite, which expires it first if its deadline has passed) is skipped
 *   and keeps its value.
 * - count and size are "positive longs" (0 allowed); anything else, including a non-number, is
 *   "ERR value is out of range, must be positive". count is checked first, then the room for the
 *   keys, then size, so a bad size after a valid count changes nothing.
 * - Each new key is signalled (WATCH) but not counted as a change: Redis leaves server.dirty alone, so
 *   DEBUG POPULATE is neither propagated to replicas nor counted by save rules. It runs while a dump
 *   is loading, as it does in 7.0.
 *
 * Deliberate difference: Redis 7.0 aborts the whole server (out of memory) when the table for
 * `count` keys cannot be allocated. replisim refuses instead, with the reply later Redis versions
 * give ("OOM in dictTryExpand"), when the database could not hold the keys (a V8 Map stops at 2^24
 * entries) or the values would need more than POPULATE_VALUE_BYTES_MAX bytes.
 */
import type { Database } from '../../keyspace/database.js';
import { parseInt64 } from '../errors.js';
import { type CommandContext, ErrorReply } from '../types.js';

export interface PopulateArgs {
  readonly count: number;
  /** The key prefix as a latin1 string, already cut at its first zero byte. */
  readonly prefix: string;
  /** The exact value length, or 0 for the bare `value:<j>`. */
  readonly valueBytes: number;
}

const NOT_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');
const NO_ROOM = new ErrorReply('ERR OOM in dictTryExpand');
/** The most entries a V8 Map (the keyspace's table) holds. */
const DATABASE_KEYS_MAX = 2 ** 24;
/** The most value bytes one POPULATE allocates (also Node's largest Buffer). */
const POPULATE_VALUE_BYTES_MAX = 2 ** 32;
/** snprintf into char buf[128]: at most 127 bytes of key. */
const KEY_BYTES_MAX = 127;

/** getPositiveLongFromObjectOrReply: a string2ll integer in [0, LONG_MAX], as a JS number. */
function positiveLong(arg: Buffer | undefined): number | undefined {
  const value = parseInt64(arg);
  return value === undefined || value < 0n ? undefined : Number(value);
}

/** Parses `DEBUG POPULATE count [prefix] [size]` (argv[0] is DEBUG); argc is checked by the caller. */
export function parsePopulate(argv: readonly Buffer[], db: Database): PopulateArgs | ErrorReply {
  const count = positiveLong(argv[2]);
  if (count === undefined) return NOT_POSITIVE;
  if (db.size() + count > DATABASE_KEYS_MAX) return NO_ROOM;
  const valueBytes = argv.length === 5 ? positiveLong(argv[4]) : 0;
  if (valueBytes === undefined) return NOT_POSITIVE;
  // Without a size a value is `value:<j>`, at most 14 bytes for j below DATABASE_KEYS_MAX.
  if (count * Math.max(valueBytes, 14) > POPULATE_VALUE_BYTES_MAX) return NO_ROOM;
  const typed = argv[3];
  let prefix = 'key';
  if (typed !== undefined) {
    const end = typed.indexOf(0);
    prefix = (end < 0 ? typed : typed.subarray(0, end)).toString('latin1');
  }
  return { count, prefix, valueBytes };
}

/** `value:<j>` at its natural length, or cut or zero-padded to exactly `valueBytes`. */
function populatedValue(j: number, valueBytes: number): Buffer {
  const text = `value:${j}`;
  if (valueBytes === 0) return Buffer.from(text, 'latin1');
  const value = Buffer.allocUnsafe(valueBytes);
  const written = value.write(text, 0, 'latin1');
  value.fill(0, written);
  return value;
}

/** Adds the keys that do not exist yet and replies +OK. */
export function debugPopulate(ctx: CommandContext, args: PopulateArgs): void {
  const { db, node, nowMs } = ctx;
  for (let j = 0; j < args.count; j++) {
    let key = `${args.prefix}:${j}`;
    if (key.length > KEY_BYTES_MAX) key = key.slice(0, KEY_BYTES_MAX);
    if (db.lookup(key, nowMs) !== undefined) continue;
    db.set(key, { type: 'string', value: populatedValue(j, args.valueBytes) });
    // signalModifiedKey without server.dirty: WATCH sees the key, nothing is propagated.
    node.keyModified(db, key, 0);
  }
  ctx.reply.simple('OK');
}
