/**
 * RPOPLPUSH source destination
 *
 * LMOVE source destination RIGHT LEFT: pops the last element of `source`, pushes it at the head of
 * `destination` and replies it; a null bulk if the source does not exist. Propagated as received.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand } from '../types.js';
import { type MoveArgs, moveGeneric } from './lmove.js';

export const rpoplpush: Command = defineCommand<MoveArgs>({
  name: 'rpoplpush',
  arity: 3,
  syntax: 'source:key destination:key',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@list', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    since: '1.2.0',
    group: 'list',
    complexity: 'O(1)',
  },
  parse: (argv) => ({
    source: keyOf(argv[1]),
    destination: keyOf(argv[2]),
    from: 'right',
    to: 'left',
  }),
  execute: moveGeneric,
});
