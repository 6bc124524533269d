/**
 * LMPOP, BLMPOP, ZMPOP and BZMPOP from one spec (t_list.c lmpopGenericCommand and t_zset.c
 * zmpopGenericCommand are the same function over two types; both end in mpopGenericCommand-like
 * code): `[timeout] numkeys key [key ...] <where> [COUNT count]`.
 *
 * The arguments are read as mpop-args.ts says, then (blocking forms only) the timeout, so a bad
 * timeout is reported after the other arguments. The body is pop-first.ts: the first key of the
 * family's type pops up to `count` with the family's `pop`, which replies [key, [...]] and returns
 * the propagated `LPOP|RPOP|ZPOPMIN|ZPOPMAX key n`; none gives a null array or blocks. The family
 * supplies only what differs: the type, the where words, the ACL category and the pop itself.
 */

import type { Argv } from '../replication/propagation.js';
import { mpopKeyIndexes, POP_KEY_FLAGS, parseMpop } from './mpop-args.js';
import { type PoppedType, type PoppedValue, popFirstOrBlock } from './pop-first.js';
import { parseTimeoutMs } from './timeout.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
  NO_KEYS,
} from './types.js';

export interface MpopFamily<T extends PoppedType, Where extends string> {
  /** The non-blocking command's name: lmpop or zmpop (the blocking one is b + this). */
  readonly name: string;
  readonly type: T;
  /** The where words, lower-case, in Redis's syntax order (left/right, min/max). */
  readonly wheres: readonly Where[];
  /** The data-type ACL category: @list or @sortedset. */
  readonly aclCategory: string;
  /** Pops up to `count` from the non-empty value, replies [key, [...]], returns the propagation. */
  pop(ctx: CommandContext, key: string, value: PoppedValue<T>, where: Where, count: number): Argv;
}

interface MpopArgs<Where extends string> {
  readonly keys: readonly string[];
  readonly where: Where;
  readonly count: number;
  /** undefined for the non-blocking form. */
  readonly timeoutMs: number | undefined;
}

export function defineMpop<T extends PoppedType, Where extends string>(
  family: MpopFamily<T, Where>,
  blocking: boolean,
  doc: CommandDoc,
): Command {
  const numkeysIndex = blocking ? 2 : 1;
  const whereSyntax = family.wheres.map((word) => word.toUpperCase()).join('|');
  const acl = ['@write', family.aclCategory, '@slow'];
  return defineCommand<MpopArgs<Where>>({
    name: blocking ? `b${family.name}` : family.name,
    arity: blocking ? -5 : -4,
    syntax: `${blocking ? 'timeout:double ' : ''}numkeys:integer key [key ...] (${whereSyntax}) [COUNT count:integer]`,
    flags: blocking ? ['write', 'blocking', 'movablekeys'] : ['write', 'movablekeys'],
    aclCategories: blocking ? [...acl, '@blocking'] : acl,
    keys: NO_KEYS,
    keyIndexes: (argv) => mpopKeyIndexes(argv, numkeysIndex),
    keyFlags: () => POP_KEY_FLAGS,
    doc,
    parse(argv) {
      const args = parseMpop(argv, numkeysIndex, family.wheres);
      if (args instanceof ErrorReply) return args;
      if (!blocking) return { ...args, timeoutMs: undefined };
      const timeoutMs = parseTimeoutMs(argv[1]);
      if (timeoutMs instanceof ErrorReply) return timeoutMs;
      return { ...args, timeoutMs };
    },
    execute: (ctx, args) =>
      popFirstOrBlock(
        ctx,
        { keys: args.keys, type: family.type, timeoutMs: args.timeoutMs },
        (served, key, value) => family.pop(served, key, value, args.where, args.count),
      ),
  });
}
