/**
 * SPOP key [count]
 *
 * Without count: removes and replies one random member, or a null for a missing key. With count
 * (>= 0, else "value is out of range, must be positive"): removes and replies up to `count`
 * distinct random members as a set (an array in RESP2), empty for a missing key or count 0.
 *
 * Propagation, as t_set.c: a single pop goes out as `SREM key member`; a count pop as one
 * `SREM key member` per popped member (several ops, so wrapped in MULTI/EXEC); a count covering
 * the whole set replies every member (ascending for an intset), deletes the key and goes out as
 * `DEL key`.
 */
import { parseInt64, SYNTAX_ERROR } from '../errors.js';
import { lookupWrite } from '../lookup.js';
import { pickDistinct, pickOne } from '../random-picks.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { memberBytes, orderedMembers, replySet } from './set-value.js';

const NOT_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');

interface SetPopArgs {
  readonly key: Buffer;
  readonly count: bigint | undefined;
}

export const spop: Command = defineCommand<SetPopArgs>({
  name: 'spop',
  arity: -2,
  syntax: 'key [count:integer]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@set', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove and return one or multiple random members from a set',
    since: '1.0.0',
    group: 'set',
    complexity:
      'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  },
  parse(argv) {
    const key = argv[1] ?? Buffer.alloc(0);
    if (argv.length > 3) return SYNTAX_ERROR;
    if (argv.length === 2) return { key, count: undefined };
    const count = parseInt64(argv[2]);
    if (count === undefined || count < 0n) return NOT_POSITIVE;
    return { key, count };
  },
  execute(ctx, args) {
    const key = args.key.toString('latin1');
    const set = lookupWrite(ctx, key, 'set');
    if (set instanceof ErrorReply) return set;
    const random = ctx.node.env.random;
    if (args.count === undefined) {
      if (set === undefined) {
        ctx.reply.nullBulk();
        return undefined;
      }
      const member = pickOne(random, [...set.value]);
      set.value.delete(member);
      if (set.value.size === 0) ctx.db.delete(key);
      ctx.modified(key);
      ctx.propagateAs(['SREM', args.key, memberBytes(member)]);
      ctx.reply.bulk(memberBytes(member));
      return undefined;
    }
    if (set === undefined || args.count === 0n) {
      replySet(ctx, []);
      return undefined;
    }
    // Redis adds the requested count to the dirty counter, even past the set's size.
    const changes = Number(args.count);
    if (args.count >= BigInt(set.value.size)) {
      replySet(ctx, orderedMembers(set));
      ctx.db.delete(key);
      ctx.modified(key, changes);
      ctx.propagateAs(['DEL', args.key]);
      return undefined;
    }
    const popped = pickDistinct(random, [...set.value], changes);
    ctx.reply.setHeader(popped.length);
    for (const [index, member] of popped.entries()) {
      set.value.delete(member);
      ctx.reply.bulk(memberBytes(member));
      const srem = ['SREM', args.key, memberBytes(member)];
      if (index === popped.length - 1) ctx.propagateAs(srem);
      else ctx.alsoPropagate(srem);
    }
    ctx.modified(key, changes);
    return undefined;
  },
});
