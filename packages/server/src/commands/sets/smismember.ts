/**
 * SMISMEMBER key member [member ...]
 *
 * Replies an array of 1/0, one per member (all 0 for a missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './set-value.js';

interface SetMultiIsMemberArgs {
  readonly key: string;
  readonly members: readonly string[];
}

export const smismember: Command = defineCommand<SetMultiIsMemberArgs>({
  name: 'smismember',
  arity: -3,
  syntax: 'key member [member ...]',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Returns the membership associated with the given elements for a set',
    since: '6.2.0',
    group: 'set',
    complexity: 'O(N) where N is the number of elements being checked for membership',
  },
  parse: (argv) => ({
    key: textArg(argv, 1),
    members: argv.slice(2).map((member) => member.toString('latin1')),
  }),
  execute(ctx, args) {
    const set = lookupRead(ctx, args.key, 'set');
    if (set instanceof ErrorReply) return set;
    ctx.reply.arrayHeader(args.members.length);
    for (const member of args.members) ctx.reply.integer(set?.value.has(member) === true ? 1 : 0);
    return undefined;
  },
});
