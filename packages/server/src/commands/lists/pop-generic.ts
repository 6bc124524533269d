/**
 * The shared body of LPOP and RPOP (t_list.c popGenericCommand), in Redis 7.0's order of checks:
 *
 * 1. More than one count argument: the arity error (the table's arity is -2).
 * 2. The count, if given, must be an integer >= 0, else "value is out of range, must be positive"
 *    (for a non-integer too).
 * 3. A missing key replies a null bulk without a count and a null array with one (RESP2 `*-1`,
 *    RESP3 `_` for both); then WRONGTYPE.
 * 4. Count 0 on an existing list replies an empty array.
 * 5. Without a count, one element as a bulk string; with one, up to count elements in pop order.
 */
import type { ReplyWriter } from '@replisim/protocol';
import type { ListValue } from '../../keyspace/values.js';
import { parseInt64 } from '../errors.js';
import { lookupWrite } from '../lookup.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
  ONE_KEY,
} from '../types.js';
import { type ListEnd, popValues } from './list-ops.js';

const COUNT_NOT_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');

interface PopArgs {
  readonly key: string;
  readonly count: bigint | undefined;
}

export function definePop(name: string, end: ListEnd, doc: CommandDoc): Command {
  const arityError = new ErrorReply(`ERR wrong number of arguments for '${name}' command`);
  return defineCommand<PopArgs>({
    name,
    arity: -2,
    syntax: 'key [count:integer]',
    flags: ['write', 'fast'],
    aclCategories: ['@write', '@list', '@fast'],
    keys: ONE_KEY,
    doc,
    parse(argv) {
      if (argv.length > 3) return arityError;
      const key = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
      if (argv.length === 2) return { key, count: undefined };
      const count = parseInt64(argv[2]);
      if (count === undefined || count < 0n) return COUNT_NOT_POSITIVE;
      return { key, count };
    },
    execute(ctx, args) {
      const list = lookupWrite(ctx, args.key, 'list');
      if (list === undefined) {
        if (args.count === undefined) ctx.reply.nullBulk();
        else ctx.reply.nullArray();
        return undefined;
      }
      if (list instanceof ErrorReply) return list;
      if (args.count === undefined) {
        const [value] = popValues(ctx, args.key, list, end, 1);
        if (value === undefined) throw new Error('lists in the keyspace are never empty');
        ctx.reply.bulk(value);
        return undefined;
      }
      replyPopped(ctx.reply, popCount(ctx, args.key, list, end, args.count));
      return undefined;
    },
  });
}

function popCount(
  ctx: CommandContext,
  key: string,
  list: ListValue,
  end: ListEnd,
  count: bigint,
): Buffer[] {
  if (count === 0n) return [];
  const length = BigInt(list.value.length);
  return popValues(ctx, key, list, end, Number(count < length ? count : length));
}

export function replyPopped(reply: ReplyWriter, values: readonly Buffer[]): void {
  reply.arrayHeader(values.length);
  for (const value of values) reply.bulk(value);
}
