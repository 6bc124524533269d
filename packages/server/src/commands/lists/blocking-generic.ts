/**
 * The shared bodies of the blocking list commands (t_list.c blockingPopGenericCommand and
 * blmoveGenericCommand). The mechanics of blocking, serving and timing out are in
 * keyspace/blocking.ts; this file decides what a list client waits for and how it is served.
 *
 * BLPOP/BRPOP key [key ...] timeout: the timeout is parsed first (commands/timeout.ts). The keys
 * are tried in order: the first that exists with another type is WRONGTYPE; the first non-empty
 * list is popped at once, replied as [key, element] and propagated as LPOP/RPOP key. Otherwise the
 * client blocks on all the keys; it is served by the first of them to receive elements, with the
 * same reply and propagation. Inside MULTI (`client.denyBlocking`) it replies a null array at once.
 * That loop is ../pop-first.ts, shared with LMPOP/BLMPOP and the sorted-set pops.
 *
 * BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout and BRPOPLPUSH source destination
 * timeout: with a non-empty source this is LMOVE (propagated as LMOVE with the direction words as
 * received, or as RPOPLPUSH). Otherwise the client blocks on the source; inside MULTI it replies a
 * null bulk. When served, a destination of another type replies WRONGTYPE to the blocked client and
 * leaves the element in the source, as Redis 7.0 does; otherwise the element moves, is replied as
 * a bulk string, and LMOVE source destination left|right left|right (lower-case words, Redis's
 * shared objects) or RPOPLPUSH source destination is propagated.
 *
 * A timeout replies a null array for all four commands (RESP2 `*-1`, RESP3 `_`), BLMOVE included.
 */
import type { Client } from '../../client.js';
import type { ServerNode } from '../../node.js';
import type { Argv } from '../../replication/propagation.js';
import { keyOf, lookupWrite } from '../lookup.js';
import { KEYS_THEN_TIMEOUT, type KeysThenTimeoutArgs, popFirstOrBlock } from '../pop-first.js';
import { parseTimeoutMs } from '../timeout.js';
import { type Command, type CommandDoc, defineCommand, ErrorReply } from '../types.js';
import {
  argvOf,
  type ListEnd,
  moveValue,
  parseListEnd,
  popValues,
  serveAsClient,
} from './list-ops.js';

const BLOCKING_FLAGS = ['write', 'noscript', 'blocking'] as const;
const BLOCKING_ACL = ['@write', '@list', '@slow', '@blocking'] as const;

// --- BLPOP and BRPOP -----------------------------------------------------------------------------

export function defineBlockingPop(name: string, end: ListEnd, doc: CommandDoc): Command {
  const plainName = end === 'left' ? 'LPOP' : 'RPOP';
  return defineCommand<KeysThenTimeoutArgs>({
    name,
    ...KEYS_THEN_TIMEOUT,
    flags: [...BLOCKING_FLAGS],
    aclCategories: [...BLOCKING_ACL],
    doc,
    execute: (ctx, args) =>
      popFirstOrBlock(
        ctx,
        { keys: args.keys, type: 'list', timeoutMs: args.timeoutMs },
        (served, key, list) => {
          const [value] = popValues(served, key, list, end, 1);
          if (value === undefined) throw new Error('lists in the keyspace are never empty');
          served.reply.arrayHeader(2);
          served.reply.bulk(Buffer.from(key, 'latin1'));
          served.reply.bulk(value);
          return argvOf(plainName, key);
        },
      ),
  });
}

// --- BLMOVE and BRPOPLPUSH -----------------------------------------------------------------------

interface MoveArgs {
  readonly source: string;
  readonly destination: string;
  readonly from: ListEnd;
  readonly to: ListEnd;
  /** The direction words as received, for the propagated LMOVE of the immediate case. */
  readonly words: readonly [Buffer, Buffer] | undefined;
  readonly timeoutMs: number;
}

/** BLMOVE (`fixed` undefined: directions from argv[3..4]) or BRPOPLPUSH (fixed RIGHT LEFT). */
export function defineBlockingMove(
  name: string,
  fixed: { readonly from: ListEnd; readonly to: ListEnd } | undefined,
  doc: CommandDoc,
): Command {
  return defineCommand<MoveArgs>({
    name,
    arity: fixed === undefined ? 6 : 4,
    syntax:
      fixed === undefined
        ? 'source:key destination:key (LEFT|RIGHT) (LEFT|RIGHT) timeout:double'
        : 'source:key destination:key timeout:double',
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    aclCategories: [...BLOCKING_ACL],
    keys: { first: 1, last: 2, step: 1 },
    doc,
    parse(argv) {
      let directions = fixed;
      let words: MoveArgs['words'];
      if (directions === undefined) {
        const from = parseListEnd(argv[3]);
        if (from instanceof ErrorReply) return from;
        const to = parseListEnd(argv[4]);
        if (to instanceof ErrorReply) return to;
        directions = { from, to };
        words = [argv[3] ?? Buffer.alloc(0), argv[4] ?? Buffer.alloc(0)];
      }
      const timeoutMs = parseTimeoutMs(argv[argv.length - 1]);
      if (timeoutMs instanceof ErrorReply) return timeoutMs;
      return {
        source: keyOf(argv[1]),
        destination: keyOf(argv[2]),
        ...directions,
        words,
        timeoutMs,
      };
    },
    execute(ctx, args) {
      const source = lookupWrite(ctx, args.source, 'list');
      if (source instanceof ErrorReply) return source;
      if (source !== undefined) {
        const error = moveValue(ctx, args.source, source, args.destination, args.from, args.to);
        if (error !== undefined) return error;
        ctx.propagateAs(
          args.words === undefined
            ? argvOf('RPOPLPUSH', args.source, args.destination)
            : argvOf('LMOVE', args.source, args.destination, ...args.words),
        );
        return undefined;
      }
      if (ctx.client.denyBlocking) {
        ctx.reply.nullBulk();
        return undefined;
      }
      const { node, client } = ctx;
      node.blocking.block(client, ctx.db.index, [args.source], args.timeoutMs, () =>
        serveMove(node, client, ctx.db.index, args),
      );
      return undefined;
    },
  });
}

function serveMove(node: ServerNode, client: Client, dbIndex: number, args: MoveArgs): boolean {
  return serveAsClient(node, client, dbIndex, [args.source, args.destination], (ctx) => {
    const source = ctx.db.lookup(args.source, ctx.nowMs);
    if (source === undefined || source.type !== 'list') return { served: false };
    const error = moveValue(ctx, args.source, source, args.destination, args.from, args.to);
    if (error !== undefined) {
      node.replyError(client, error.message);
      return { served: true };
    }
    const propagate: Argv =
      args.words === undefined
        ? argvOf('RPOPLPUSH', args.source, args.destination)
        : argvOf('LMOVE', args.source, args.destination, args.from, args.to);
    return { served: true, propagate };
  });
}
