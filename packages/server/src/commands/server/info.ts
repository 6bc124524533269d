/**
 * INFO [section [section ...]]
 *
 * Replies the server's state as `field:value` lines grouped in `# Section` blocks (see info.ts for
 * which sections and fields exist). A verbatim string in RESP3, a bulk string in RESP2.
 */
import { renderInfo } from '../../info.js';
import { type Command, defineCommand, NO_KEYS } from '../types.js';

export const info: Command = defineCommand<readonly string[]>({
  name: 'info',
  arity: -1,
  syntax: '[section [section ...]]',
  flags: ['loading', 'stale', 'sentinel'],
  aclCategories: ['@slow', '@dangerous'],
  keys: NO_KEYS,
  doc: {
    summary: 'Get information and statistics about the server',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
  },
  parse: (argv) => argv.slice(1).map((arg) => arg.toString('latin1')),
  execute(ctx, sections) {
    ctx.reply.verbatim(renderInfo(ctx.node, sections));
    return undefined;
  },
});
