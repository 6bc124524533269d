/**
 * LMOVE source destination LEFT|RIGHT LEFT|RIGHT
 *
 * Pops an element from one end of `source`, pushes it to one end of `destination` and replies it;
 * a null bulk if the source does not exist. The LEFT/RIGHT words are checked first (syntax error),
 * then the source (WRONGTYPE), then the destination (WRONGTYPE, with nothing moved). Source and
 * destination may be the same list (a rotation). Propagated as received.
 */
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, type CommandContext, defineCommand, ErrorReply } from '../types.js';
import { type ListEnd, moveValue, parseListEnd } from './list-ops.js';

export interface MoveArgs {
  readonly source: string;
  readonly destination: string;
  readonly from: ListEnd;
  readonly to: ListEnd;
}

/** lmoveGenericCommand: the move with its null-bulk reply for a missing source. */
export function moveGeneric(ctx: CommandContext, args: MoveArgs): ErrorReply | undefined {
  const source = lookupWrite(ctx, args.source, 'list');
  if (source === undefined) {
    ctx.reply.nullBulk();
    return undefined;
  }
  if (source instanceof ErrorReply) return source;
  return moveValue(ctx, args.source, source, args.destination, args.from, args.to);
}

export const lmove: Command = defineCommand<MoveArgs>({
  name: 'lmove',
  arity: 5,
  syntax: 'source:key destination:key (LEFT|RIGHT) (LEFT|RIGHT)',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Pop an element from a list, push it to another list and return it',
    since: '6.2.0',
    group: 'list',
    complexity: 'O(1)',
  },
  parse(argv) {
    const from = parseListEnd(argv[3]);
    if (typeof from !== 'string') return from;
    const to = parseListEnd(argv[4]);
    if (typeof to !== 'string') return to;
    return { source: keyOf(argv[1]), destination: keyOf(argv[2]), from, to };
  },
  execute: moveGeneric,
});
