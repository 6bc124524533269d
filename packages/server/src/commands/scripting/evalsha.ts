/**
 * EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
 *
 * Execute a Lua script server side (eval-generic.ts has the shared parsing and checks).
 */
import { type Command, defineCommand, NO_KEYS } from '../types.js';
import { EVAL_FLAGS, type EvalArgs, evalSha, parseEvalArgs } from './eval-generic.js';

export const evalshaCommand: Command = defineCommand<EvalArgs>({
  name: 'evalsha',
  arity: -3,
  syntax: 'sha1 numkeys:integer [key [key ...]] [arg [arg ...]]',
  flags: EVAL_FLAGS,
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    summary: 'Execute a Lua script server side',
    since: '2.6.0',
    group: 'scripting',
    complexity: 'Depends on the script that is executed.',
  },
  parse: parseEvalArgs,
  execute: (ctx, args) => evalSha(ctx, args, false),
});
