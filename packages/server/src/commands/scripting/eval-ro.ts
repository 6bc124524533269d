/**
 * EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
 *
 * Execute a read-only Lua script server side (eval-generic.ts has the shared parsing and checks).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { EVAL_RO_FLAGS, type EvalArgs, evalBody, parseEvalArgs } from './eval-generic.js';

export const evalRoCommand: Command = defineCommand<EvalArgs>({
  name: 'eval_ro',
  arity: -3,
  syntax: 'script numkeys:integer [key [key ...]] [arg [arg ...]]',
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
  execute: (ctx, args) => evalBody(ctx, args, true),
});
