/**
 * SSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * Replies [next cursor, [member, ...]]. An intset set is returned whole, in ascending order, with
 * cursor 0 (COUNT ignored), as Redis does; a hashtable set is walked with the stable slot cursor
 * of collection-scan.ts, which returns every member present for the whole scan at least once (the
 * cursor values differ from Redis's). A missing key replies an empty scan without looking at the
 * options; a bad cursor is checked before the key.
 */
import {
  parseScanCursor,
  parseScanOptions,
  replyEmptyScan,
  scanCollection,
} from '../collection-scan.js';
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { memberBytes, orderedMembers, textArg } from './set-value.js';

interface SetScanArgs {
  readonly key: string;
  readonly cursor: bigint;
  readonly argv: readonly Buffer[];
}

export const sscan: Command = defineCommand<SetScanArgs>({
  name: 'sscan',
  arity: -3,
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Incrementally iterate Set elements',
    since: '2.8.0',
    group: 'set',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  },
  parse(argv) {
    const cursor = parseScanCursor(argv[2]);
    if (cursor instanceof ErrorReply) return cursor;
    return { key: textArg(argv, 1), cursor, argv };
  },
  execute(ctx, args) {
    const set = lookupRead(ctx, args.key, 'set');
    if (set instanceof ErrorReply) return set;
    const { reply } = ctx;
    if (set === undefined) {
      replyEmptyScan(reply);
      return undefined;
    }
    const options = parseScanOptions(args.argv, 3);
    if (options instanceof ErrorReply) return options;
    const members = set.value;
    const source = {
      identity: members,
      size: members.size,
      has: (member: string) => members.has(member),
      elements: () => members.values(),
    };
    const compact = set.encoding === 'intset' ? orderedMembers(set) : undefined;
    const { next, elements } = scanCollection(source, compact, args.cursor, options);
    reply.arrayHeader(2);
    reply.bulk(next.toString());
    reply.arrayHeader(elements.length);
    for (const member of elements) reply.bulk(memberBytes(member));
    return undefined;
  },
});
