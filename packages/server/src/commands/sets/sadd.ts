/**
 * SADD key member [member ...]
 *
 * Adds members, creating the set if needed; replies how many were new.
 */
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { addMember, newSet, textArg } from './set-value.js';

interface SetAddArgs {
  readonly key: string;
  readonly members: readonly string[];
}

export const sadd: Command = defineCommand<SetAddArgs>({
  name: 'sadd',
  arity: -3,
  syntax: 'key member [member ...]',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Add one or more members to a set',
    since: '1.0.0',
    group: 'set',
    complexity:
      'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    members: argv.slice(2).map((member) => member.toString('latin1')),
  }),
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'set');
    if (found instanceof ErrorReply) return found;
    let set = found;
    if (set === undefined) {
      set = newSet(args.members[0]);
      ctx.db.set(args.key, set);
    }
    let added = 0;
    for (const member of args.members) if (addMember(ctx, set, member)) added++;
    if (added > 0) ctx.modified(args.key, added);
    ctx.reply.integer(added);
    return undefined;
  },
});
