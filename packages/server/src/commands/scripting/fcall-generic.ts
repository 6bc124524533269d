/**
 * What FCALL and FCALL_RO share (functions.c's fcallCommandGeneric): the function is looked up
 * first (by exact name), then `numkeys` is checked, then the function runs with keys and
 * arguments as its two tables.
 */
import { scriptingOf } from '../../scripting/engine.js';
import { parseInt64 } from '../errors.js';
import { type CommandContext, type CommandFlag, ErrorReply } from '../types.js';

export const FCALL_FLAGS: readonly CommandFlag[] = [
  'noscript',
  'stale',
  'skip_monitor',
  'no_mandatory_keys',
  'no_propagate',
];

export const FCALL_RO_FLAGS: readonly CommandFlag[] = [
  'readonly',
  'noscript',
  'stale',
  'skip_monitor',
  'no_mandatory_keys',
  'no_propagate',
];

export function fcall(
  ctx: CommandContext,
  argv: readonly Buffer[],
  roCommand: boolean,
): ErrorReply | undefined {
  const functions = scriptingOf(ctx.node).functions;
  const info = functions.functions.get(
    (argv[1] ?? Buffer.alloc(0)).toString('latin1').toLowerCase(),
  );
  if (info === undefined) return new ErrorReply('ERR Function not found');
  const numkeys = parseInt64(argv[2]);
  if (numkeys === undefined) return new ErrorReply('ERR Bad number of keys provided');
  if (numkeys > BigInt(argv.length - 3)) {
    return new ErrorReply("ERR Number of keys can't be greater than number of args");
  }
  if (numkeys < 0n) return new ErrorReply("ERR Number of keys can't be negative");
  const n = Number(numkeys);
  return functions.call(
    argv,
    info,
    ctx.client,
    ctx.nowMs,
    argv.slice(3, 3 + n),
    argv.slice(3 + n),
    roCommand,
  );
}
