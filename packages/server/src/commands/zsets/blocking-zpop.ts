/**
 * ZMPOP, BZMPOP, BZPOPMIN and BZPOPMAX (t_zset.c zmpopGenericCommand, genericZpopCommand,
 * blockingGenericZpopCommand).
 *
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] (arguments: mpop-args.ts): the first key that
 * exists is used (another type: WRONGTYPE); up to `count` members are popped and replied as
 * [key, [[member, score] ...]], propagated as `ZPOPMIN|ZPOPMAX key n`. No key: a null array.
 * BZMPOP timeout numkeys ...: the same, the timeout checked last; with no sorted set it blocks.
 *
 * BZPOPMIN|BZPOPMAX key [key ...] timeout: the timeout is checked first; the first sorted set pops
 * one member, replied flat as [key, member, score] and propagated as `ZPOPMIN|ZPOPMAX key`.
 *
 * Blocked clients are served by the first of their keys to hold a sorted set, with the same reply
 * and propagation; inside MULTI they reply a null array at once; a timeout replies a null array.
 * Scores are doubles (RESP3 `,`, RESP2 bulk strings).
 */
import type { ZSetValue } from '../../keyspace/values.js';
import type { Argv } from '../../replication/propagation.js';
import { argvOf, serveAsClient } from '../lists/list-ops.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { mpopKeyIndexes, POP_KEY_FLAGS, parseMpop } from '../mpop-args.js';
import { parseTimeoutMs } from '../timeout.js';
import {
  type Command,
  type CommandContext,
  type CommandDoc,
  defineCommand,
  ErrorReply,
  NO_KEYS,
} from '../types.js';
import { memberBytes } from './zset-common.js';

type End = 'min' | 'max';

interface BlockingZPopArgs {
  readonly keys: readonly string[];
  readonly where: End;
  /** undefined: BZPOPMIN/BZPOPMAX (one member, flat reply); else ZMPOP/BZMPOP's count. */
  readonly count: number | undefined;
  readonly timeoutMs: number;
}

/** Pops from the sorted set at `key`, replies, and returns the form to propagate. */
function popAndReply(
  ctx: CommandContext,
  key: string,
  zset: ZSetValue,
  args: BlockingZPopArgs,
): Argv {
  const set = zset.value;
  const take = Math.min(args.count ?? 1, set.size);
  const popped =
    args.where === 'min'
      ? set.range(0, take - 1)
      : set.range(set.size - take, set.size - 1).reverse();
  for (const entry of popped) set.remove(entry.member);
  if (set.size === 0) ctx.db.delete(key);
  ctx.modified(key, popped.length);
  const reply = ctx.reply;
  const keyBytes = Buffer.from(key, 'latin1');
  if (args.count === undefined) {
    reply.arrayHeader(popped.length * 2 + 1);
    reply.bulk(keyBytes);
  } else {
    reply.arrayHeader(2);
    reply.bulk(keyBytes);
    reply.arrayHeader(popped.length);
  }
  for (const entry of popped) {
    if (args.count !== undefined) reply.arrayHeader(2);
    reply.bulk(memberBytes(entry.member));
    reply.double(entry.score);
  }
  const name = args.where === 'min' ? 'ZPOPMIN' : 'ZPOPMAX';
  return args.count === undefined ? argvOf(name, key) : argvOf(name, key, String(popped.length));
}

function execute(ctx: CommandContext, args: BlockingZPopArgs, blocking: boolean) {
  for (const key of args.keys) {
    const zset = lookupWrite(ctx, key, 'zset');
    if (zset === undefined) continue;
    if (zset instanceof ErrorReply) return zset;
    ctx.propagateAs(popAndReply(ctx, key, zset, args));
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
      const zset = served.db.lookup(key, served.nowMs);
      if (zset === undefined || zset.type !== 'zset') return { served: false };
      return { served: true, propagate: popAndReply(served, key, zset, args) };
    }),
  );
  return undefined;
}

/** ZMPOP (blocking false) or BZMPOP. */
export function defineZmpop(blocking: boolean, doc: CommandDoc): Command {
  const numkeysIndex = blocking ? 2 : 1;
  return defineCommand<BlockingZPopArgs>({
    name: blocking ? 'bzmpop' : 'zmpop',
    arity: blocking ? -5 : -4,
    syntax: `${blocking ? 'timeout:double ' : ''}numkeys:integer key [key ...] (MIN|MAX) [COUNT count:integer]`,
    flags: blocking ? ['write', 'blocking', 'movablekeys'] : ['write', 'movablekeys'],
    aclCategories: blocking
      ? ['@write', '@sortedset', '@slow', '@blocking']
      : ['@write', '@sortedset', '@slow'],
    keys: NO_KEYS,
    keyIndexes: (argv) => mpopKeyIndexes(argv, numkeysIndex),
    keyFlags: () => POP_KEY_FLAGS,
    doc,
    parse(argv) {
      const args = parseMpop(argv, numkeysIndex, ['min', 'max'] as const);
      if (args instanceof ErrorReply) return args;
      if (!blocking) return { ...args, timeoutMs: 0 };
      const timeoutMs = parseTimeoutMs(argv[1]);
      if (timeoutMs instanceof ErrorReply) return timeoutMs;
      return { ...args, timeoutMs };
    },
    execute: (ctx, args) => execute(ctx, args, blocking),
  });
}

/** BZPOPMIN or BZPOPMAX. */
export function defineBzpop(where: End, doc: CommandDoc): Command {
  return defineCommand<BlockingZPopArgs>({
    name: where === 'min' ? 'bzpopmin' : 'bzpopmax',
    arity: -3,
    syntax: 'key [key ...] timeout:double',
    flags: ['write', 'noscript', 'blocking', 'fast'],
    aclCategories: ['@write', '@sortedset', '@fast', '@blocking'],
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: () => POP_KEY_FLAGS,
    doc,
    parse(argv) {
      const timeoutMs = parseTimeoutMs(argv[argv.length - 1]);
      if (timeoutMs instanceof ErrorReply) return timeoutMs;
      return { keys: argv.slice(1, -1).map(keyOf), where, count: undefined, timeoutMs };
    },
    execute: (ctx, args) => execute(ctx, args, true),
  });
}
