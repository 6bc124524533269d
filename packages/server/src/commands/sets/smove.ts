/**
 * SMOVE source destination member
 *
 * Moves `member` from one set to another; replies 1 if it was in `source`, else 0. Checks in
 * Redis's order: a missing source replies 0 before any type check; then WRONGTYPE for either key;
 * moving within one set only tests membership. An emptied source is deleted; a missing
 * destination is created.
 */
import { lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { addMember, newSet, textArg } from './set-value.js';

interface SetMoveArgs {
  readonly source: string;
  readonly destination: string;
  readonly member: string;
}

export const smove: Command = defineCommand<SetMoveArgs>({
  name: 'smove',
  arity: 4,
  syntax: 'source:key destination:key member',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@set', '@fast'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Move a member from one set to another',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
  },
  parse: (argv) => ({
    source: textArg(argv, 1),
    destination: textArg(argv, 2),
    member: textArg(argv, 3),
  }),
  execute(ctx, args) {
    const sourceSet = lookupWrite(ctx, args.source, 'set');
    const found = lookupWrite(ctx, args.destination, 'set');
    if (sourceSet === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    if (sourceSet instanceof ErrorReply) return sourceSet;
    if (found instanceof ErrorReply) return found;
    if (found === sourceSet) {
      ctx.reply.integer(sourceSet.value.has(args.member) ? 1 : 0);
      return undefined;
    }
    if (!sourceSet.value.delete(args.member)) {
      ctx.reply.integer(0);
      return undefined;
    }
    if (sourceSet.value.size === 0) ctx.db.delete(args.source);
    let target = found;
    if (target === undefined) {
      target = newSet(args.member);
      ctx.db.set(args.destination, target);
    }
    ctx.modified(args.source);
    if (addMember(ctx, target, args.member)) ctx.modified(args.destination);
    ctx.reply.integer(1);
    return undefined;
  },
});
