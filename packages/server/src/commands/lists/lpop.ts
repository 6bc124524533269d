/**
 * LPOP key [count]
 *
 * Removes and replies the first element (a bulk string), or with a count up to that many from the
 * head as an array. A missing key is a null bulk, or a null array with a count; count 0 on a list is
 * an empty array. Checks and errors: pop-generic.ts.
 */
import type { Command } from '../types.js';
import { definePop } from './pop-generic.js';

export const lpop: Command = definePop('lpop', 'left', {
  summary: 'Remove and get the first elements in a list',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements returned',
});
