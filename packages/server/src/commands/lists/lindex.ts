/**
 * LINDEX key index
 *
 * Replies the element at `index` (negative counts from the end), a null bulk when the index is out
 * of range or the key does not exist. As in Redis, the key is looked up before the index is parsed:
 * a missing key is a null bulk and another type WRONGTYPE even when the index is not an integer.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { listIndex } from './list-ops.js';

interface IndexArgs {
  readonly key: string;
  /** Undefined when the argument is not an integer; reported after the lookup. */
  readonly index: bigint | undefined;
}

export const lindex: Command = defineCommand<IndexArgs>({
  name: 'lindex',
  arity: 3,
  syntax: 'key index:integer',
  flags: ['readonly'],
  aclCategories: ['@read', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get an element from a list by its index',
    since: '1.0.0',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), index: parseInt64(argv[2]) }),
  execute(ctx, args) {
    const list = lookupRead(ctx, args.key, 'list');
    if (list === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    if (list instanceof ErrorReply) return list;
    if (args.index === undefined) return NOT_INTEGER;
    const index = listIndex(args.index, list.value.length);
    const value = index === undefined ? undefined : list.value.at(index);
    if (value === undefined) ctx.reply.nullBulk();
    else ctx.reply.bulk(value);
    return undefined;
  },
});
