/**
 * What EVAL, EVALSHA, EVAL_RO and EVALSHA_RO share (eval.c's evalGenericCommand): parsing
 * `numkeys` with Redis's checks in Redis's order, and running the cached script. Flags: none of
 * them is a write by itself (its commands are checked one by one inside the script), they are
 * refused inside scripts (`noscript`), and they are never propagated: the script's effects are.
 */
import { scriptingOf } from '../../scripting/engine.js';
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import type { CommandContext, CommandFlag } from '../types.js';
import { ErrorReply } from '../types.js';

export interface EvalArgs {
  readonly argv: readonly Buffer[];
  readonly script: Buffer;
  readonly keys: readonly Buffer[];
  readonly args: readonly Buffer[];
}

export const EVAL_FLAGS: readonly CommandFlag[] = [
  'noscript',
  'stale',
  'skip_monitor',
  'no_mandatory_keys',
  'no_propagate',
];

export const EVAL_RO_FLAGS: readonly CommandFlag[] = [
  'readonly',
  'noscript',
  'stale',
  'skip_monitor',
  'no_mandatory_keys',
  'no_propagate',
];

/** Splits `<script> <numkeys> key... arg...` (argv[0] is the command name). */
export function parseEvalArgs(argv: readonly Buffer[]): EvalArgs | ErrorReply {
  const numkeys = parseInt64(argv[2]);
  if (numkeys === undefined) return NOT_INTEGER;
  if (numkeys > BigInt(argv.length - 3)) {
    return new ErrorReply("ERR Number of keys can't be greater than number of args");
  }
  if (numkeys < 0n) return new ErrorReply("ERR Number of keys can't be negative");
  const n = Number(numkeys);
  return {
    argv,
    script: argv[1] ?? Buffer.alloc(0),
    keys: argv.slice(3, 3 + n),
    args: argv.slice(3 + n),
  };
}

/** EVAL and EVAL_RO: compile the body if new, then run it. */
export function evalBody(
  ctx: CommandContext,
  args: EvalArgs,
  roCommand: boolean,
): ErrorReply | undefined {
  const engine = scriptingOf(ctx.node);
  const sha = engine.loadScript(args.script);
  if (sha instanceof ErrorReply) return sha;
  return engine.evalScript(args.argv, ctx.client, ctx.nowMs, sha, args.keys, args.args, roCommand);
}

const NOSCRIPT = new ErrorReply('NOSCRIPT No matching script. Please use EVAL.');

/** EVALSHA and EVALSHA_RO: the sha must name a cached script (any case). */
export function evalSha(
  ctx: CommandContext,
  args: EvalArgs,
  roCommand: boolean,
): ErrorReply | undefined {
  if (args.script.length !== 40) return NOSCRIPT;
  const sha = args.script.toString('latin1').toLowerCase();
  const engine = scriptingOf(ctx.node);
  if (!engine.scripts.has(sha)) return NOSCRIPT;
  return engine.evalScript(args.argv, ctx.client, ctx.nowMs, sha, args.keys, args.args, roCommand);
}
