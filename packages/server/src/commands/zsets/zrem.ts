/**
 * ZREM key member [member ...]
 *
 * Removes members; replies how many existed. The key is deleted when the set becomes empty.
 */
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface ZRemArgs {
  readonly key: string;
  readonly members: readonly string[];
}

export const zrem: Command = defineCommand<ZRemArgs>({
  name: 'zrem',
  arity: -3,
  syntax: 'key member [member ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove one or more members from a sorted set',
    since: '1.2.0',
    group: 'sorted-set',
    complexity:
      'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), members: argv.slice(2).map(keyOf) }),
  execute(ctx, args) {
    const zset = lookupWrite(ctx, args.key, 'zset');
    if (zset instanceof ErrorReply) return zset;
    let deleted = 0;
    if (zset !== undefined) {
      for (const member of args.members) {
        if (!zset.value.remove(member)) continue;
        deleted++;
        if (zset.value.size === 0) {
          ctx.db.delete(args.key);
          break;
        }
      }
    }
    if (deleted > 0) ctx.modified(args.key, deleted);
    ctx.reply.integer(deleted);
    return undefined;
  },
});
