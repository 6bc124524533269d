/**
 * DECRBY key decrement
 *
 * Subtracts `decrement` from the integer at `key` (0 if missing) and replies the new value. The
 * decrement is parsed first; -9223372036854775808 cannot be negated -> "decrement would overflow"
 * (Redis 7.0's own message, without "increment or"); the rest as INCR (incr.ts). Propagated as
 * received.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { INCR_ACL, INCR_FLAGS, type IncrArgs, incrDecr } from './incr.js';

const DECREMENT_OVERFLOW = new ErrorReply('ERR decrement would overflow');

export const decrby: Command = defineCommand<IncrArgs>({
  name: 'decrby',
  arity: 3,
  syntax: 'key decrement:integer',
  flags: INCR_FLAGS,
  aclCategories: INCR_ACL,
  keys: ONE_KEY,
  doc: {
    summary: 'Decrement the integer value of a key by the given number',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse(argv) {
    const decrement = parseInt64(argv[2]);
    if (decrement === undefined) return NOT_INTEGER;
    if (decrement === -(2n ** 63n)) return DECREMENT_OVERFLOW;
    return { key: keyOf(argv[1]), increment: -decrement };
  },
  execute: (ctx, { key, increment }) => incrDecr(ctx, key, increment),
});
