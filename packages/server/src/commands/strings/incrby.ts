/**
 * INCRBY key increment
 *
 * Adds `increment` to the integer at `key` (0 if missing) and replies the new value. The increment
 * is parsed before the key is read (not an integer -> "value is not an integer or out of range");
 * the rest as INCR (incr.ts). Propagated as received.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { INCR_ACL, INCR_FLAGS, type IncrArgs, incrDecr } from './incr.js';

export const incrby: Command = defineCommand<IncrArgs>({
  name: 'incrby',
  arity: 3,
  syntax: 'key increment:integer',
  flags: INCR_FLAGS,
  aclCategories: INCR_ACL,
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the integer value of a key by the given amount',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse(argv) {
    const increment = parseInt64(argv[2]);
    return increment === undefined ? NOT_INTEGER : { key: keyOf(argv[1]), increment };
  },
  execute: (ctx, { key, increment }) => incrDecr(ctx, key, increment),
});
