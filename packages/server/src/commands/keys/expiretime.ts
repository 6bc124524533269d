/**
 * EXPIRETIME key
 *
 * Replies the deadline as a Unix time in seconds, -1 if `key` has no deadline, -2 if it does not
 * exist (see ttl-generic.ts).
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeTtl, parseTtl, type TtlForm } from './ttl-generic.js';

const FORM: TtlForm = { milliseconds: false, absolute: true };

export const expiretime: Command = defineCommand<string>({
  name: 'expiretime',
  arity: 2,
  syntax: 'key',
  flags: ['readonly', 'fast'],
  aclCategories: ['@keyspace', '@read', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the expiration Unix timestamp for a key',
    since: '7.0.0',
    group: 'generic',
    complexity: 'O(1)',
  },
  parse: parseTtl,
  execute: (ctx, key) => executeTtl(ctx, key, FORM),
});
