/**
 * SISMEMBER key member
 *
 * Replies 1 if `member` is in the set, else 0 (also for a missing key).
 */
import { lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { textArg } from './set-value.js';

interface SetIsMemberArgs {
  readonly key: string;
  readonly member: string;
}

export const sismember: Command = defineCommand<SetIsMemberArgs>({
  name: 'sismember',
  arity: 3,
  syntax: 'key member',
  flags: ['readonly', 'fast'],
  aclCategories: ['@read', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Determine if a given value is a member of a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: textArg(argv, 1), member: textArg(argv, 2) }),
  execute(ctx, args) {
    const set = lookupRead(ctx, args.key, 'set');
    if (set instanceof ErrorReply) return set;
    ctx.reply.integer(set?.value.has(args.member) === true ? 1 : 0);
    return undefined;
  },
});
