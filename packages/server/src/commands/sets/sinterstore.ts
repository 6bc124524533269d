/**
 * SINTERSTORE destination key [key ...]
 *
 * Stores the result in `destination` (replacing it and its TTL; deleting it when the result is
 * empty) and replies its cardinality; see set-ops.ts.
 */
import { ALL_KEYS, type Command, defineCommand } from '../types.js';
import { intersect } from './set-ops.js';

interface SetStoreArgs {
  readonly destination: string;
  readonly keys: readonly string[];
}

export const sinterstore: Command = defineCommand<SetStoreArgs>({
  name: 'sinterstore',
  arity: -3,
  syntax: 'destination:key key [key ...]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@set', '@slow'],
  keys: ALL_KEYS,
  doc: {
    summary: 'Intersect multiple sets and store the resulting set in a key',
    since: '1.0.0',
    group: 'set',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  },
  parse: (argv) => ({
    destination: (argv[1] ?? Buffer.alloc(0)).toString('latin1'),
    keys: argv.slice(2).map((key) => key.toString('latin1')),
  }),
  execute: (ctx, args) =>
    intersect(ctx, args.keys, { kind: 'store', destination: args.destination }),
});
