/**
 * MODULE LIST | LOAD path [arg ...] | LOADEX path [CONFIG name value ...] [ARGS arg ...] |
 * UNLOAD name | HELP
 *
 * replisim has no module system, and answers as Redis 7.0 does with no module loaded: LIST is an
 * empty array; LOAD, LOADEX and UNLOAD are refused under enable-module-command (default no, as
 * Redis's error), and where allowed LOAD/LOADEX fail as Redis does for a library it cannot load
 * ("Error loading the extension. Please check the server logs.") and UNLOAD finds no module.
 */
import { isLoopbackAddress } from '../../protected-mode.js';
import {
  type Command,
  type CommandContext,
  defineCommand,
  defineContainer,
  ErrorReply,
  NO_KEYS,
} from '../types.js';
import { helpCommand } from './help.js';

const NOT_ALLOWED = new ErrorReply(
  'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
);
const ADMIN = ['@admin', '@slow', '@dangerous'] as const;

function moduleAllowed(ctx: CommandContext): boolean {
  const policy = ctx.node.config.stored['enable-module-command'] ?? 'no';
  if (policy === 'yes') return true;
  return policy === 'local' && isLoopbackAddress(ctx.client.connection.remoteAddress);
}

function refused(
  name: string,
  arity: number,
  summary: string,
  since: string,
  failure: ErrorReply,
): Command {
  return defineCommand<null>({
    name,
    arity,
    syntax: '',
    flags: ['admin', 'noscript', 'no_async_loading'],
    aclCategories: ADMIN,
    keys: NO_KEYS,
    doc: { summary, since, group: 'server', complexity: 'O(1)' },
    parse: () => null,
    execute: (ctx) => (moduleAllowed(ctx) ? failure : NOT_ALLOWED),
  });
}

const LOAD_FAILED = new ErrorReply(
  'ERR Error loading the extension. Please check the server logs.',
);

const list = defineCommand<null>({
  name: 'list',
  arity: 2,
  syntax: '',
  flags: ['admin', 'noscript'],
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: 'List all modules loaded by the server',
    since: '4.0.0',
    group: 'server',
    complexity: 'O(N) where N is the number of loaded modules.',
  },
  parse: () => null,
  execute(ctx) {
    ctx.reply.arrayHeader(0);
    return undefined;
  },
});

export const moduleCommand: Command = defineContainer(
  {
    name: 'module',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for module commands',
      since: '4.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    list,
    refused('load', -3, 'Load a module', '4.0.0', LOAD_FAILED),
    refused('loadex', -3, 'Load a module with extended parameters', '7.0.0', LOAD_FAILED),
    refused(
      'unload',
      3,
      'Unload a module',
      '4.0.0',
      new ErrorReply('ERR Error unloading module: no such module with that name'),
    ),
    helpCommand('MODULE', [
      'LIST',
      '    Return a list of loaded modules.',
      'LOAD <path> [<arg> ...]',
      '    Load a module library from <path>, passing to it any optional arguments.',
      'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
      '    Load a module library from <path>, while passing it module configurations and optional arguments.',
      'UNLOAD <name>',
      '    Unload a module.',
    ]),
  ],
);
