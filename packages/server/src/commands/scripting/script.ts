/**
 * SCRIPT LOAD script | EXISTS sha1 [sha1 ...] | FLUSH [ASYNC|SYNC] | KILL | HELP
 *
 * The EVAL script cache (eval.c's scriptCommand). LOAD compiles and caches a script and replies
 * its sha1; EXISTS replies 1 or 0 per sha1; FLUSH forgets every script and restarts the Lua state
 * (both modes act at once here: there is no background thread); KILL stops a script that has
 * run past busy-reply-threshold and has not written yet (scripting/engine.ts). Not
 * propagated: with effects replication a replica never needs the scripts themselves.
 */
import { scriptingOf } from '../../scripting/engine.js';
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import { helpCommand } from '../server/help.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';

const DOC = { since: '2.6.0', group: 'scripting' } as const;

const load = defineCommand<Buffer>({
  name: 'load',
  arity: 3,
  syntax: 'script',
  flags: ['noscript', 'stale', 'no_propagate'],
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Load the specified Lua script into the script cache.',
    complexity: 'O(N) with N being the length in bytes of the script body.',
  },
  parse: (argv) => argv[2] ?? Buffer.alloc(0),
  execute(ctx, body) {
    const sha = scriptingOf(ctx.node).loadScript(body);
    if (sha instanceof ErrorReply) return sha;
    ctx.reply.bulk(sha);
    return undefined;
  },
});

const exists = defineCommand<readonly Buffer[]>({
  name: 'exists',
  arity: -3,
  syntax: 'sha1 [sha1 ...]',
  flags: ['noscript', 'stale', 'no_propagate'],
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Check existence of scripts in the script cache.',
    complexity:
      'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
  },
  parse: (argv) => argv.slice(2),
  execute(ctx, shas) {
    const scripts = scriptingOf(ctx.node).scripts;
    ctx.reply.arrayHeader(shas.length);
    for (const sha of shas) {
      ctx.reply.integer(scripts.has(sha.toString('latin1').toLowerCase()) ? 1 : 0);
    }
    return undefined;
  },
});

const FLUSH_OPTION_ERROR = new ErrorReply('ERR SCRIPT FLUSH only support SYNC|ASYNC option');

const flush = defineCommand<null>({
  name: 'flush',
  arity: -2,
  syntax: '[ASYNC|SYNC]',
  flags: ['noscript', 'no_propagate'],
  aclCategories: ['@slow', '@scripting'],
  keys: NO_KEYS,
  doc: {
    ...DOC,
    summary: 'Remove all the scripts from the script cache.',
    complexity: 'O(N) with N being the number of scripts in cache',
  },
  parse(argv) {
    if (argv.length > 3) return FLUSH_OPTION_ERROR;
    const mode = argv[2]?.toString('latin1').toLowerCase();
    if (mode !== undefined && mode !== 'sync' && mode !== 'async') return FLUSH_OPTION_ERROR;
    return null;
  },
  execute(ctx) {
    scriptingOf(ctx.node).flushScripts();
    ctx.reply.simple('OK');
    return undefined;
  },
});

const kill = defineNoArgSubcommand({
  name: 'kill',
  flags: ['noscript', 'allow_busy', 'no_propagate'],
  aclCategories: ['@slow', '@scripting'],
  doc: { ...DOC, summary: 'Kill the script currently in execution.', complexity: 'O(1)' },
  execute(ctx) {
    const refused = scriptingOf(ctx.node).kill(true);
    if (refused !== undefined) return refused;
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const scriptCommand: Command = defineContainer(
  {
    name: 'script',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for Lua scripts management commands',
      since: '2.6.0',
      group: 'scripting',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    exists,
    flush,
    kill,
    load,
    helpCommand('SCRIPT', [
      'EXISTS <sha1> [<sha1> ...]',
      '    Return information about the existence of the scripts in the script cache.',
      'FLUSH [ASYNC|SYNC]',
      '    Flush the Lua scripts cache. Very dangerous on replicas.',
      '    When called without the optional mode argument, the behavior is determined by the',
      '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
      '    * ASYNC: Asynchronously flush the scripts cache.',
      '    * SYNC: Synchronously flush the scripts cache.',
      'KILL',
      '    Kill the currently executing Lua script.',
      'LOAD <script>',
      '    Load a script into the scripts cache without executing it.',
    ]),
  ],
);
