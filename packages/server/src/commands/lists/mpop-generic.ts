/**
 * LMPOP and BLMPOP: the list family of the shared MPOP spec (../mpop-generic.ts, which reads the
 * arguments and runs the pop-or-block body of ../pop-first.ts).
 *
 * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: the first list pops up to `count`
 * elements, replied as [key, [element ...]] and propagated as `LPOP|RPOP key n` (n the number
 * popped). No list: a null array.
 *
 * BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the same; with no list the client
 * blocks on every key and is served, with the same reply and propagation, by the first that gets
 * elements; inside MULTI it replies a null array at once; a timeout replies a null array.
 */
import { defineMpop, type MpopFamily } from '../mpop-generic.js';
import type { Command, CommandDoc } from '../types.js';
import { argvOf, type ListEnd, popValues } from './list-ops.js';

const LIST_MPOP: MpopFamily<'list', ListEnd> = {
  name: 'lmpop',
  type: 'list',
  wheres: ['left', 'right'],
  aclCategory: '@list',
  pop(ctx, key, list, where, count) {
    const popped = popValues(ctx, key, list, where, Math.min(count, list.value.length));
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk(Buffer.from(key, 'latin1'));
    ctx.reply.arrayHeader(popped.length);
    for (const value of popped) ctx.reply.bulk(value);
    return argvOf(where === 'left' ? 'LPOP' : 'RPOP', key, String(popped.length));
  },
};

/** LMPOP (blocking false) or BLMPOP. */
export function defineLmpop(blocking: boolean, doc: CommandDoc): Command {
  return defineMpop(LIST_MPOP, blocking, doc);
}
