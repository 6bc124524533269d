/**
 * RPUSH key element [element ...]
 *
 * Appends each element at the tail, in argument order, creating the list if needed. Replies the new
 * length; WRONGTYPE if the key holds another type.
 */
import type { Command } from '../types.js';
import { definePush } from './push-generic.js';

export const rpush: Command = definePush('rpush', 'right', false, {
  summary: 'Append one or multiple elements to a list',
  since: '1.0.0',
  group: 'list',
  complexity:
    'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
});
