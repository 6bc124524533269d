/**
 * Shared pieces of the set commands (Redis's t_set.c helpers): the intset -> hashtable rule,
 * member order, and building a result set the way SUNIONSTORE and friends do.
 *
 * A set is a JS Set of latin1 members. Its `encoding` is what OBJECT ENCODING reports: intset while
 * every member is a canonical signed 64-bit integer (string2ll rules: no '+', no leading zeros,
 * no "-0") and there are at most set-max-intset-entries of them, then hashtable forever.
 * Redis iterates an intset in ascending numeric order, so every reply that walks an intset set
 * sorts it first (at most set-max-intset-entries members); a hashtable set is walked in insertion
 * order, where Redis uses its dict order.
 */
import type { SetValue } from '../../keyspace/values.js';
import { parseInt64 } from '../errors.js';
import type { CommandContext } from '../types.js';

const INT64_TEXT = /^(0|-?[1-9][0-9]{0,18})$/;

/** isSdsRepresentableAsLongLong: would Redis store `member` in an intset? */
export function isIntsetMember(member: string): boolean {
  if (!INT64_TEXT.test(member)) return false;
  return member.length < 19 || parseInt64(Buffer.from(member, 'latin1')) !== undefined;
}

/** setTypeCreate: an empty set whose encoding suits its first member (the caller adds it). */
export function newSet(firstMember: string | undefined): SetValue {
  const intset = firstMember === undefined || isIntsetMember(firstMember);
  return { type: 'set', value: new Set(), encoding: intset ? 'intset' : 'hashtable' };
}

/** setTypeAdd: adds `member`; returns true if it was new. Converts to hashtable as Redis does. */
export function addMember(ctx: CommandContext, set: SetValue, member: string): boolean {
  if (set.value.has(member)) return false;
  if (set.encoding === 'intset' && !isIntsetMember(member)) set.encoding = 'hashtable';
  set.value.add(member);
  if (set.encoding === 'intset' && set.value.size > ctx.node.config.setMaxIntsetEntries) {
    set.encoding = 'hashtable';
  }
  return true;
}

/** The members in Redis's iteration order where it is deterministic (ascending for an intset). */
export function orderedMembers(set: SetValue): string[] {
  const members = [...set.value];
  if (set.encoding !== 'intset') return members;
  return members
    .map((member) => ({ member, n: BigInt(member) }))
    .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .map(({ member }) => member);
}

/** A result set built as createIntsetObject() plus setTypeAdd of each member (SUNION, SDIFF...). */
export function buildSet(ctx: CommandContext, members: Iterable<string>): SetValue {
  const set = newSet(undefined);
  for (const member of members) addMember(ctx, set, member);
  return set;
}

/** A member back as bytes for a reply. */
export function memberBytes(member: string): Buffer {
  return Buffer.from(member, 'latin1');
}

/** Writes `members` as a set reply (a RESP3 set, an array in RESP2). */
export function replySet(ctx: CommandContext, members: readonly string[]): void {
  ctx.reply.setHeader(members.length);
  for (const member of members) ctx.reply.bulk(memberBytes(member));
}

/** The argument at `index` as a latin1 string (keys, members). */
export function textArg(argv: readonly Buffer[], index: number): string {
  return (argv[index] ?? Buffer.alloc(0)).toString('latin1');
}
