/**
 * LPUSH key element [element ...]
 *
 * Inserts each element at the head, in argument order (LPUSH k a b leaves b first), creating the list if
 * needed. Replies the new length; WRONGTYPE if the key holds another type.
 */
import type { Command } from '../types.js';
import { definePush } from './push-generic.js';

export const lpush: Command = definePush('lpush', 'left', false, {
  summary: 'Prepend one or multiple elements to a list',
  since: '1.0.0',
  group: 'list',
  complexity:
    'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
});
