/**
 * The shared body of LPUSH, RPUSH, LPUSHX and RPUSHX (t_list.c pushGenericCommand): push every
 * element in argument order at one end, creating the list unless the X form was used. Replies the
 * new length, or 0 when the X form found no list. Each command file supplies its metadata.
 */
import { lookupWrite } from '../lookup.js';
import { type Command, type CommandDoc, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { type ListEnd, pushValues } from './list-ops.js';

interface PushArgs {
  readonly key: string;
  readonly values: readonly Buffer[];
}

export function definePush(
  name: string,
  end: ListEnd,
  onlyIfExists: boolean,
  doc: CommandDoc,
): Command {
  return defineCommand<PushArgs>({
    name,
    arity: -3,
    syntax: 'key element [element ...]',
    flags: ['write', 'denyoom', 'fast'],
    aclCategories: ['@write', '@list', '@fast'],
    keys: ONE_KEY,
    doc,
    parse: (argv) => ({
      key: (argv[1] ?? Buffer.alloc(0)).toString('latin1'),
      values: argv.slice(2),
    }),
    execute(ctx, args) {
      const list = lookupWrite(ctx, args.key, 'list');
      if (list instanceof ErrorReply) return list;
      if (list === undefined && onlyIfExists) {
        ctx.reply.integer(0);
        return undefined;
      }
      ctx.reply.integer(pushValues(ctx, args.key, list, args.values, end));
      return undefined;
    },
  });
}
