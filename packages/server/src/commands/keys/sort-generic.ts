/**
 * SORT and SORT_RO (Redis 7.0's sort.c sortCommandGeneric), step for step:
 *
 * 1. Options, left to right: ASC, DESC, ALPHA, LIMIT offset count (two integers, "value is not an
 *    integer or out of range"), BY pattern, GET pattern (repeatable), STORE destination (SORT
 *    only); anything else, or an option missing its arguments, is a syntax error.
 * 2. The key must be a list, set or sorted set (WRONGTYPE); a missing key sorts as empty.
 * 3. A BY pattern without `*` (`BY nosort`) means no sorting: lists and sorted sets keep their
 *    order (DESC reversed, LIMIT applied while reading), sets their iteration order, except that a
 *    set sorted into STORE is sorted ALPHA anyway, so replicas store the same list.
 * 4. Sorting: by each element itself, or by the value `BY` names (the element substituted for the
 *    first `*`; `key*->field` reads a hash field; a missing value or a key of another type sorts
 *    as 0 / first). Numeric by default: the value is read by strtod (leading spaces allowed, the
 *    whole C string must convert, no NaN, no overflow, else "One or more scores can't be converted
 *    into double"); equal scores are ordered by the elements' bytes. ALPHA compares bytes; without
 *    STORE Redis compares with strcoll, which under the C locale (what redis-server runs with
 *    here) stops at a NUL byte, and so does replisim.
 * 5. Output: each element, or for each GET pattern its value (`#` the element itself, a missing
 *    value a null, with STORE an empty string). STORE writes a list (replacing the destination and
 *    its TTL) and replies its length; an empty result deletes the destination.
 *
 * Propagation: SORT ... STORE as received when it stored or deleted something; plain SORT changes
 * nothing. Known difference: where Redis walks a hash table (a hashtable set with BY nosort, or
 * ties under ALPHA BY), replisim's order is insertion order.
 */

import { Deque } from '../../keyspace/deque.js';
import type { RedisValue } from '../../keyspace/values.js';
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import { keyOf } from '../lookup.js';
import { orderedMembers } from '../sets/set-value.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { strtod } from '../zsets/score.js';

export interface SortArgs {
  readonly key: string;
  readonly desc: boolean;
  readonly alpha: boolean;
  readonly limit: { readonly offset: bigint; readonly count: bigint } | undefined;
  readonly by: string | undefined;
  readonly gets: readonly string[];
  readonly store: string | undefined;
}

