/**
 * INCR key
 *
 * Adds 1 to the integer at `key` (0 if missing) and replies the new value. The shared engine for
 * INCR, DECR, INCRBY and DECRBY (incrDecrCommand): WRONGTYPE for another type; a value that is not
 * a canonical 64-bit decimal -> "value is not an integer or out of range"; a result outside int64
 * -> "increment or decrement would overflow". The result is stored as its decimal (an int, for
 * OBJECT ENCODING) and keeps the key's time to live. Propagated as received.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupWrite } from '../lookup.js';
import {
  type Command,
  type CommandContext,
  type CommandFlag,
  defineCommand,
  ErrorReply,
  ONE_KEY,
} from '../types.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const OVERFLOW = new ErrorReply('ERR increment or decrement would overflow');

export interface IncrArgs {
  readonly key: string;
  readonly increment: bigint;
}

export const INCR_FLAGS: readonly CommandFlag[] = ['write', 'denyoom', 'fast'];
export const INCR_ACL: readonly string[] = ['@write', '@string', '@fast'];

export function incrDecr(
  ctx: CommandContext,
  key: string,
  increment: bigint,
): ErrorReply | undefined {
  const old = lookupWrite(ctx, key, 'string');
  if (old instanceof ErrorReply) return old;
  const current = old === undefined ? 0n : parseInt64(old.value);
  if (current === undefined) return NOT_INTEGER;
  const result = current + increment;
  if (result < INT64_MIN || result > INT64_MAX) return OVERFLOW;
  ctx.db.set(key, { type: 'string', value: Buffer.from(result.toString(), 'latin1') }, true);
  ctx.modified(key);
  ctx.reply.integer(result);
  return undefined;
}

export const incr: Command = defineCommand<IncrArgs>({
  name: 'incr',
  arity: 2,
  syntax: 'key',
  flags: INCR_FLAGS,
  aclCategories: INCR_ACL,
  keys: ONE_KEY,
  doc: {
    summary: 'Increment the integer value of a key by one',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse: (argv) => ({ key: keyOf(argv[1]), increment: 1n }),
  execute: (ctx, { key, increment }) => incrDecr(ctx, key, increment),
});
