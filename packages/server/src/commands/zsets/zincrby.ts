/**
 * ZINCRBY key increment member
 *
 * Adds `increment` to the member's score (a missing member starts at 0) and replies the new score
 * as a double. Redis runs it as ZADD with INCR (zaddGenericCommand), option parsing included: an
 * increment spelled like a ZADD option ("nx") is taken as one, which leaves a lone member and so a
 * syntax error. Errors: "value is not a valid float", "resulting score is not a number (NaN)".
 * Propagated as received.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeZAdd, parseZAdd, type ZAddArgs } from './zadd.js';

export const zincrby: Command = defineCommand<ZAddArgs>({
  name: 'zincrby',
  arity: 4,
  syntax: 'key increment:double member',
  flags: ['write', 'denyoom', 'fast'],
  aclCategories: ['@write', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the score of a member in a sorted set',
    since: '1.2.0',
    group: 'sorted-set',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  },
  parse: (argv) => parseZAdd(argv, true),
  execute: executeZAdd,
});
