/**
 * EXPIRE key seconds [NX|XX|GT|LT]
 *
 * Sets the deadline of `key` in seconds from now. Replies 1 if the deadline was set (or the key
 * deleted because it is already past), 0 if the key does not exist or a condition failed.
 * Propagates as `PEXPIREAT key <abs-ms> [options]`, or `DEL key` for a deadline already past (see
 * expire-generic.ts).
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { type ExpireArgs, type ExpireForm, executeExpire, parseExpire } from './expire-generic.js';

const FORM: ExpireForm = { command: 'expire', seconds: true, relative: true };

export const expire: Command = defineCommand<ExpireArgs>({
  name: 'expire',
  arity: -3,
  syntax: 'key seconds:integer [NX|XX|GT|LT]',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: "Set a key's time to live in seconds",
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: parseExpire,
  execute: (ctx, args) => executeExpire(ctx, args, FORM),
});
