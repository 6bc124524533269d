/**
 * ZPOPMAX key [count]
 *
 * Removes and replies the member(s) with the highest scores; see zpop.ts for the reply shapes.
 */
import { type Command, defineCommand, ONE_KEY } from '../types.js';
import { executeZPop, parseZPop, type ZPopArgs } from './zpop.js';

export const zpopmax: Command = defineCommand<ZPopArgs>({
  name: 'zpopmax',
  arity: -2,
  syntax: 'key [count:integer]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@sortedset', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Remove and return members with the highest scores in a sorted set',
    since: '5.0.0',
    group: 'sorted-set',
    complexity:
      'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  },
  parse: parseZPop,
  execute: (ctx, args) => executeZPop(ctx, args, 'max'),
});
