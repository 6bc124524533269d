/**
 * COMMAND GETKEYS <full-command> and COMMAND GETKEYSANDFLAGS <full-command> (Redis 7.0's
 * getKeysSubcommandImpl): the keys a command line would touch, and with flags the key-spec flags
 * of each (a set in RESP3, an array in RESP2).
 *
 * Checks in Redis's order: the command (a subcommand for containers) must exist ("Invalid command
 * specified"), have key arguments ("The command has no key arguments"; Pub/Sub shard channels are
 * not keys), take that many arguments ("Invalid number of arguments specified for command"), and
 * yield at least one key ("Invalid arguments specified for command", e.g. numkeys 0).
 *
 * Keys come from the command's keyIndexes when it has movable keys (numkeys, SORT ... STORE),
 * else from its first/last/step positions. Flags: the command's own keyFlags where declared,
 * else RW access update for a write command and RO access for a read; commands whose Redis key
 * specs say otherwise (DEL's RM delete, LPUSH's RW insert...) differ there.
 */
import { defaultKeyFlags, hasKeys, keyIndexes } from '../key-specs.js';
import { COMMAND_TABLE } from '../table.js';

export { defaultKeyFlags };

import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';

function resolve(argv: readonly Buffer[]): Command | undefined {
  const name = (argv[0] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
  const command = COMMAND_TABLE.get(name);
  if (command === undefined || command.subcommands.size === 0 || argv.length === 1) return command;
  return command.subcommands.get((argv[1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase());
}

function defineGetkeys(withFlags: boolean): Command {
  return defineCommand<readonly Buffer[]>({
    name: withFlags ? 'getkeysandflags' : 'getkeys',
    arity: -4,
    syntax: 'command arg [arg ...]',
    flags: ['loading', 'stale'],
    aclCategories: ['@slow', '@connection'],
    keys: NO_KEYS,
    doc: {
      summary: withFlags
        ? 'Extract keys and access flags given a full Redis command'
        : 'Extract keys given a full Redis command',
      since: withFlags ? '7.0.0' : '2.8.13',
      group: 'server',
      complexity: 'O(N) where N is the number of arguments to the command',
    },
    parse: (argv) => argv.slice(2),
    execute(ctx, line) {
      const command = resolve(line);
      if (command === undefined) return new ErrorReply('ERR Invalid command specified');
      if (!hasKeys(command)) return new ErrorReply('ERR The command has no key arguments');
      const arity = command.arity;
      if ((arity > 0 && arity !== line.length) || line.length < -arity) {
        return new ErrorReply('ERR Invalid number of arguments specified for command');
      }
      const indexes = keyIndexes(command, line);
      if (indexes === undefined || indexes.length === 0) {
        return new ErrorReply('ERR Invalid arguments specified for command');
      }
      const reply = ctx.reply;
      reply.arrayHeader(indexes.length);
      for (const index of indexes) {
        const key = line[index] ?? Buffer.alloc(0);
        if (!withFlags) {
          reply.bulk(key);
          continue;
        }
        const flags = command.keyFlags?.(index, line) ?? defaultKeyFlags(command);
        reply.arrayHeader(2);
        reply.bulk(key);
        reply.setHeader(flags.length);
        for (const flag of flags) reply.simple(flag);
      }
      return undefined;
    },
  });
}

export const getkeys: Command = defineGetkeys(false);
export const getkeysandflags: Command = defineGetkeys(true);
