/**
 * The HELP subcommand every container command has, in Redis's addReplyHelp format: a header line,
 * the command's own lines, then HELP's own entry ("Prints this help.", as 7.0 words it), each as a
 * status reply. A container lists only the subcommands replisim implements, each with Redis 7.0's
 * exact lines and in Redis's order, so its help is Redis's help with entries left out
 * (test/skeleton-diff.test.ts checks this).
 */
import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import type { Command } from '../types.js';

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
    aclCategories: ['@slow'],
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
