/**
 * The flags the dispatcher checks for EVAL* and FCALL* (Redis's getCommandFlags with
 * evalGetCommandFlags / fcallGetCommandFlags): a script with a shebang, or a function, replaces
 * the command's own write, stale and denyoom flags with what its flags declare
 * (scriptFlagsToCmdFlags). So a script without `no-writes` is a write for MISCONF, NOREPLICAS and
 * READONLY, and one without `allow-stale` is refused by MASTERDOWN, before it runs. A script not
 * cached yet is judged by its shebang; EVAL's compatibility mode keeps the command's flags.
 */

import type { Command, CommandFlag } from '../commands/types.js';
import type { ServerNode } from '../node.js';
import { scriptingOf, sha1hex } from './engine.js';
import { extractShebang, type ScriptFlags } from './shebang.js';

const EVAL_NAMES: ReadonlySet<string> = new Set(['eval', 'eval_ro']);
const EVALSHA_NAMES: ReadonlySet<string> = new Set(['evalsha', 'evalsha_ro']);
const FCALL_NAMES: ReadonlySet<string> = new Set(['fcall', 'fcall_ro']);
const REPLACED: ReadonlySet<CommandFlag> = new Set(['stale', 'denyoom', 'write', 'may_replicate']);

function scriptFlagsOf(
  node: ServerNode,
  name: string,
  argv: readonly Buffer[],
): ScriptFlags | undefined {
  const arg = argv[1];
  if (arg === undefined) return undefined;
  const engine = scriptingOf(node);
  if (EVAL_NAMES.has(name)) {
    const cached = engine.scripts.get(sha1hex(arg));
    if (cached !== undefined) return cached.flags;
    const shebang = extractShebang(arg);
    return shebang.ok ? shebang.flags : undefined;
  }
  if (EVALSHA_NAMES.has(name)) {
    if (arg.length !== 40) return undefined;
    return engine.scripts.get(arg.toString('latin1').toLowerCase())?.flags;
  }
  if (FCALL_NAMES.has(name)) {
    return engine.functions.functions.get(arg.toString('latin1').toLowerCase())?.flags;
  }
  return undefined;
}

/** `command` with the flags its script declares, or `command` itself. */
export function withScriptFlags(
  node: ServerNode,
  command: Command,
  argv: readonly Buffer[],
): Command {
  const name = command.fullName;
  if (!EVAL_NAMES.has(name) && !EVALSHA_NAMES.has(name) && !FCALL_NAMES.has(name)) return command;
  const flags = scriptFlagsOf(node, name, argv);
  if (flags === undefined || flags.compat) return command;
  const names = flags.names;
  const derived = command.flags.filter((flag) => !REPLACED.has(flag));
  if (!names.has('allow-oom') && !names.has('no-writes')) derived.push('denyoom');
  if (!names.has('no-writes')) derived.push('write');
  if (names.has('allow-stale')) derived.push('stale');
  return { ...command, flags: derived };
}
