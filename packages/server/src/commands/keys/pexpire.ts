/**
 * PEXPIRE key milliseconds [NX|XX|GT|LT]
 *
 * Sets the deadline of `key` in milliseconds from now. Replies 1 if the deadline was set (or the
 * key deleted because it is already past), 0 if the key does not exist or a condition failed.
 * Propagates as `PEXPIREAT key <abs-ms> [options]`, or `DEL key` for a deadline already past (see
 * expire-generic.ts).
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { type ExpireArgs, type ExpireForm, executeExpire, parseExpire } from './expire-generic.js';

const FORM: ExpireForm = { command: 'pexpire', seconds: false, relative: true };

export const pexpire: Command = defineCommand<ExpireArgs>({
  name: 'pexpire',
  arity: -3,
  syntax: 'key milliseconds:integer [NX|XX|GT|LT]',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: "Set a key's time to live in milliseconds",
    since: '2.6.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: parseExpire,
  execute: (ctx, args) => executeExpire(ctx, args, FORM),
});
