/**
 * LREM key count element
 *
 * Removes elements equal to `element`: the first `count` from the head if count > 0, the last
 * |count| from the tail if count < 0, all of them if count is 0. Replies how many were removed
 * (0 for a missing key). The count is parsed before the key is looked up. A list left empty is
 * deleted.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface RemoveArgs {
  readonly key: string;
  readonly count: bigint;
  readonly value: Buffer;
}

export const lrem: Command = defineCommand<RemoveArgs>({
  name: 'lrem',
  arity: 4,
  syntax: 'key count:integer element',
  flags: ['write'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove elements from a list',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  },
  parse(argv) {
    const count = parseInt64(argv[2]);
    if (count === undefined) return NOT_INTEGER;
    return { key: keyOf(argv[1]), count, value: argv[3] ?? Buffer.alloc(0) };
  },
  execute(ctx, args) {
    const list = lookupWrite(ctx, args.key, 'list');
    if (list === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    if (list instanceof ErrorReply) return list;
    const length = list.value.length;
    const fromTail = args.count < 0n;
    const limit = args.count === 0n ? length : Number(fromTail ? -args.count : args.count);
    const doomed = new Set<number>();
    for (let step = 0; step < length && doomed.size < limit; step++) {
      const index = fromTail ? length - 1 - step : step;
      if (list.value.at(index)?.equals(args.value) === true) doomed.add(index);
    }
    if (doomed.size > 0) {
      list.value.retain((_, index) => !doomed.has(index));
      if (list.value.length === 0) ctx.db.delete(args.key);
      ctx.modified(args.key, doomed.size);
    }
    ctx.reply.integer(doomed.size);
    return undefined;
  },
});
