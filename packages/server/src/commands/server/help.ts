/**
 * The HELP subcommand every container command has, in Redis's addReplyHelp format: a header line,
 * the command's own lines, then HELP's own entry ("Prints this help.", as 7.0 words it), each as a
 * status reply. A container lists only the subcommands replisim implements, each with Redis 7.0's
 * exact lines and in Redis's order, so its help is Redis's help with entries left out
 * (test/skeleton-diff.test.ts checks this).
 */
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import type { Command } from '../types.js';

/**
 * The ACL categories of each container's HELP in Redis 7.0 (its <container>-help.json adds its
 * family's category to @slow), in Redis's category order; other containers' HELP is @slow only.
 */
const HELP_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  CLIENT: ['@slow', '@connection'],
  COMMAND: ['@slow', '@connection'],
  FUNCTION: ['@slow', '@scripting'],
  OBJECT: ['@keyspace', '@slow'],
  SCRIPT: ['@slow', '@scripting'],
  XGROUP: ['@stream', '@slow'],
  XINFO: ['@stream', '@slow'],
};

export function helpCommand(container: string, lines: readonly string[]): Command {
  const all = [
    `${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    'HELP',
    '    Prints this help.',
  ];
  return defineNoArgSubcommand({
    name: 'help',
    flags: ['loading', 'stale'],
    aclCategories: HELP_CATEGORIES[container] ?? ['@slow'],
    doc: {
      summary: 'Show helpful text about the different subcommands',
      since: '5.0.0',
      group: 'server',
      complexity: 'O(1)',
    },
    execute(ctx) {
      ctx.reply.arrayHeader(all.length);
      for (const line of all) ctx.reply.simple(line);
      return undefined;
    },
  });
}
