/**
 * The body every "pop from the first key that has something, or block" command shares: BLPOP,
 * BRPOP, LMPOP, BLMPOP, ZMPOP, BZMPOP, BZPOPMIN and BZPOPMAX (t_list.c blockingPopGenericCommand
 * and mpopGenericCommand, t_zset.c blockingGenericZpopCommand and genericZpopCommand all run this
 * same loop). It lives once so that the order of checks cannot drift between lists and sorted sets:
 *
 * - the keys are tried in order; the first that exists with another type is WRONGTYPE (an error
 *   for the dispatcher to send), the first of the wanted type is popped at once by `pop`, which
 *   replies and returns what to propagate instead of the command as received;
 * - with none, a non-blocking command (`timeoutMs` undefined) replies a null array, and so does a
 *   blocking one inside MULTI or a script (`client.denyBlocking`);
 * - otherwise the client blocks on every key (keyspace/blocking.ts) and is served by the first of
 *   them to hold a value of the wanted type, with the same `pop`, reply and propagation, run as
 *   that client (lists/list-ops.ts serveAsClient). A timeout replies a null array there.
 *
 * BLPOP, BRPOP, BZPOPMIN and BZPOPMAX also share their form, `key [key ...] timeout` with the
 * timeout checked before anything else (KEYS_THEN_TIMEOUT).
 *
 * Values in the keyspace are never empty (an emptied list or sorted set is deleted), so finding
 * the key is finding something to pop.
 */
import type { RedisValue } from '../keyspace/values.js';
import type { Argv } from '../replication/propagation.js';
import { serveAsClient } from './lists/list-ops.js';
import { keyOf, lookupWrite } from './lookup.js';
import { POP_KEY_FLAGS } from './mpop-args.js';
import { parseTimeoutMs } from './timeout.js';
import { type CommandContext, type CommandSpec, ErrorReply } from './types.js';

/** The value types a pop command takes from. */
export type PoppedType = 'list' | 'zset';

export type PoppedValue<T extends PoppedType> = Extract<RedisValue, { type: T }>;

/** Pops from the non-empty `value` at `key`, replies, and returns the form to propagate. */
export type PopAndReply<T extends PoppedType> = (
  ctx: CommandContext,
  key: string,
  value: PoppedValue<T>,
) => Argv;

export interface PopRequest<T extends PoppedType> {
  readonly keys: readonly string[];
  readonly type: T;
  /** How long to block (0 = forever); undefined for the commands that never block. */
  readonly timeoutMs: number | undefined;
}

export function popFirstOrBlock<T extends PoppedType>(
  ctx: CommandContext,
  request: PopRequest<T>,
  pop: PopAndReply<T>,
): ErrorReply | undefined {
  for (const key of request.keys) {
    const value = lookupWrite(ctx, key, request.type);
    if (value === undefined) continue;
    if (value instanceof ErrorReply) return value;
    ctx.propagateAs(pop(ctx, key, value));
    return undefined;
  }
  if (request.timeoutMs === undefined || ctx.client.denyBlocking) {
    ctx.reply.nullArray();
    return undefined;
  }
  const { node, client } = ctx;
  const dbIndex = ctx.db.index;
  node.blocking.block(client, dbIndex, request.keys, request.timeoutMs, (key) =>
    serveAsClient(node, client, dbIndex, [key], (served) => {
      const value = served.db.lookup(key, served.nowMs);
      if (value === undefined || value.type !== request.type) return { served: false };
      return { served: true, propagate: pop(served, key, value as PoppedValue<T>) };
    }),
  );
  return undefined;
}

export interface KeysThenTimeoutArgs {
  readonly keys: readonly string[];
  readonly timeoutMs: number;
}

/**
 * The spec fields of `key [key ...] timeout` (BLPOP, BRPOP, BZPOPMIN, BZPOPMAX): the keys run
 * from 1 to the word before last, each taken from (RW access delete); the timeout is parsed first.
 */
export const KEYS_THEN_TIMEOUT: Pick<
  CommandSpec<KeysThenTimeoutArgs>,
  'arity' | 'syntax' | 'keys' | 'keyFlags' | 'parse'
> = {
  arity: -3,
  syntax: 'key [key ...] timeout:double',
  keys: { first: 1, last: -2, step: 1 },
  keyFlags: () => POP_KEY_FLAGS,
  parse(argv: readonly Buffer[]): KeysThenTimeoutArgs | ErrorReply {
    const timeoutMs = parseTimeoutMs(argv[argv.length - 1]);
    if (timeoutMs instanceof ErrorReply) return timeoutMs;
    return { keys: argv.slice(1, -1).map(keyOf), timeoutMs };
  },
};
