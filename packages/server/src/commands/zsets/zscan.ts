/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * Iterates members and scores: replies [next cursor, [member, score, ...]], scores as bulk strings.
 * As in Redis, a listpack-encoded set is returned whole in one call with cursor 0 (COUNT ignored),
 * its scores printed as the listpack stores them (d2string: integers up to 2^62 without exponent);
 * a skiplist-encoded set is walked with the stable cursor of collection-scan.ts, scores printed
 * with %.17g. MATCH filters on members only. The cursor is checked first ("invalid cursor"), then
 * the key (a missing key replies cursor 0 and no elements; WRONGTYPE), then the options.
 *
 * Deliberate difference: Redis walks a skiplist set's hash table in bucket order, so the order and
 * the batch boundaries differ; the guarantees (every member present throughout is returned) hold.
 */
import { formatDouble } from '@replisim/protocol';
import type { SortedSet } from '../../keyspace/sorted-set.js';
import {
  parseScanCursor,
  parseScanOptions,
  replyEmptyScan,
  type ScanOptions,
  scanCollection,
} from '../collection-scan.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { d2string } from './score.js';
import { memberBytes } from './zset-common.js';

function* memberNames(set: SortedSet): Iterable<string> {
  for (const entry of set) yield entry.member;
}

interface ZScanArgs {
  readonly key: string;
  readonly cursor: bigint;
  readonly options: ScanOptions | ErrorReply;
}

export const zscan: Command = defineCommand<ZScanArgs>({
  name: 'zscan',
  arity: -3,
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@sortedset', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    since: '2.8.0',
    group: 'sorted-set',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  },
  parse(argv) {
    const cursor = parseScanCursor(argv[2]);
    if (cursor instanceof ErrorReply) return cursor;
    return { key: keyOf(argv[1]), cursor, options: parseScanOptions(argv, 3) };
  },
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const { reply } = ctx;
    if (zset === undefined) {
      replyEmptyScan(reply);
      return undefined;
    }
    const options = args.options;
    if (options instanceof ErrorReply) return options;
    const set = zset.value;
    const source = {
      identity: set,
      size: set.size,
      has: (member: string) => set.has(member),
      elements: () => memberNames(set),
    };
    const compact = zset.encoding === 'listpack' ? [...memberNames(set)] : undefined;
    const { next, elements } = scanCollection(source, compact, args.cursor, options);
    const format = zset.encoding === 'listpack' ? d2string : formatDouble;
    reply.arrayHeader(2);
    reply.bulk(next.toString());
    reply.arrayHeader(elements.length * 2);
    for (const member of elements) {
      reply.bulk(memberBytes(member));
      reply.bulk(format(set.score(member) ?? 0));
    }
    return undefined;
  },
});
