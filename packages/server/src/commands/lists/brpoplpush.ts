/**
 * BRPOPLPUSH source destination timeout
 *
 * BLMOVE source destination RIGHT LEFT timeout, propagated as RPOPLPUSH. Details and errors:
 * blocking-generic.ts and commands/timeout.ts.
 */
import type { Command } from '../types.js';
import { defineBlockingMove } from './blocking-generic.js';

export const brpoplpush: Command = defineBlockingMove(
  'brpoplpush',
  { from: 'right', to: 'left' },
  {
    summary:
      'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '2.2.0',
    group: 'list',
    complexity: 'O(1)',
  },
);
