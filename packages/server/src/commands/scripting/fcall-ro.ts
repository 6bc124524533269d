/**
 * FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
 *
 * Invoke a read-only function (fcall-generic.ts has the lookup, the checks and the call).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { FCALL_RO_FLAGS, fcall } from './fcall-generic.js';

export const fcallRoCommand: Command = defineCommand<readonly Buffer[]>({
  name: 'fcall_ro',
  arity: -3,
  syntax: 'function numkeys:integer [key [key ...]] [arg [arg ...]]',
  flags: FCALL_RO_FLAGS,
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    summary: 'Invoke a read-only function',
    since: '7.0.0',
    group: 'scripting',
    complexity: 'Depends on the function that is executed.',
  },
  parse: (argv) => argv,
  execute: (ctx, argv) => fcall(ctx, argv, true),
});
