/**
 * The arguments LMPOP, BLMPOP, ZMPOP and BZMPOP share (t_list.c lmpopGenericCommand, t_zset.c
 * zmpopGenericCommand): `numkeys key [key ...] <where> [COUNT count]`, checked in Redis's order:
 * numkeys ("numkeys should be greater than 0" for anything but a positive integer), then a where
 * word right after the keys (syntax error if missing or another word), then at most one COUNT
 * ("count should be greater than 0"), and any other word is a syntax error. The blocking forms
 * read their timeout after all of this (blocking.ts callers).
 */
import { isKeyword, parseInt64, SYNTAX_ERROR } from './errors.js';
import { keyOf } from './lookup.js';
import { ErrorReply } from './types.js';

const NUMKEYS_ERROR = new ErrorReply('ERR numkeys should be greater than 0');
const COUNT_ERROR = new ErrorReply('ERR count should be greater than 0');

export interface MpopArgs<Where extends string> {
  readonly keys: readonly string[];
  readonly where: Where;
  /** 1 when COUNT is not given (Redis: count -1 becomes 1). */
  readonly count: number;
}

/** A positive long (getRangeLongFromObjectOrReply 1..LONG_MAX), or undefined. */
function positiveLong(arg: Buffer | undefined): bigint | undefined {
  const value = parseInt64(arg);
  return value === undefined || value < 1n ? undefined : value;
}

export function parseMpop<Where extends string>(
  argv: readonly Buffer[],
  numkeysIndex: number,
  wheres: readonly Where[],
): MpopArgs<Where> | ErrorReply {
  const numkeys = positiveLong(argv[numkeysIndex]);
  if (numkeys === undefined) return NUMKEYS_ERROR;
  const whereIndex = BigInt(numkeysIndex) + numkeys + 1n;
  if (whereIndex >= BigInt(argv.length)) return SYNTAX_ERROR;
  const at = Number(whereIndex);
  const where = wheres.find((word) => isKeyword(argv[at], word));
  if (where === undefined) return SYNTAX_ERROR;
  let count: bigint | undefined;
  for (let j = at + 1; j < argv.length; j++) {
    if (count === undefined && isKeyword(argv[j], 'count') && j + 1 < argv.length) {
      j++;
      count = positiveLong(argv[j]);
      if (count === undefined) return COUNT_ERROR;
    } else {
      return SYNTAX_ERROR;
    }
  }
  // Counts past the safe-integer range pop everything anyway.
  const safeCount = count === undefined ? 1 : Number(count > 2n ** 52n ? 2n ** 52n : count);
  return { keys: argv.slice(numkeysIndex + 1, at).map(keyOf), where, count: safeCount };
}

/** RW access delete: the key-spec flags of the keys a pop command takes from. */
export const POP_KEY_FLAGS: readonly string[] = ['RW', 'access', 'delete'];

/**
 * A *STORE command's keys: the destination at 1, then the numkeys sources (none at all when
 * numkeys is bad, as zunionInterDiffStoreGetKeys); the destination is OW update, sources RO.
 */
export function storeKeyIndexes(argv: readonly Buffer[]): number[] {
  const sources = mpopKeyIndexes(argv, 2);
  return sources.length === 0 ? [] : [1, ...sources];
}

export function storeKeyFlags(index: number): readonly string[] {
  return index === 1 ? ['OW', 'update'] : ['RO', 'access'];
}

/** The key indexes of an mpop command's argv (COMMAND GETKEYS), or none if numkeys is bad. */
export function mpopKeyIndexes(argv: readonly Buffer[], numkeysIndex: number): number[] {
  const numkeys = positiveLong(argv[numkeysIndex]);
  if (numkeys === undefined || BigInt(numkeysIndex) + numkeys >= BigInt(argv.length)) return [];
  return Array.from({ length: Number(numkeys) }, (_, i) => numkeysIndex + 1 + i);
}
