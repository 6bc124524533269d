/**
 * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
 *
 * Pops up to `count` elements from the first non-empty list among the keys, replied as
 * [key, [element ...]], or a null array; propagated as LPOP/RPOP key n. See mpop-generic.ts.
 */
import type { Command } from '../types.js';
import { defineLmpop } from './mpop-generic.js';

export const lmpop: Command = defineLmpop(false, {
  summary: 'Pop elements from a list',
  since: '7.0.0',
  group: 'list',
  complexity:
    'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
});
