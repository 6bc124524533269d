/**
 * What several list commands share, as t_list.c's helpers: the LEFT/RIGHT argument, the push and
 * pop primitives with their bookkeeping (WATCH and dirty through `ctx.modified`, deleting a list
 * that became empty, waking clients blocked on a key that got elements), Redis's index
 * normalisation for LRANGE/LTRIM, and the serving context used when a blocked client is served
 * after another client's command.
 *
 * Lists are Deque<Buffer> (keyspace/deque.ts); OBJECT ENCODING is always quicklist in Redis 7.0,
 * so list values carry no encoding.
 */
import type { Client } from '../../client.js';
import { Deque } from '../../keyspace/deque.js';
import type { ListValue } from '../../keyspace/values.js';
import type { ServerNode } from '../../node.js';
import type { Argv } from '../../replication/propagation.js';
import { isKeyword, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import type { CommandContext, ErrorReply } from '../types.js';

/** Redis's LIST_HEAD / LIST_TAIL. */
export type ListEnd = 'left' | 'right';

/** LEFT or RIGHT, any case (getListPositionFromObjectOrReply); else a syntax error. */
export function parseListEnd(arg: Buffer | undefined): ListEnd | ErrorReply {
  if (isKeyword(arg, 'left')) return 'left';
  if (isKeyword(arg, 'right')) return 'right';
  return SYNTAX_ERROR;
}

/**
 * Pushes `values` one by one at `end` of the list under `key`, creating it if `list` is undefined.
 * Reports the change (dirty += number of values) and wakes clients blocked on the key. Returns the
 * new length. Values are copied: request arguments may be views into the client's read buffer.
 */
export function pushValues(
  ctx: CommandContext,
  key: string,
  list: ListValue | undefined,
  values: readonly Buffer[],
  end: ListEnd,
): number {
  let target = list;
  if (target === undefined) {
    target = { type: 'list', value: new Deque<Buffer>() };
    ctx.db.set(key, target);
  }
  for (const value of values) {
    const copy = Buffer.from(value);
    if (end === 'left') target.value.pushFront(copy);
    else target.value.pushBack(copy);
  }
  // modified() also wakes clients blocked on the key (node.keyModified).
  ctx.modified(key, values.length);
  return target.value.length;
}

/**
 * Pops up to `count` elements from `end` of a non-empty list, in pop order, deletes the key if the
 * list became empty, and reports the change (dirty += elements popped), as listElementsRemoved.
 */
export function popValues(
  ctx: CommandContext,
  key: string,
  list: ListValue,
  end: ListEnd,
  count: number,
): Buffer[] {
  const popped: Buffer[] = [];
  while (popped.length < count) {
    const value = end === 'left' ? list.value.popFront() : list.value.popBack();
    if (value === undefined) break;
    popped.push(value);
  }
  if (list.value.length === 0) ctx.db.delete(key);
  ctx.modified(key, popped.length);
  return popped;
}

/**
 * LMOVE's core (lmoveGenericCommand after the source lookup): the destination must be a list or
 * missing, else WRONGTYPE with nothing changed. Pops one element from the non-empty `source`, pushes
 * it to the destination, replies it as a bulk string. Counts one change, as Redis does.
 */
export function moveValue(
  ctx: CommandContext,
  sourceKey: string,
  source: ListValue,
  targetKey: string,
  from: ListEnd,
  to: ListEnd,
): ErrorReply | undefined {
  const target = ctx.db.lookup(targetKey, ctx.nowMs);
  if (target !== undefined && target.type !== 'list') return WRONG_TYPE;
  const value = from === 'left' ? source.value.popFront() : source.value.popBack();
  if (value === undefined) throw new Error('moveValue needs a non-empty source list');
  // LMOVE k k pushes back into the same list, so a one-element list keeps its key.
  let list = sourceKey === targetKey ? source : target;
  if (list !== source && source.value.length === 0) ctx.db.delete(sourceKey);
  if (list === undefined) {
    list = { type: 'list', value: new Deque<Buffer>() };
    ctx.db.set(targetKey, list);
  }
  if (to === 'left') list.value.pushFront(value);
  else list.value.pushBack(value);
  // Destination first, then source, as lmoveHandlePush does: the order of their invalidations.
  ctx.modified(targetKey, 0);
  ctx.modified(sourceKey);
  ctx.reply.bulk(value);
  return undefined;
}

/** A propagated command with its string parts as latin1 bytes (keys are latin1 strings). */
export function argvOf(...parts: readonly (string | Buffer)[]): Buffer[] {
  return parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part));
}

/**
 * A clamped inclusive range [start, stop] over a list of `length` elements, as LRANGE computes it
 * (negative indexes count from the end), or undefined if it is empty.
 */
export function listRange(
  start: bigint,
  stop: bigint,
  length: number,
): { readonly start: number; readonly stop: number } | undefined {
  const llen = BigInt(length);
  let first = start < 0n ? llen + start : start;
  let last = stop < 0n ? llen + stop : stop;
  if (first < 0n) first = 0n;
  if (first > last || first >= llen) return undefined;
  if (last >= llen) last = llen - 1n;
  return { start: Number(first), stop: Number(last) };
}

/** A list index, negative from the end, resolved against `length`; undefined if out of range. */
export function listIndex(index: bigint, length: number): number | undefined {
  const resolved = index < 0n ? BigInt(length) + index : index;
  return resolved >= 0n && resolved < BigInt(length) ? Number(resolved) : undefined;
}

/**
 * Runs `serve` for a blocked client being served after another client's command, as Redis's
 * serveClientsBlockedOnListKey does with the receiver as the current client: one clock reading,
 * the receiver's database and reply buffer, and its own propagation call, so each served client's
 * operation reaches replicas on its own, after the command that woke it. `serve` returns whether it
 * served the client and the form to propagate if it changed something. `keys` are the keys it may
 * change: a running BGSAVE writes them first (its copy-on-write, as call.ts does for commands).
 */
export function serveAsClient(
  node: ServerNode,
  client: Client,
  dbIndex: number,
  keys: readonly string[],
  serve: (ctx: CommandContext) => { readonly served: boolean; readonly propagate?: Argv },
): boolean {
  const db = node.databases[dbIndex];
  if (db === undefined) throw new Error(`blocked client ${client.id} on a missing database`);
  node.persistence.beforeWrite(db, keys);
  const propagation = node.propagation;
  propagation.beginCall();
  const dirtyBefore = node.dirty;
  const ctx: CommandContext = {
    node,
    client,
    db,
    reply: client.reply,
    nowMs: node.env.clock.wallMs(),
    modified: (key, changes = 1) => node.keyModified(db, key, changes),
    propagateAs: () => {},
    forcePropagation: () => {},
    alsoPropagate: (argv) => propagation.add(dbIndex, argv),
  };
  const result = serve(ctx);
  if (result.propagate !== undefined && node.dirty !== dirtyBefore) {
    propagation.add(dbIndex, result.propagate);
  }
  propagation.endCall();
  return result.served;
}
