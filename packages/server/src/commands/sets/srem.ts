/**
 * SREM key member [member ...]
 *
 * Removes members; replies how many were there. A set left empty is deleted.
 */
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './set-value.js';

interface SetRemoveArgs {
  readonly key: string;
  readonly members: readonly string[];
}

export const srem: Command = defineCommand<SetRemoveArgs>({
  name: 'srem',
  arity: -3,
  syntax: 'key member [member ...]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove one or more members from a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(N) where N is the number of members to be removed.',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    members: argv.slice(2).map((member) => member.toString('latin1')),
  }),
  execute(ctx, args) {
    const set = lookupWrite(ctx, args.key, 'set');
    if (set instanceof ErrorReply) return set;
    let removed = 0;
    if (set !== undefined) {
      for (const member of args.members) {
        if (set.value.delete(member)) removed++;
        if (set.value.size === 0) {
          ctx.db.delete(args.key);
          break;
        }
      }
      if (removed > 0) ctx.modified(args.key, removed);
    }
    ctx.reply.integer(removed);
    return undefined;
  },
});
