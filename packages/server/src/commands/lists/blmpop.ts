/**
 * BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
 *
 * LMPOP that blocks until one of the lists gets elements or `timeout` seconds pass (0 = forever),
 * then replies a null array. See mpop-generic.ts.
 */
import type { Command } from '../types.js';
import { defineLmpop } from './mpop-generic.js';

export const blmpop: Command = defineLmpop(true, {
  summary: 'Pop elements from a list, or block until one is available',
  since: '7.0.0',
  group: 'list',
  complexity:
    'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
});
