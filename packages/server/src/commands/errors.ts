/**
 * Error replies shared by many commands, with Redis's exact text (reference §5), and the small
 * argument parsers that produce them. One definition each, so every command answers alike.
 */
import { ErrorReply } from './types.js';

export const WRONG_TYPE: ErrorReply = new ErrorReply(
  'WRONGTYPE Operation against a key holding the wrong kind of value',
);
export const SYNTAX_ERROR: ErrorReply = new ErrorReply('ERR syntax error');
export const NOT_INTEGER: ErrorReply = new ErrorReply(
  'ERR value is not an integer or out of range',
);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a signed 64-bit decimal as Redis's string2ll: optional '-', no '+', no spaces, no leading
 * zeros. Returns a bigint so values beyond 2^53 keep their exact range checks.
 */
export function parseInt64(arg: Buffer | undefined): bigint | undefined {
  if (arg === undefined || arg.length === 0 || arg.length > 20) return undefined;
  const text = arg.toString('latin1');
  // string2ll accepts a lone "0" but not "-0".
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** parseInt64 narrowed to a JS number; undefined outside the safe-integer range. */
export function parseSafeInteger(arg: Buffer | undefined): number | undefined {
  const value = parseInt64(arg);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Case-insensitive comparison of an ASCII argument with a lower-case keyword. */
export function isKeyword(arg: Buffer | undefined, keyword: string): boolean {
  return (
    arg !== undefined &&
    arg.length === keyword.length &&
    arg.toString('latin1').toLowerCase() === keyword
  );
}

/**
 * A name as addReplyErrorFormat's `%s` prints it: up to its first NUL byte, with CR and LF turned
 * into spaces (error replies are one line).
 */
export function errorText(name: string): string {
  const nul = name.indexOf('\0');
  return (nul < 0 ? name : name.slice(0, nul)).replace(/[\r\n]/g, ' ');
}

/**
 * addReplySubcommandSyntaxError: a container's subcommand given the wrong number of arguments, named
 * as typed (at most 128 bytes), with the container's name in the HELP hint.
 */
export function subcommandSyntaxError(argv: readonly Buffer[]): ErrorReply {
  const sub = errorText((argv[1] ?? Buffer.alloc(0)).toString('latin1')).slice(0, 128);
  const command = (argv[0] ?? Buffer.alloc(0)).toString('latin1').toUpperCase();
  return new ErrorReply(
    `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${command} HELP.`,
  );
}
