/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
 *
 * Iterates the keyspace a few keys at a time. Replies a two-element array: the next cursor as a
 * bulk string ("0" when the iteration is over) and an array of keys. SCAN's contract, as Redis
 * states it: a key present for the whole iteration is returned at least once; a key may be returned
 * twice; a key added or removed meanwhile may or may not be returned.
 *
 * The cursor is built on the database's slot table (keyspace/database.ts) rather than Redis's
 * reverse-binary bucket walk: its low 32 bits are the next slot to visit and its high bits the
 * table's compaction epoch. Slots only move when the table is compacted, and compaction advances
 * the epoch, so a cursor from an older epoch restarts from slot 0: duplicates, never misses. The
 * cursor values themselves therefore differ from Redis's; clients treat them as opaque. Known
 * limit: a compaction needs at least 1024 deletions, but under churn that keeps compacting the
 * table faster than an iteration advances, restarts could keep an iteration from reaching 0, where
 * Redis's rehash-safe cursor always finishes.
 *
 * As in Redis 7.0's scanGenericCommand: the cursor is parsed as strtoul does (a leading '-' wraps,
 * "" is 0, a leading space or trailing junk or overflow is "ERR invalid cursor"), before the
 * options; COUNT (default 10) must be >= 1 or it is a syntax error; up to COUNT keys are collected
 * from at most 10 x COUNT slots, then filtered by MATCH, by expiry (an expired key is deleted, as a
 * lookup would) and by TYPE (case-insensitive; an unknown type matches nothing).
 */
import type { Database } from '../../keyspace/database.js';
import { globMatch } from '../../util/glob.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

const INVALID_CURSOR = new ErrorReply('ERR invalid cursor');
const COUNT_DEFAULT = 10;
/** Redis visits at most COUNT x 10 buckets per call; replisim visits as many slots. */
const SLOTS_PER_COUNT = 10;
const CURSOR_SLOT_BITS = 32n;
const CURSOR_SLOT_MASK = (1n << CURSOR_SLOT_BITS) - 1n;
const CURSOR_EPOCH_MASK = (1n << 32n) - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

interface ScanArgs {
  readonly cursor: bigint;
  readonly count: number;
  /** undefined when there is no pattern or it is "*" (Redis skips matching then). */
  readonly pattern: string | undefined;
  readonly type: string | undefined;
}

/** Parses a cursor as C's strtoul(s, &end, 10) with Redis's checks; undefined if invalid. */
export function parseScanCursor(arg: Buffer): bigint | undefined {
  const text = arg.toString('latin1');
  if (text === '') return 0n;
  const match = /^([+-]?)([0-9]+)$/.exec(text);
  if (match === null) return undefined;
  const magnitude = BigInt(match[2] ?? '0');
  if (magnitude > UINT64_MAX) return undefined;
  return match[1] === '-' ? (UINT64_MAX + 1n - magnitude) & UINT64_MAX : magnitude;
}

/** The cursor to reply after visiting up to `nextSlot`: 0 at the end of the table. */
export function encodeScanCursor(epoch: number, nextSlot: number, slotCount: number): bigint {
  if (nextSlot >= slotCount) return 0n;
  return ((BigInt(epoch) & CURSOR_EPOCH_MASK) << CURSOR_SLOT_BITS) | BigInt(nextSlot);
}

/** The slot a cursor resumes at: 0 for a new iteration or a cursor from an older epoch. */
export function decodeScanCursor(cursor: bigint, epoch: number): number {
  const cursorEpoch = cursor >> CURSOR_SLOT_BITS;
  if (cursorEpoch !== (BigInt(epoch) & CURSOR_EPOCH_MASK)) return 0;
  return Number(cursor & CURSOR_SLOT_MASK);
}

/**
 * One SCAN step over the slot table: up to `count` keys (expired ones included) from at most
 * 10 x `count` slots, starting where `cursor` points, and the cursor to reply. The epoch is read
 * before the caller looks any key up: deleting expired keys may compact the table, and then the
 * reply's cursor, from the old epoch, makes the next call start over.
 */
export function scanSlots(
  db: Database,
  cursor: bigint,
  count: number,
): { readonly keys: string[]; readonly next: bigint } {
  const epoch = db.epoch;
  const slotCount = db.slotCount();
  const slotsMax = count * SLOTS_PER_COUNT;
  const keys: string[] = [];
  let slot = decodeScanCursor(cursor, epoch);
  let visited = 0;
  while (slot < slotCount && visited < slotsMax && keys.length < count) {
    const key = db.keyAtSlot(slot);
    if (key !== undefined) keys.push(key);
    slot++;
    visited++;
  }
  return { keys, next: encodeScanCursor(epoch, slot, slotCount) };
}

function parseScan(argv: readonly Buffer[]): ScanArgs | ErrorReply {
  const cursor = parseScanCursor(argv[1] ?? Buffer.alloc(0));
  if (cursor === undefined) return INVALID_CURSOR;
  let count = COUNT_DEFAULT;
  let pattern: string | undefined;
  let type: string | undefined;
  for (let i = 2; i < argv.length; i += 2) {
    const option = argv[i];
    const value = argv[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (isKeyword(option, 'count')) {
      const parsed = parseInt64(value);
      if (parsed === undefined) return NOT_INTEGER;
      if (parsed < 1n) return SYNTAX_ERROR;
      count = Number(parsed);
    } else if (isKeyword(option, 'match')) {
      const text = keyOf(value);
      pattern = text === '*' ? undefined : text;
    } else if (isKeyword(option, 'type')) {
      type = keyOf(value).toLowerCase();
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { cursor, count, pattern, type };
}

export const scan: Command = defineCommand<ScanArgs>({
  name: 'scan',
  arity: -2,
  syntax: 'cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type]',
  flags: ['readonly'],
  aclCategories: ['@keyspace', '@read', '@slow'],
  keys: NO_KEYS,
  doc: {
    summary: 'Incrementally iterate the keys space',
    since: '2.8.0',
    group: 'generic',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  },
  parse: parseScan,
  execute(ctx, args) {
    const { db } = ctx;
    const { keys: collected, next } = scanSlots(db, args.cursor, args.count);
    const found: string[] = [];
    for (const key of collected) {
      if (args.pattern !== undefined && !globMatch(args.pattern, key)) continue;
      // expireIfNeeded only, as Redis's scanGenericCommand: scanning does not touch the keys.
      const value = db.lookup(key, ctx.nowMs, false);
      if (value === undefined) continue;
      if (args.type !== undefined && value.type !== args.type) continue;
      found.push(key);
    }
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk(next.toString());
    ctx.reply.arrayHeader(found.length);
    for (const key of found) ctx.reply.bulk(Buffer.from(key, 'latin1'));
    return undefined;
  },
});
