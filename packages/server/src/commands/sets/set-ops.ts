/**
 * The multi-key set algebra behind SMEMBERS, SINTER, SINTERCARD, SINTERSTORE (Redis's
 * sinterGenericCommand) and SUNION, SDIFF and their STORE forms (sunionDiffGenericCommand), with
 * Redis 7.0's order of checks and replies:
 *
 * - Every key is type-checked first (WRONGTYPE wins over a missing key); missing keys are empty.
 * - Intersection with a missing key is empty; otherwise it walks the smallest set and probes the
 *   others, so its reply order is the smallest set's order (ascending when that is an intset).
 * - Union and difference build the result as a new set (intset while it can be), and reply in
 *   that set's order.
 * - The STORE forms replace the destination (dropping its TTL) or delete it when the result is
 *   empty, and reply the cardinality.
 */
import type { SetValue } from '../../keyspace/values.js';
import { lookupRead, lookupWrite } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';
import { buildSet, orderedMembers, replySet } from './set-value.js';

export type IntersectionMode =
  | { readonly kind: 'reply' }
  | { readonly kind: 'store'; readonly destination: string }
  | { readonly kind: 'card'; readonly limit: number };

function lookupSet(
  ctx: CommandContext,
  key: string,
  forWrite: boolean,
): SetValue | undefined | ErrorReply {
  return forWrite ? lookupWrite(ctx, key, 'set') : lookupRead(ctx, key, 'set');
}

/** Stores `result` under `destination` (or deletes it when empty) and replies the cardinality. */
function storeResult(ctx: CommandContext, destination: string, result: SetValue): void {
  if (result.value.size > 0) {
    ctx.db.set(destination, result);
    ctx.modified(destination);
  } else if (ctx.db.delete(destination)) {
    ctx.modified(destination);
  }
  ctx.reply.integer(result.value.size);
}

export function intersect(
  ctx: CommandContext,
  keys: readonly string[],
  mode: IntersectionMode,
): ErrorReply | undefined {
  const sets: SetValue[] = [];
  let missing = false;
  for (const key of keys) {
    const set = lookupSet(ctx, key, mode.kind === 'store');
    if (set instanceof ErrorReply) return set;
    if (set === undefined) missing = true;
    else sets.push(set);
  }
  // An intersection with a missing (empty) set is empty.
  if (missing) {
    if (mode.kind === 'store') storeResult(ctx, mode.destination, buildSet(ctx, []));
    else if (mode.kind === 'card') ctx.reply.integer(0);
    else replySet(ctx, []);
    return undefined;
  }
  const [smallest, ...others] = [...sets].sort((a, b) => a.value.size - b.value.size);
  const members: string[] = [];
  for (const member of smallest === undefined ? [] : orderedMembers(smallest)) {
    if (!others.every((other) => other.value.has(member))) continue;
    members.push(member);
    if (mode.kind === 'card' && mode.limit !== 0 && members.length >= mode.limit) break;
  }
  if (mode.kind === 'card') ctx.reply.integer(members.length);
  else if (mode.kind === 'store') storeResult(ctx, mode.destination, buildSet(ctx, members));
  else replySet(ctx, members);
  return undefined;
}

/** SUNION/SDIFF (destination undefined) and SUNIONSTORE/SDIFFSTORE. */
export function unionOrDifference(
  ctx: CommandContext,
  keys: readonly string[],
  operation: 'union' | 'diff',
  destination: string | undefined,
): ErrorReply | undefined {
  const sets: (SetValue | undefined)[] = [];
  for (const key of keys) {
    const set = lookupSet(ctx, key, destination !== undefined);
    if (set instanceof ErrorReply) return set;
    sets.push(set);
  }
  let result: SetValue;
  if (operation === 'union') {
    result = buildSet(
      ctx,
      sets.flatMap((set) => (set === undefined ? [] : orderedMembers(set))),
    );
  } else {
    const [first, ...others] = sets;
    const members = first === undefined ? [] : orderedMembers(first);
    result = buildSet(
      ctx,
      members.filter((member) => !others.some((other) => other?.value.has(member) === true)),
    );
  }
  if (destination === undefined) replySet(ctx, orderedMembers(result));
  else storeResult(ctx, destination, result);
  return undefined;
}
