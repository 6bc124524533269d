/**
 * XDEL key id [id ...]
 *
 * Deletes entries and replies how many existed. A missing key replies 0 before the IDs are looked
 * at; otherwise every ID is checked first (strict: no `-`/`+`), so a bad one deletes nothing.
 * Deleted entries stay as tombstones in their node until the node's last live entry goes (see
 * keyspace/stream.ts); the stream's max-deleted-entry-id and recorded first ID follow, as in
 * Redis. Propagated as received when something was deleted.
 */
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { parseStrictIds } from './stream-id.js';

interface XdelArgs {
  readonly key: string;
  readonly ids: readonly Buffer[];
}

export const xdel: Command = defineCommand<XdelArgs>({
  name: 'xdel',
  arity: -3,
  syntax: 'key id [id ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary:
      'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), ids: argv.slice(2) }),
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    if (found === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    const ids = parseStrictIds(args.ids);
    if (ids instanceof ErrorReply) return ids;
    const stream = found.value;
    let deleted = 0;
    let firstEntry = false;
    for (const id of ids) {
      if (!stream.delete(id)) continue;
      if (id === stream.firstId) firstEntry = true;
      if (id > stream.maxDeletedId) stream.maxDeletedId = id;
      deleted++;
    }
    if (deleted > 0) {
      if (stream.length === 0) stream.firstId = 0n;
      else if (firstEntry) stream.firstId = stream.edgeId(true, true);
      ctx.modified(args.key, deleted);
    }
    ctx.reply.integer(deleted);
    return undefined;
  },
});
