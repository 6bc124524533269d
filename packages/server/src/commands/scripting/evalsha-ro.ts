/**
 * EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
 *
 * Execute a read-only Lua script server side (eval-generic.ts has the shared parsing and checks).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { EVAL_RO_FLAGS, type EvalArgs, evalSha, parseEvalArgs } from './eval-generic.js';

export const evalshaRoCommand: Command = defineCommand<EvalArgs>({
  name: 'evalsha_ro',
  arity: -3,
  syntax: 'sha1 numkeys:integer [key [key ...]] [arg [arg ...]]',
  flags: EVAL_RO_FLAGS,
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    summary: 'Execute a read-only Lua script server side',
    since: '7.0.0',
    group: 'scripting',
    complexity: 'Depends on the script that is executed.',
  },
  parse: parseEvalArgs,
  execute: (ctx, args) => evalSha(ctx, args, true),
});
