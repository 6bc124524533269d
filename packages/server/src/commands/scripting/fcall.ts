/**
 * FCALL function numkeys [key [key ...]] [arg [arg ...]]
 *
 * Invoke a function (fcall-generic.ts has the lookup, the checks and the call).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { FCALL_FLAGS, fcall } from './fcall-generic.js';

export const fcallCommand: Command = defineCommand<readonly Buffer[]>({
  name: 'fcall',
  arity: -3,
  syntax: 'function numkeys:integer [key [key ...]] [arg [arg ...]]',
  flags: FCALL_FLAGS,
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    summary: 'Invoke a function',
    since: '7.0.0',
    group: 'scripting',
    complexity: 'Depends on the function that is executed.',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => fcall(ctx, argv, false),
});
