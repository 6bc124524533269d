/**
 * ZLEXCOUNT key min max
 *
 * Replies how many members are in the lex range ("[x" inclusive, "(x" exclusive, "-" and "+" the
 * ends); meaningful when all members have the same score. A bad bound is "min or max not valid
 * string range item", checked before the key is looked up.
 */
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { BAD_LEX_RANGE, type LexRange, parseLexRange } from './score.js';
import { lexRanks } from './zset-common.js';

interface ZLexCountArgs {
  readonly key: string;
  readonly range: LexRange;
}

export const zlexcount: Command = defineCommand<ZLexCountArgs>({
  name: 'zlexcount',
  arity: 4,
  syntax: 'key min:string max:string',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    since: '2.8.9',
    group: 'sorted-set',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  },
  parse(argv) {
    const range = parseLexRange(argv[2] ?? Buffer.alloc(0), argv[3] ?? Buffer.alloc(0));
    return range === undefined ? BAD_LEX_RANGE : { key: keyOf(argv[1]), range };
  },
  execute(ctx, args) {
    const zset = lookupRead(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    const [start, end] = zset === undefined ? [0, 0] : lexRanks(zset.value, args.range);
    ctx.reply.integer(end - start);
    return undefined;
  },
});
