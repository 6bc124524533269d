/**
 * XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
 *
 * Sets the stream's last ID (and its entries-added counter and max deleted ID), as a replica or an
 * AOF needs after trims and deletes. Checks in Redis 7.0's order: the strict ID, the options
 * (ENTRIESADDED >= 0; MAXDELETEDID not above the ID), "no such key", WRONGTYPE, then the ID against
 * the last live entry and ENTRIESADDED against the length. 7.0.15 does not compare the ID with
 * the stream's current max deleted ID (later versions do), so neither does this.
 * Propagated as received; WATCH is not touched (no signalModifiedKey in 7.0).
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { addDirty, NO_SUCH_KEY } from './stream-common.js';
import { parseStrictId } from './stream-id.js';

const ENTRIES_ADDED_NEGATIVE = new ErrorReply('ERR entries_added must be positive');
const BELOW_GIVEN_MAX_DELETED = new ErrorReply(
  'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
);
const BELOW_TOP = new ErrorReply(
  'ERR The ID specified in XSETID is smaller than the target stream top item',
);
const ENTRIES_BELOW_LENGTH = new ErrorReply(
  'ERR The entries_added specified in XSETID is smaller than the target stream length',
);

interface XsetidArgs {
  readonly key: string;
  readonly id: bigint;
  /** -1 = not given. */
  readonly entriesAdded: number;
  readonly maxDeletedId: bigint;
}

export const xsetid: Command = defineCommand<XsetidArgs>({
  name: 'xsetid',
  arity: -3,
  syntax: 'key last-id [ENTRIESADDED entries-added:integer] [MAXDELETEDID max-deleted-id]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@stream', '@fast'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: 'An internal command for replicating stream values',
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(1)',
  },
  parse(argv) {
    const id = parseStrictId(argv[2]);
    if (id instanceof ErrorReply) return id;
    let entriesAdded = -1;
    let maxDeletedId = 0n;
    for (let i = 3; i < argv.length; i += 2) {
      const moreArgs = argv.length - 1 - i;
      if (isKeyword(argv[i], 'entriesadded') && moreArgs > 0) {
        const value = parseInt64(argv[i + 1]);
        if (value === undefined) return NOT_INTEGER;
        if (value < 0n) return ENTRIES_ADDED_NEGATIVE;
        entriesAdded = Number(value);
      } else if (isKeyword(argv[i], 'maxdeletedid') && moreArgs > 0) {
        const value = parseStrictId(argv[i + 1]);
        if (value instanceof ErrorReply) return value;
        if (id < value) return BELOW_GIVEN_MAX_DELETED;
        maxDeletedId = value;
      } else {
        return SYNTAX_ERROR;
      }
    }
    return { key: keyOf(argv[1]), id, entriesAdded, maxDeletedId };
  },
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'stream');
    if (found === undefined) return NO_SUCH_KEY;
    if (found instanceof ErrorReply) return found;
    const stream = found.value;
    if (stream.length > 0) {
      if (args.id < stream.lastValidId()) return BELOW_TOP;
      if (args.entriesAdded !== -1 && stream.length > args.entriesAdded)
        return ENTRIES_BELOW_LENGTH;
    }
    stream.lastId = args.id;
    if (args.entriesAdded !== -1) stream.entriesAdded = args.entriesAdded;
    if (args.maxDeletedId !== 0n) stream.maxDeletedId = args.maxDeletedId;
    addDirty(ctx);
    ctx.reply.simple('OK');
    return undefined;
  },
});