export function parseSort(argv: readonly Buffer[], readOnly: boolean): SortArgs | ErrorReply {
  let desc = false;
  let alpha = false;
  let limit: SortArgs['limit'];
  let by: string | undefined;
  let store: string | undefined;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const word = argv[j];
    if (isKeyword(word, 'asc')) desc = false;
    else if (isKeyword(word, 'desc')) desc = true;
    else if (isKeyword(word, 'alpha')) alpha = true;
    else if (isKeyword(word, 'limit') && left >= 2) {
      const offset = parseInt64(argv[j + 1]);
      if (offset === undefined) return NOT_INTEGER;
      const count = parseInt64(argv[j + 2]);
      if (count === undefined) return NOT_INTEGER;
      limit = { offset, count };
      j += 2;
    } else if (!readOnly && isKeyword(word, 'store') && left >= 1) {
      store = keyOf(argv[++j]);
    } else if (isKeyword(word, 'by') && left >= 1) {
      by = keyOf(argv[++j]);
    } else if (isKeyword(word, 'get') && left >= 1) {
      gets.push(keyOf(argv[++j]));
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { key: keyOf(argv[1]), desc, alpha, limit, by, gets, store };
}

/** A C string: the text up to its first NUL. */
function cString(text: string): string {
  const nul = text.indexOf('\u0000');
  return nul < 0 ? text : text.slice(0, nul);
}

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` (in the pattern as a C
 * string) is replaced by the element and, after a `->` with a field behind it, a hash field is
 * read. Undefined when the pattern has no `*`, the key is missing or of the wrong type.
 */
function lookupByPattern(
  ctx: CommandContext,
  pattern: string,
  element: string,
): string | undefined {
  const cPattern = cString(pattern);
  if (cPattern === '#') return element;
  const star = cPattern.indexOf('*');
  if (star < 0) return undefined;
  const arrow = cPattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < cPattern.length;
  // Lengths come from the whole pattern (sdslen), positions from the C string.
  const field = hasField ? pattern.slice(arrow + 2) : undefined;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = ctx.db.lookup(key, ctx.nowMs);
  if (value === undefined) return undefined;
  if (field !== undefined) {
    if (value.type !== 'hash') return undefined;
    return value.value.get(field)?.toString('latin1');
  }
  return value.type === 'string' ? value.value.toString('latin1') : undefined;
}

/** The elements to sort, read as sort.c loads its vector (BY nosort ranges read directly). */
function loadElements(
  value: RedisValue | undefined,
  dontSort: boolean,
  desc: boolean,
  range: { start: number; end: number },
): string[] {
  if (value === undefined) return [];
  switch (value.type) {
    case 'list': {
      const all: string[] = [];
      for (const element of value.value) all.push(element.toString('latin1'));
      return dontSortSlice(all, dontSort, desc, range);
    }
    case 'set':
      return orderedMembers(value);
    case 'zset': {
      const all = value.value.range(0, value.value.size - 1).map((entry) => entry.member);
      return dontSortSlice(all, dontSort, desc, range);
    }
    default:
      throw new Error(`SORT cannot load a ${value.type}`);
  }
}

/**
 * The direct read of a list or sorted set under BY nosort: [start, end] in order (from the end
 * when DESC), after which the range to output is the whole vector.
 */
function dontSortSlice(
  all: string[],
  dontSort: boolean,
  desc: boolean,
  range: { start: number; end: number },
): string[] {
  if (!dontSort) return all;
  const { start, end } = range;
  if (end < start) return [];
  const ordered = desc ? all.reverse() : all;
  range.end = end - start;
  range.start = 0;
  return ordered.slice(start, end + 1);
}

/** Redis's compareStringObjects: bytes, then length. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortEntry {
  readonly element: string;
  score: number;
  compareBy: string | undefined;
}

export function executeSort(ctx: CommandContext, args: SortArgs): ErrorReply | undefined {
  let { alpha, by } = args;
  let dontSort = by !== undefined && !cString(by).includes('*');
  const value = ctx.db.lookup(args.key, ctx.nowMs);
  if (value === undefined) ctx.node.stats.keyspaceMisses++;
  else ctx.node.stats.keyspaceHits++;
  if (
    value !== undefined &&
    value.type !== 'list' &&
    value.type !== 'set' &&
    value.type !== 'zset'
  ) {
    return WRONG_TYPE;
  }
  // A set's iteration order is not the same on a replica: a stored result is sorted anyway.
  if (dontSort && value?.type === 'set' && args.store !== undefined) {
    dontSort = false;
    alpha = true;
    by = undefined;
  }
  const length =
    value === undefined
      ? 0
      : value.type === 'list'
        ? value.value.length
        : value.type === 'set'
          ? value.value.size
          : value.type === 'zset'
            ? value.value.size
            : 0;
  // LIMIT sanity checks, in long arithmetic.
  const offset = args.limit?.offset ?? 0n;
  const count = args.limit?.count ?? -1n;
  let start = offset < 0n ? 0n : offset;
  let end = count < 0n ? BigInt(length) - 1n : start + count - 1n;
  if (start >= BigInt(length)) {
    start = BigInt(length) - 1n;
    end = BigInt(length) - 2n;
  }
  if (end >= BigInt(length)) end = BigInt(length) - 1n;
  const range = { start: Number(start), end: Number(end) };
  const elements = loadElements(value, dontSort, args.desc, range);
  const entries: SortEntry[] = elements.map((element) => ({
    element,
    score: 0,
    compareBy: undefined,
  }));
  let conversionError = false;
  if (!dontSort) {
    for (const entry of entries) {
      let byValue: string | undefined = entry.element;
      if (by !== undefined) {
        byValue = lookupByPattern(ctx, by, entry.element);
        if (byValue === undefined) continue;
      }
      if (alpha) {
        if (by !== undefined) entry.compareBy = byValue;
        continue;
      }
      const text = cString(byValue);
      const parsed = strtod(text, 0);
      entry.score = parsed.value;
      if (parsed.end !== text.length || parsed.rangeError || Number.isNaN(parsed.value)) {
        conversionError = true;
      }
    }
    const collate = args.store === undefined;
    const compare = (a: SortEntry, b: SortEntry): number => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
      } else if (by !== undefined) {
        if (a.compareBy === undefined || b.compareBy === undefined) {
          cmp = a.compareBy === b.compareBy ? 0 : a.compareBy === undefined ? -1 : 1;
        } else if (collate) cmp = compareBytes(cString(a.compareBy), cString(b.compareBy));
        else cmp = compareBytes(a.compareBy, b.compareBy);
      } else if (collate) cmp = compareBytes(cString(a.element), cString(b.element));
      else cmp = compareBytes(a.element, b.element);
      return args.desc ? -cmp : cmp;
    };
    entries.sort(compare);
  }
  if (conversionError) {
    return new ErrorReply("ERR One or more scores can't be converted into double");
  }
  const output: (string | undefined)[] = [];
  for (let j = range.start; j <= range.end; j++) {
    const entry = entries[j];
    if (entry === undefined) continue;
    if (args.gets.length === 0) output.push(entry.element);
    for (const pattern of args.gets) output.push(lookupByPattern(ctx, pattern, entry.element));
  }
  if (args.store === undefined) {
    ctx.reply.arrayHeader(output.length);
    for (const item of output) {
      if (item === undefined) ctx.reply.nullBulk();
      else ctx.reply.bulk(Buffer.from(item, 'latin1'));
    }
    return undefined;
  }
  const destination = args.store;
  if (output.length > 0) {
    const list = new Deque<Buffer>();
    for (const item of output) list.pushBack(Buffer.from(item ?? '', 'latin1'));
    ctx.db.set(destination, { type: 'list', value: list });
    ctx.modified(destination, output.length);
  } else if (ctx.db.delete(destination)) {
    ctx.modified(destination);
  }
  ctx.reply.integer(output.length);
  return undefined;
}

/** sortGetKeys: the sorted key, and the last STORE destination (options skipped by arity). */
export function sortKeyIndexes(argv: readonly Buffer[]): number[] {
  const indexes = [1];
  let store: number | undefined;
  for (let i = 2; i < argv.length; i++) {
    if (isKeyword(argv[i], 'limit')) i += 2;
    else if (isKeyword(argv[i], 'get') || isKeyword(argv[i], 'by')) i += 1;
    else if (isKeyword(argv[i], 'store') && i + 1 < argv.length) store = i + 1;
  }
  if (store !== undefined) indexes.push(store);
  return indexes;
}
