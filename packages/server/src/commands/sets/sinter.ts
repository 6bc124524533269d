/**
 * SINTER key [key ...]
 *
 * Replies the result as a set (an array in RESP2); see set-ops.ts for the order and the checks.
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';
import { intersect } from './set-ops.js';

export const sinter: Command = defineCommand<string[]>({
  name: 'sinter',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Intersect multiple sets',
    since: '1.0.0',
    group: 'set',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  },
  parse: (argv) => argv.slice(1).map((key) => key.toString('latin1')),
  execute: (ctx, keys) => intersect(ctx, keys, { kind: 'reply' }),
});
