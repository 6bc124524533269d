/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]
 *
 * Replies [next cursor, [field, value, ...]]. A listpack hash is returned whole with cursor 0
 * (COUNT ignored), as Redis does; a hashtable hash is walked with the stable slot cursor of
 * collection-scan.ts, which returns every field present for the whole scan at least once (the
 * cursor values differ from Redis's). MATCH filters on the field. A missing key replies an empty
 * scan without looking at the options; a bad cursor is checked before the key.
 */
import {
  parseScanCursor,
  parseScanOptions,
  replyEmptyScan,
  scanCollection,
} from '../collection-scan.js';
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { fieldBytes, textArg } from './hash-value.js';

interface HashScanArgs {
  readonly key: string;
  readonly cursor: bigint;
  readonly argv: readonly Buffer[];
}

export const hscan: Command = defineCommand<HashScanArgs>({
  name: 'hscan',
  arity: -3,
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@hash', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Incrementally iterate hash fields and associated values',
    since: '2.8.0',
    group: 'hash',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  },
  parse(argv) {
    const cursor = parseScanCursor(argv[2]);
    if (cursor instanceof ErrorReply) return cursor;
    return { key: textArg(argv, 1), cursor, argv };
  },
  execute(ctx, args) {
    const hash = lookupRead(ctx, args.key, 'hash');
    if (hash instanceof ErrorReply) return hash;
    const { reply } = ctx;
    if (hash === undefined) {
      replyEmptyScan(reply);
      return undefined;
    }
    const options = parseScanOptions(args.argv, 3);
    if (options instanceof ErrorReply) return options;
    const fields = hash.value;
    const source = {
      identity: fields,
      size: fields.size,
      has: (field: string) => fields.has(field),
      elements: () => fields.keys(),
    };
    const compact = hash.encoding === 'listpack' ? [...fields.keys()] : undefined;
    const { next, elements } = scanCollection(source, compact, args.cursor, options);
    reply.arrayHeader(2);
    reply.bulk(next.toString());
    reply.arrayHeader(elements.length * 2);
    for (const field of elements) {
      reply.bulk(fieldBytes(field));
      reply.bulk(fields.get(field) ?? Buffer.alloc(0));
    }
    return undefined;
  },
});
