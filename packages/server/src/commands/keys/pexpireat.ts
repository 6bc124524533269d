/**
 * PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT]
 *
 * Sets the deadline of `key` as an absolute Unix time in milliseconds. Replies 1 if the deadline
 * was set (or the key deleted because it is already past), 0 if the key does not exist or a
 * condition failed. Propagates as received, or `DEL key` for a deadline already past (see
 * expire-generic.ts).
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { type ExpireArgs, type ExpireForm, executeExpire, parseExpire } from './expire-generic.js';

const FORM: ExpireForm = { command: 'pexpireat', seconds: false, relative: false };

export const pexpireat: Command = defineCommand<ExpireArgs>({
  name: 'pexpireat',
  arity: -3,
  syntax: 'key unix-time-milliseconds:unix-time [NX|XX|GT|LT]',
  flags: ['write', 'fast'],
  aclCategories: ['@keyspace', '@write', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
    since: '2.6.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: parseExpire,
  execute: (ctx, args) => executeExpire(ctx, args, FORM),
});
