/**
 * DECR key
 *
 * Subtracts 1 from the integer at `key` (0 if missing) and replies the new value; errors and
 * storage as INCR (incr.ts). Propagated as received.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { INCR_ACL, INCR_FLAGS, type IncrArgs, incrDecr } from './incr.js';

export const decr: Command = defineCommand<IncrArgs>({
  name: 'decr',
  arity: 2,
  syntax: 'key',
  flags: INCR_FLAGS,
  aclCategories: INCR_ACL,
  keys: ONE_KEY,
  doc: {
    summary: 'Decrement the integer value of a key by one',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), increment: -1n }),
  execute: (ctx, { key, increment }) => incrDecr(ctx, key, increment),
});
