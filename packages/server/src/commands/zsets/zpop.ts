/**
 * The shared body of ZPOPMIN and ZPOPMAX (t_zset.c genericZpopCommand, as zpopMinMaxCommand calls
 * it): pops up to `count` members from one end and replies member, score pairs.
 *
 * Without a count one member is popped and the reply is flat [member, score] in both protocols;
 * with a count the reply is flat in RESP2 and one [member, score] array per member in RESP3. A
 * count of 0 replies an empty array (after the type check) without touching the key. The count must be a non-negative
 * integer ("value is out of range, must be positive"); more than two arguments after the key are
 * a syntax error. Propagated as received (7.0 rewrites only ZMPOP and the blocking pops).
 */
import type { ScoredMember } from '../../keyspace/sorted-set.js';
import { parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { memberBytes } from './zset-common.js';

export interface ZPopArgs {
  readonly key: string;
  /** undefined when no count was given. */
  readonly count: number | undefined;
}

const NOT_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');

export function parseZPop(argv: readonly Buffer[]): ZPopArgs | ErrorReply {
  if (argv.length > 3) return SYNTAX_ERROR;
  if (argv.length < 3) return { key: keyOf(argv[1]), count: undefined };
  const count = parseInt64(argv[2]);
  if (count === undefined || count < 0n) return NOT_POSITIVE;
  return { key: keyOf(argv[1]), count: Number(count) };
}

export function executeZPop(
  ctx: CommandContext,
  args: ZPopArgs,
  end: 'min' | 'max',
): ErrorReply | undefined {
  const { reply } = ctx;
  const zset = lookupWrite(ctx, args.key, 'zset');
  if (zset instanceof ErrorReply) return zset;
  if (zset === undefined || args.count === 0) {
    reply.arrayHeader(0);
    return undefined;
  }
  const set = zset.value;
  const take = Math.min(args.count ?? 1, set.size);
  const popped: ScoredMember[] =
    end === 'min' ? set.range(0, take - 1) : set.range(set.size - take, set.size - 1).reverse();
  for (const entry of popped) set.remove(entry.member);
  if (set.size === 0) ctx.db.delete(args.key);
  ctx.modified(args.key, popped.length);
  const nested = args.count !== undefined && reply.protocol === 3;
  reply.arrayHeader(nested ? popped.length : popped.length * 2);
  for (const entry of popped) {
    if (nested) reply.arrayHeader(2);
    reply.bulk(memberBytes(entry.member));
    reply.double(entry.score);
  }
  return undefined;
}
