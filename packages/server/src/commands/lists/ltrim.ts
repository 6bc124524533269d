/**
 * LTRIM key start stop
 *
 * Keeps only the elements from `start` to `stop` inclusive (LRANGE's index rules) and replies +OK,
 * also for a missing key. A list trimmed to nothing is deleted. The indexes are parsed before the
 * key is looked up. As in Redis, WATCH is touched even when nothing was removed, but only removed
 * elements count as changes (so a no-op LTRIM is not propagated).
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { listRange } from './list-ops.js';

interface TrimArgs {
  readonly key: string;
  readonly start: bigint;
  readonly stop: bigint;
}

export const ltrim: Command = defineCommand<TrimArgs>({
  name: 'ltrim',
  arity: 4,
  syntax: 'key start:integer stop:integer',
  flags: ['write'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Trim a list to the specified range',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  },
  parse(argv) {
    const start = parseInt64(argv[2]);
    const stop = parseInt64(argv[3]);
    if (start === undefined || stop === undefined) return NOT_INTEGER;
    return { key: keyOf(argv[1]), start, stop };
  },
  execute(ctx, args) {
    const list = lookupWrite(ctx, args.key, 'list');
    if (list instanceof ErrorReply) return list;
    if (list !== undefined) {
      const length = list.value.length;
      const range = listRange(args.start, args.stop, length);
      let removed = length;
      if (range === undefined) {
        list.value.retain(() => false);
      } else {
        removed = length - (range.stop - range.start + 1);
        if (removed > 0) list.value.retain((_, i) => i >= range.start && i <= range.stop);
      }
      if (list.value.length === 0) ctx.db.delete(args.key);
      ctx.modified(args.key, removed);
    }
    ctx.reply.simple('OK');
    return undefined;
  },
});
