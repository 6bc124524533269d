/**
 * LMPOP and BLMPOP (t_list.c lmpopGenericCommand, mpopGenericCommand, blockingPopGenericCommand).
 *
 * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: arguments as mpop-args.ts. The keys are
 * tried in order: a key of another type is WRONGTYPE; the first list pops up to `count` elements,
 * replied as [key, [element ...]] and propagated as `LPOP|RPOP key n` (n the number popped). No
 * list: a null array.
 *
 * BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the same, after which the timeout
 * is checked (so a bad timeout is reported after the other arguments); with no list the client
 * blocks on every key and is served, with the same reply and propagation, by the first that gets
 * elements; inside MULTI it replies a null array at once; a timeout replies a null array.
 */
import type { ListValue } from '../../keyspace/values.js';
import { lookupWrite } from '../lookup.js';
import { type MpopArgs, mpopKeyIndexes, POP_KEY_FLAGS, parseMpop } from '../mpop-args.js';
import { parseTimeoutMs } from '../timeout.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
  NO_KEYS,
} from '../types.js';
import { argvOf, type ListEnd, popValues, serveAsClient } from './list-ops.js';

interface LmpopArgs extends MpopArgs<ListEnd> {
  readonly timeoutMs: number;
}

/** Pops from the non-empty `list`, replies [key, [elements]], returns the propagated form. */
function popAndReply(ctx: CommandContext, key: string, list: ListValue, args: LmpopArgs) {
  const popped = popValues(ctx, key, list, args.where, Math.min(args.count, list.value.length));
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(Buffer.from(key, 'latin1'));
  ctx.reply.arrayHeader(popped.length);
  for (const value of popped) ctx.reply.bulk(value);
  return argvOf(args.where === 'left' ? 'LPOP' : 'RPOP', key, String(popped.length));
}

export function defineLmpop(blocking: boolean, doc: CommandDoc): Command {
  const numkeysIndex = blocking ? 2 : 1;
  return defineCommand<LmpopArgs>({
    name: blocking ? 'blmpop' : 'lmpop',
    arity: blocking ? -5 : -4,
    syntax: `${blocking ? 'timeout:double ' : ''}numkeys:integer key [key ...] (LEFT|RIGHT) [COUNT count:integer]`,
    flags: blocking ? ['write', 'blocking', 'movablekeys'] : ['write', 'movablekeys'],
    aclCategories: blocking
      ? ['@write', '@list', '@slow', '@blocking']
      : ['@write', '@list', '@slow'],
    keys: NO_KEYS,
    keyIndexes: (argv) => mpopKeyIndexes(argv, numkeysIndex),
    keyFlags: () => POP_KEY_FLAGS,
    doc,
    parse(argv) {
      const args = parseMpop(argv, numkeysIndex, ['left', 'right'] as const);
      if (args instanceof ErrorReply) return args;
      if (!blocking) return { ...args, timeoutMs: 0 };
      const timeoutMs = parseTimeoutMs(argv[1]);
      if (timeoutMs instanceof ErrorReply) return timeoutMs;
      return { ...args, timeoutMs };
    },
    execute(ctx, args) {
      for (const key of args.keys) {
        const list = lookupWrite(ctx, key, 'list');
        if (list === undefined) continue;
        if (list instanceof ErrorReply) return list;
        ctx.propagateAs(popAndReply(ctx, key, list, args));
        return undefined;
      }
      if (!blocking || ctx.client.denyBlocking) {
        ctx.reply.nullArray();
        return undefined;
      }
      const { node, client } = ctx;
      const dbIndex = ctx.db.index;
      node.blocking.block(client, dbIndex, args.keys, args.timeoutMs, (key) =>
        serveAsClient(node, client, dbIndex, [key], (served) => {
          const list = served.db.lookup(key, served.nowMs);
          if (list === undefined || list.type !== 'list') return { served: false };
          return { served: true, propagate: popAndReply(served, key, list, args) };
        }),
      );
      return undefined;
    },
  });
}
