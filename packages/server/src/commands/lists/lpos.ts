/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
 *
 * Replies the index of the first element equal to `element` (a null bulk if none), or with COUNT
 * an array of up to num-matches indexes (0 = all; an empty array if none). RANK n starts from the
 * n-th match; a negative rank searches from the tail (indexes still count from the head). MAXLEN
 * compares at most len elements (0 = all).
 *
 * Options are checked as Redis parses them, left to right, before the key is looked up: RANK must
 * be an integer ("value is not an integer or out of range") and not 0 (the long RANK message, even
 * if a later option is bad); COUNT and MAXLEN must be integers >= 0, else "COUNT can't be negative"
 * / "MAXLEN can't be negative" (for non-integers too); an unknown option or a missing value is a
 * syntax error. RANK -9223372036854775808 negates to itself in C and matches from the first match
 * from the tail; it does the same here.
 */
import { NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

const RANK_ZERO = new ErrorReply(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
const COUNT_NEGATIVE = new ErrorReply("ERR COUNT can't be negative");
const MAXLEN_NEGATIVE = new ErrorReply("ERR MAXLEN can't be negative");
const INT64_MIN = -(2n ** 63n);

interface PosArgs {
  readonly key: string;
  readonly value: Buffer;
  readonly rank: bigint;
  /** Undefined without COUNT (reply one index or null); 0 means every match. */
  readonly count: bigint | undefined;
  readonly maxlen: bigint;
}

function parseOptions(argv: readonly Buffer[]): PosArgs | ErrorReply {
  let rank = 1n;
  let count: bigint | undefined;
  let maxlen = 0n;
  for (let j = 3; j < argv.length; j++) {
    const option = (argv[j] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    const value = argv[j + 1];
    if (value === undefined) return SYNTAX_ERROR;
    j++;
    const parsed = parseInt64(value);
    if (option === 'rank') {
      if (parsed === undefined) return NOT_INTEGER;
      if (parsed === 0n) return RANK_ZERO;
      rank = parsed;
    } else if (option === 'count') {
      if (parsed === undefined || parsed < 0n) return COUNT_NEGATIVE;
      count = parsed;
    } else if (option === 'maxlen') {
      if (parsed === undefined || parsed < 0n) return MAXLEN_NEGATIVE;
      maxlen = parsed;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return { key: keyOf(argv[1]), value: argv[2] ?? Buffer.alloc(0), rank, count, maxlen };
}

export const lpos: Command = defineCommand<PosArgs>({
  name: 'lpos',
  arity: -3,
  syntax: 'key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]',
  flags: ['readonly'],
  aclCategories: ['@read', '@list', '@slow'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: 'Return the index of matching elements on a list',
    since: '6.0.6',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  },
  parse: parseOptions,
  execute(ctx, args) {
    const list = lookupRead(ctx, args.key, 'list');
    if (list instanceof ErrorReply) return list;
    const length = list === undefined ? 0 : list.value.length;
    const fromTail = args.rank < 0n;
    // |rank| as a number; INT64_MIN stays negative in C, so every match qualifies.
    const skip = args.rank === INT64_MIN ? 1 : Number(fromTail ? -args.rank : args.rank);
    const wanted = args.count === undefined ? 1 : args.count === 0n ? length : Number(args.count);
    const scanned = args.maxlen === 0n ? length : Math.min(length, Number(args.maxlen));
    const found: number[] = [];
    let matches = 0;
    for (let step = 0; step < scanned && found.length < wanted; step++) {
      const index = fromTail ? length - 1 - step : step;
      if (list?.value.at(index)?.equals(args.value) !== true) continue;
      matches++;
      if (matches >= skip) found.push(index);
    }
    if (args.count === undefined) {
      const [first] = found;
      if (first === undefined) ctx.reply.nullBulk();
      else ctx.reply.integer(first);
      return undefined;
    }
    ctx.reply.arrayHeader(found.length);
    for (const index of found) ctx.reply.integer(index);
    return undefined;
  },
});
