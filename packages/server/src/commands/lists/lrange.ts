/**
 * LRANGE key start stop
 *
 * Replies the elements from index `start` to `stop` inclusive (negative indexes count from the
 * end; out-of-range indexes are clamped), an empty array when the range or the key is empty.
 * The indexes are parsed before the key is looked up: a bad index is "value is not an integer or
 * out of range" even on a missing key or another type.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { listRange } from './list-ops.js';

interface RangeArgs {
  readonly key: string;
  readonly start: bigint;
  readonly stop: bigint;
}

export const lrange: Command = defineCommand<RangeArgs>({
  name: 'lrange',
  arity: 4,
  syntax: 'key start:integer stop:integer',
  flags: ['readonly'],
  aclCategories: ['@read', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get a range of elements from a list',
    since: '1.0.0',
    group: 'list',
    complexity:
      'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  },
  parse(argv) {
    const start = parseInt64(argv[2]);
    const stop = parseInt64(argv[3]);
    if (start === undefined || stop === undefined) return NOT_INTEGER;
    return { key: keyOf(argv[1]), start, stop };
  },
  execute(ctx, args) {
    const list = lookupRead(ctx, args.key, 'list');
    if (list instanceof ErrorReply) return list;
    const range =
      list === undefined ? undefined : listRange(args.start, args.stop, list.value.length);
    if (list === undefined || range === undefined) {
      ctx.reply.arrayHeader(0);
      return undefined;
    }
    ctx.reply.arrayHeader(range.stop - range.start + 1);
    for (const value of list.value.slice(range.start, range.stop)) ctx.reply.bulk(value);
    return undefined;
  },
});
