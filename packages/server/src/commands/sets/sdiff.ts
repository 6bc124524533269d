/**
 * SDIFF key [key ...]
 *
 * Replies the result as a set (an array in RESP2); see set-ops.ts for the order and the checks.
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';
import { unionOrDifference } from './set-ops.js';

export const sdiff: Command = defineCommand<string[]>({
  name: 'sdiff',
  arity: -2,
  syntax: 'key [key ...]',
  flags: ['readonly'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Subtract multiple sets',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
  },
  parse: (argv) => argv.slice(1).map((key) => key.toString('latin1')),
  execute: (ctx, keys) => unionOrDifference(ctx, keys, 'diff', undefined),
});
