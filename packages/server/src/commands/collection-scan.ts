/**
 * HSCAN, SSCAN and ZSCAN: cursor parsing, the MATCH/COUNT options, and a stable cursor over a
 * collection whose elements live in a JS Map, Set or SortedSet.
 *
 * Redis (db.c scanGenericCommand) returns a small encoding (listpack, intset) whole in one call
 * with cursor 0, ignoring COUNT (scanCollection does the same when given the compact elements).
 * For a hashtable Redis walks buckets in
 * reverse-binary order, so an element present for the whole scan is returned at least once. Here
 * each collection gets a side table of slots (a WeakMap keyed by the Map/Set object, so it dies
 * with the value): elements get the next slot the first time a scan sees them and keep it; a
 * deleted element's slot becomes a hole. The cursor is a slot index, so an element present
 * throughout is never skipped. When holes outnumber elements the table is compacted and its epoch
 * advances; a cursor carries the epoch (high bits) and one from an older epoch restarts at 0
 * (duplicates are allowed by SCAN's contract, misses are not).
 */
import type { ReplyWriter } from '@replisim/protocol';
import { globMatch } from '../util/glob.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from './errors.js';
import { ErrorReply } from './types.js';

const INVALID_CURSOR = new ErrorReply('ERR invalid cursor');
const UINT64_MODULUS = 2n ** 64n;
/** Slots per epoch in a cursor: cursor = epoch * 2^32 + slot. */
const SLOT_BITS = 32n;
const SCAN_COUNT_DEFAULT = 10;
/** Compaction waits for at least this many holes (and more holes than elements). */
const SLOT_HOLES_MIN = 64;

/**
 * parseScanCursorOrReply: strtoul in base 10, so an optional sign is accepted (a '-' wraps around
 * modulo 2^64) and an empty string is cursor 0; a leading space, trailing garbage or an overflow
 * is "invalid cursor".
 */
export function parseScanCursor(arg: Buffer | undefined): bigint | ErrorReply {
  const text = arg === undefined ? '' : arg.toString('latin1');
  if (text === '') return 0n;
  const match = /^([+-]?)([0-9]+)$/.exec(text);
  if (match === null) return INVALID_CURSOR;
  const magnitude = BigInt(match[2] ?? '0');
  if (magnitude >= UINT64_MODULUS) return INVALID_CURSOR;
  return match[1] === '-' && magnitude !== 0n ? UINT64_MODULUS - magnitude : magnitude;
}

export interface ScanOptions {
  readonly count: number;
  /** undefined for no MATCH or MATCH "*" (Redis skips matching for a lone star). */
  readonly pattern: string | undefined;
}

/** The MATCH and COUNT options from argv[start] on (TYPE belongs to SCAN only). */
export function parseScanOptions(argv: readonly Buffer[], start: number): ScanOptions | ErrorReply {
  let count = SCAN_COUNT_DEFAULT;
  let pattern: string | undefined;
  for (let i = start; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) return SYNTAX_ERROR;
    if (isKeyword(argv[i], 'count')) {
      const parsed = parseInt64(value);
      if (parsed === undefined) return NOT_INTEGER;
      if (parsed < 1n) return SYNTAX_ERROR;
      count = parsed > 1_000_000_000n ? 1_000_000_000 : Number(parsed);
    } else if (isKeyword(argv[i], 'match')) {
      const text = value.toString('latin1');
      pattern = text === '*' ? undefined : text;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { count, pattern };
}

export function matchesPattern(options: ScanOptions, element: string): boolean {
  return options.pattern === undefined || globMatch(options.pattern, element);
}

interface SlotTable {
  slots: (string | undefined)[];
  readonly slotOf: Map<string, number>;
  holes: number;
  epoch: number;
}

const tables = new WeakMap<object, SlotTable>();

/** The live view of a collection the slot table needs. */
export interface ScanSource {
  /** The Map or Set itself: the table's identity. */
  readonly identity: object;
  readonly size: number;
  has(element: string): boolean;
  elements(): Iterable<string>;
}

/**
 * One step of a hashtable scan: visits slots from `cursor` until `count` live elements were seen
 * (or the end), and returns them with the next cursor (0 when the walk is over).
 */
export function scanStep(
  source: ScanSource,
  cursor: bigint,
  count: number,
): { readonly next: bigint; readonly elements: string[] } {
  const table = syncTable(source);
  let slot = Number(cursor >> SLOT_BITS) === table.epoch ? Number(cursor & 0xffffffffn) : 0;
  const elements: string[] = [];
  while (slot < table.slots.length && elements.length < count) {
    const element = table.slots[slot];
    if (element !== undefined) {
      if (source.has(element)) {
        elements.push(element);
      } else {
        table.slots[slot] = undefined;
        table.slotOf.delete(element);
        table.holes++;
      }
    }
    slot++;
  }
  const next = slot >= table.slots.length ? 0n : (BigInt(table.epoch) << SLOT_BITS) + BigInt(slot);
  return { next, elements };
}

/** Gives every element a slot and, when holes dominate, compacts (a new epoch). */
function syncTable(source: ScanSource): SlotTable {
  let table = tables.get(source.identity);
  if (table === undefined) {
    table = { slots: [], slotOf: new Map(), holes: 0, epoch: 0 };
    tables.set(source.identity, table);
  }
  // Deleted elements still hold slots: find them when the table knows more than exist.
  if (table.slotOf.size > source.size) {
    for (const [element, slot] of table.slotOf) {
      if (source.has(element)) continue;
      table.slots[slot] = undefined;
      table.slotOf.delete(element);
      table.holes++;
    }
  }
  for (const element of source.elements()) {
    if (table.slotOf.has(element)) continue;
    table.slotOf.set(element, table.slots.length);
    table.slots.push(element);
  }
  if (table.holes >= SLOT_HOLES_MIN && table.holes > table.slotOf.size) {
    const live = table.slots.filter((element): element is string => element !== undefined);
    table.slots = live;
    table.slotOf.clear();
    for (const [slot, element] of live.entries()) table.slotOf.set(element, slot);
    table.holes = 0;
    table.epoch = (table.epoch + 1) % 0x100000;
  }
  return table;
}

/** The reply to a scan of a missing key: cursor 0 and no elements (options are not looked at). */
export function replyEmptyScan(reply: ReplyWriter): void {
  reply.arrayHeader(2);
  reply.bulk('0');
  reply.arrayHeader(0);
}

/**
 * One call of a collection scan: `compact` (the elements of a listpack or intset value, in Redis's
 * order) is returned whole with cursor 0; otherwise the slot table takes one step of `count`. MATCH
 * filters what is returned, after the step, as in Redis.
 */
export function scanCollection(
  source: ScanSource,
  compact: readonly string[] | undefined,
  cursor: bigint,
  options: ScanOptions,
): { readonly next: bigint; readonly elements: string[] } {
  const step =
    compact === undefined
      ? scanStep(source, cursor, options.count)
      : { next: 0n, elements: [...compact] };
  return {
    next: step.next,
    elements: step.elements.filter((element) => matchesPattern(options, element)),
  };
}
