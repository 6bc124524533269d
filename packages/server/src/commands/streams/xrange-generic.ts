/**
 * XRANGE key start end [COUNT count] and XREVRANGE key end start [COUNT count]
 * (t_stream.c xrangeGenericCommand).
 *
 * A bare `<ms>` start means `<ms>-0` and a bare end `<ms>-18446744073709551615`; `-` and `+` are
 * the extremes; a `(` prefix excludes the bound. Checks in Redis's order: start, end, then COUNT
 * (repeatable, the last wins, a negative count means 0, anything else a syntax error), then the key
 * (missing: an empty array; WRONGTYPE). COUNT 0 replies a null array (RESP2 `*-1`, RESP3 `_`).
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, type CommandDoc, defineCommand, ErrorReply } from '../types.js';
import { collectRange, replyEntry } from './stream-common.js';
import { parseIntervalId } from './stream-id.js';

interface RangeArgs {
  readonly key: string;
  readonly start: bigint;
  readonly end: bigint;
  /** -1 = no COUNT. */
  readonly count: number;
}

export function defineRange(name: string, rev: boolean, doc: CommandDoc): Command {
  return defineCommand<RangeArgs>({
    name,
    arity: -4,
    syntax: rev ? 'key end start [COUNT count:integer]' : 'key start end [COUNT count:integer]',
    flags: ['readonly'],
    aclCategories: ['@read', '@stream', '@slow'],
    keys: { first: 1, last: 1, step: 1 },
    doc,
    parse(argv) {
      const start = parseIntervalId(rev ? argv[3] : argv[2], 0n, 'start');
      if (start instanceof ErrorReply) return start;
      const end = parseIntervalId(rev ? argv[2] : argv[3], (1n << 64n) - 1n, 'end');
      if (end instanceof ErrorReply) return end;
      let count = -1;
      for (let j = 4; j < argv.length; j++) {
        if (isKeyword(argv[j], 'count') && j + 1 < argv.length) {
          const value = parseInt64(argv[j + 1]);
          if (value === undefined) return NOT_INTEGER;
          count = value < 0n ? 0 : Number(value);
          j++;
        } else {
          return SYNTAX_ERROR;
        }
      }
      return { key: keyOf(argv[1]), start, end, count };
    },
    execute(ctx, args) {
      const found = lookupRead(ctx, args.key, 'stream');
      if (found instanceof ErrorReply) return found;
      if (found === undefined) {
        ctx.reply.arrayHeader(0);
        return undefined;
      }
      if (args.count === 0) {
        ctx.reply.nullArray();
        return undefined;
      }
      const count = Math.max(args.count, 0);
      const entries = collectRange(found.value, args.start, args.end, rev, count);
      ctx.reply.arrayHeader(entries.length);
      for (const entry of entries) replyEntry(ctx.reply, entry);
      return undefined;
    },
  });
}
