/**
 * A subcommand that takes no arguments (MEMORY DOCTOR, SLOWLOG LEN, every container's HELP...):
 * Redis declares each with arity 2 (the container's name and its own), no arguments in its syntax
 * and no keys. Those four facts are one rule, so they are stated here once; the subcommand gives
 * only its name, flags, ACL categories, documentation and what it replies. A word after it is an
 * arity error from the dispatcher, before `execute` runs.
 */
import {
  type Command,
  type CommandContext,
  type CommandMeta,
  defineCommand,
  type ErrorReply,
  NO_KEYS,
} from './types.js';

export interface NoArgSubcommandSpec
  extends Pick<CommandMeta, 'name' | 'flags' | 'aclCategories' | 'doc'> {
  /** Writes the reply, or returns an error for the dispatcher to send. */
  execute(ctx: CommandContext): ErrorReply | undefined;
}

/** Container name + subcommand name: exactly two words. */
const NO_ARG_SUBCOMMAND_ARITY = 2;

export function defineNoArgSubcommand(spec: NoArgSubcommandSpec): Command {
  return defineCommand<null>({
    name: spec.name,
    arity: NO_ARG_SUBCOMMAND_ARITY,
    syntax: '',
    flags: spec.flags,
    aclCategories: spec.aclCategories,
    keys: NO_KEYS,
    doc: spec.doc,
    parse: () => null,
    execute: (ctx) => spec.execute(ctx),
  });
}
