/**
 * RPUSHX key element [element ...]
 *
 * RPUSH, but only if the key already holds a list: replies 0 and changes nothing when it does not exist.
 */
import type { Command } from '../types.js';
import { definePush } from './push-generic.js';

export const rpushx: Command = definePush('rpushx', 'right', true, {
  summary: 'Append an element to a list, only if the list exists',
  since: '2.2.0',
  group: 'list',
  complexity:
    'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
});
