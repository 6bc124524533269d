/**
 * SLOWLOG GET [count] | LEN | RESET | HELP
 *
 * Reads and clears the slow log (monitoring/slowlog.ts). GET replies the newest `count` entries
 * (10 by default, -1 for all), each `[id, unix time, microseconds, [args...], "ip:port", name]`.
 */

import { defineNoArgSubcommand } from '../no-arg-subcommand.js';
import { type Command, defineCommand, defineContainer, ErrorReply, NO_KEYS } from '../types.js';
import { helpCommand } from './help.js';

const ADMIN = ['@admin', '@slow', '@dangerous'] as const;
const FLAGS = ['admin', 'loading', 'stale'] as const;

const get = defineCommand<number | undefined>({
  name: 'get',
  arity: -2,
  syntax: '[count]',
  flags: FLAGS,
  aclCategories: ADMIN,
  keys: NO_KEYS,
  doc: {
    summary: "Get the slow log's entries",
    since: '2.2.12',
    group: 'server',
    complexity: 'O(N) where N is the number of entries returned',
  },
  parse(argv) {
    // slowlogCommand's own argc check: addReplySubcommandSyntaxError, naming the subcommand as sent.
    if (argv.length > 3) {
      const sub = argv[1]?.toString('latin1') ?? 'get';
      return new ErrorReply(
        `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try SLOWLOG HELP.`,
      );
    }
    const word = argv[2]?.toString('latin1');
    if (word === undefined) return 10;
    // getRangeLongFromObjectOrReply: a non-number and a number out of range get the same message.
    const count = Number(word);
    if (!/^-?(0|[1-9][0-9]*)$/.test(word) || !Number.isSafeInteger(count) || count < -1) {
      return new ErrorReply('ERR count should be greater than or equal to -1');
    }
    return count === -1 ? undefined : count;
  },
  execute(ctx, count) {
    const entries = ctx.node.slowlog.entries;
    const shown = entries.slice(0, count ?? entries.length);
    ctx.reply.arrayHeader(shown.length);
    for (const entry of shown) {
      ctx.reply.arrayHeader(6);
      ctx.reply.integer(entry.id);
      ctx.reply.integer(entry.timeSeconds);
      ctx.reply.integer(entry.durationUs);
      ctx.reply.arrayHeader(entry.argv.length);
      for (const arg of entry.argv) ctx.reply.bulk(arg);
      ctx.reply.bulk(entry.peer);
      ctx.reply.bulk(entry.clientName);
    }
    return undefined;
  },
});

const len = defineNoArgSubcommand({
  name: 'len',
  flags: FLAGS,
  aclCategories: ADMIN,
  doc: {
    summary: "Get the slow log's length",
    since: '2.2.12',
    group: 'server',
    complexity: 'O(1)',
  },
  execute(ctx) {
    ctx.reply.integer(ctx.node.slowlog.entries.length);
    return undefined;
  },
});

const reset = defineNoArgSubcommand({
  name: 'reset',
  flags: FLAGS,
  aclCategories: ADMIN,
  doc: {
    summary: 'Clear all entries from the slow log',
    since: '2.2.12',
    group: 'server',
    complexity: 'O(N) where N is the number of entries in the slowlog',
  },
  execute(ctx) {
    ctx.node.slowlog.reset();
    ctx.reply.simple('OK');
    return undefined;
  },
});

export const slowlogCommand: Command = defineContainer(
  {
    name: 'slowlog',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for slow log commands',
      since: '2.2.12',
      group: 'server',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    get,
    len,
    reset,
    helpCommand('SLOWLOG', [
      'GET [<count>]',
      '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
      '    Entries are made of:',
      '    id, timestamp, time in microseconds, arguments array, client IP and port,',
      '    client name',
      'LEN',
      '    Return the length of the slowlog.',
      'RESET',
      '    Reset the slowlog.',
    ]),
  ],
);
