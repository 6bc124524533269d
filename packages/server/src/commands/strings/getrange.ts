/**
 * GETRANGE key start end
 *
 * Replies the bytes of the string at `key` from `start` to `end` inclusive; negative indexes count
 * from the end. Both indexes are parsed first (not an integer -> "value is not an integer or out
 * of range"), then the key: missing -> an empty bulk (not null), another type -> WRONGTYPE. Then, as
 * getrangeCommand: both negative with start > end -> empty; negative indexes add the length and
 * clamp at 0; end clamps to the last byte; start > end or an empty string -> empty.
 *
 * SUBSTR (substr.ts) is the deprecated alias with the same behaviour.
 */
import { NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

interface GetrangeArgs {
  readonly key: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** The [from, to) byte range GETRANGE replies for a string of `length` bytes. */
export function getrangeBounds(length: number, start: bigint, end: bigint): [number, number] {
  const size = BigInt(length);
  if (start < 0n && end < 0n && start > end) return [0, 0];
  let from = start < 0n ? size + start : start;
  let to = end < 0n ? size + end : end;
  if (from < 0n) from = 0n;
  if (to < 0n) to = 0n;
  if (to >= size) to = size - 1n;
  if (from > to || length === 0) return [0, 0];
  return [Number(from), Number(to) + 1];
}

export function defineGetrange(name: 'getrange' | 'substr', since: string): Command {
  return defineCommand<GetrangeArgs>({
    name,
    arity: 4,
    syntax: 'key start:integer end:integer',
    flags: ['readonly'],
    aclCategories: ['@read', '@string', '@slow'],
    keys: ONE_KEY,
    doc: {
      summary: 'Get a substring of the string stored at a key',
      since,
      group: 'string',
      complexity:
        'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    },
    parse(argv) {
      const start = parseInt64(argv[2]);
      const end = parseInt64(argv[3]);
      if (start === undefined || end === undefined) return NOT_INTEGER;
      return { key: keyOf(argv[1]), start, end };
    },
    execute(ctx, { key, start, end }) {
      const value = lookupRead(ctx, key, 'string');
      if (value instanceof ErrorReply) return value;
      const bytes = value?.value ?? Buffer.alloc(0);
      const [from, to] = getrangeBounds(bytes.length, start, end);
      ctx.reply.bulk(bytes.subarray(from, to));
      return undefined;
    },
  });
}

export const getrange: Command = defineGetrange('getrange', '2.4.0');
