/**
 * The keys a command line names and the key-spec flags of each, from a command's metadata alone
 * (no command table, so the ACL checks in acl/check.ts and COMMAND GETKEYS share them without an
 * import cycle). Movable keys come from keyIndexes, others from first/last/step; flags from the
 * command's keyFlags where declared, else RW access update for a write and RO access for a read.
 */
import type { Command, CommandMeta } from './types.js';

/** The default key-spec flags, the ones COMMAND INFO shows too. */
export function defaultKeyFlags(command: CommandMeta): readonly string[] {
  return command.flags.includes('write') ? ['RW', 'access', 'update'] : ['RO', 'access'];
}

export function hasKeys(command: Command): boolean {
  if (command.flags.includes('pubsub')) return false;
  return command.keyIndexes !== undefined || command.keys.first > 0;
}

/** The argv indexes of the keys, or undefined when the arguments do not name them. */
export function keyIndexes(command: Command, argv: readonly Buffer[]): number[] | undefined {
  if (command.keyIndexes !== undefined) return command.keyIndexes(argv);
  const { first, last, step } = command.keys;
  const end = last < 0 ? argv.length + last : last;
  if (end >= argv.length || end < first) return undefined;
  const indexes: number[] = [];
  for (let i = first; i <= end; i += step) indexes.push(i);
  return indexes;
}
