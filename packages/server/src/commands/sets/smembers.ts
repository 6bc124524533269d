/**
 * SMEMBERS key
 *
 * Replies every member as a set (an array in RESP2), empty for a missing key. As in Redis it is
 * SINTER of one key: an intset set answers in ascending order.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { intersect } from './set-ops.js';

export const smembers: Command = defineCommand<string>({
  name: 'smembers',
  arity: 2,
  syntax: 'key',
  flags: ['readonly'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get all the members in a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(N) where N is the set cardinality.',
  },
  parse: (argv) => (argv[1] ?? Buffer.alloc(0)).toString('latin1'),
  execute: (ctx, key) => intersect(ctx, [key], { kind: 'reply' }),
});
