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
 * and propagation; inside MULTI they reply a null array at once; a timeout replies a null array
 * (the pop-or-block body is ../pop-first.ts; ZMPOP and BZMPOP are the sorted-set family of
 * ../mpop-generic.ts, which LMPOP and BLMPOP share).
 * Scores are doubles (RESP3 `,`, RESP2 bulk strings).
 */
import type { ZSetValue } from '../../keyspace/values.js';
import type { Argv } from '../../replication/propagation.js';
import { argvOf } from '../lists/list-ops.js';
import { defineMpop, type MpopFamily } from '../mpop-generic.js';
import { KEYS_THEN_TIMEOUT, type KeysThenTimeoutArgs, popFirstOrBlock } from '../pop-first.js';
import { type Command, type CommandContext, type CommandDoc, defineCommand } from '../types.js';
import { memberBytes } from './zset-common.js';

type End = 'min' | 'max';

/**
 * Pops from the sorted set at `key`, replies, and returns the form to propagate. `count`
 * undefined is BZPOPMIN/BZPOPMAX: one member, replied flat as [key, member, score] and propagated
 * without a count; else ZMPOP/BZMPOP's [key, [[member, score] ...]] and `ZPOPMIN|ZPOPMAX key n`.
 */
function popAndReply(
  ctx: CommandContext,
  key: string,
  zset: ZSetValue,
  where: End,
  count: number | undefined,
): Argv {
  const set = zset.value;
  const take = Math.min(count ?? 1, set.size);
  const popped =
    where === 'min' ? set.range(0, take - 1) : set.range(set.size - take, set.size - 1).reverse();
  for (const entry of popped) set.remove(entry.member);
  if (set.size === 0) ctx.db.delete(key);
  ctx.modified(key, popped.length);
  const reply = ctx.reply;
  const keyBytes = Buffer.from(key, 'latin1');
  if (count === undefined) {
    reply.arrayHeader(popped.length * 2 + 1);
    reply.bulk(keyBytes);
  } else {
    reply.arrayHeader(2);
    reply.bulk(keyBytes);
    reply.arrayHeader(popped.length);
  }
  for (const entry of popped) {
    if (count !== undefined) reply.arrayHeader(2);
    reply.bulk(memberBytes(entry.member));
    reply.double(entry.score);
  }
  const name = where === 'min' ? 'ZPOPMIN' : 'ZPOPMAX';
  return count === undefined ? argvOf(name, key) : argvOf(name, key, String(popped.length));
}

const ZSET_MPOP: MpopFamily<'zset', End> = {
  name: 'zmpop',
  type: 'zset',
  wheres: ['min', 'max'],
  aclCategory: '@sortedset',
  pop: popAndReply,
};

/** ZMPOP (blocking false) or BZMPOP: the sorted-set family of the shared MPOP spec. */
export function defineZmpop(blocking: boolean, doc: CommandDoc): Command {
  return defineMpop(ZSET_MPOP, blocking, doc);
}

/** BZPOPMIN or BZPOPMAX. */
export function defineBzpop(where: End, doc: CommandDoc): Command {
  return defineCommand<KeysThenTimeoutArgs>({
    name: where === 'min' ? 'bzpopmin' : 'bzpopmax',
    ...KEYS_THEN_TIMEOUT,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    aclCategories: ['@write', '@sortedset', '@fast', '@blocking'],
    doc,
    execute: (ctx, args) =>
      popFirstOrBlock(
        ctx,
        { keys: args.keys, type: 'zset', timeoutMs: args.timeoutMs },
        (served, key, zset) => popAndReply(served, key, zset, where, undefined),
      ),
  });
}
