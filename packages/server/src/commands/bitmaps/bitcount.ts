/**
 * BITCOUNT key [start end [BYTE|BIT]]
 *
 * Counts the set bits of the string, or of a range of it in bytes (default) or bits. As Redis
 * 7.0's bitcountCommand: the key is looked up first (a missing key replies 0 whatever the other
 * arguments), then start and end must be integers, a negative range with start > end replies 0
 * before the unit is read, and any other argument count is a syntax error.
 */
import { NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { popcount } from './bit-ops.js';
import { parseUnit, resolveRange } from './bit-range.js';

export const bitcount: Command = defineCommand<readonly Buffer[]>({
  name: 'bitcount',
  arity: -2,
  syntax: 'key [start:integer end:integer [BYTE|BIT]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@bitmap', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Count set bits in a string',
    since: '2.6.0',
    group: 'bitmap',
    complexity: 'O(N)',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const value = lookupRead(ctx, keyOf(argv[1]), 'string');
    if (value instanceof ErrorReply) return value;
    if (value === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    const bytes = value.value;
    if (argv.length === 2) {
      ctx.reply.integer(popcount(bytes, 0, bytes.length));
      return undefined;
    }
    if (argv.length !== 4 && argv.length !== 5) return SYNTAX_ERROR;
    const start = parseInt64(argv[2]);
    if (start === undefined) return NOT_INTEGER;
    const end = parseInt64(argv[3]);
    if (end === undefined) return NOT_INTEGER;
    if (start < 0n && end < 0n && start > end) {
      ctx.reply.integer(0);
      return undefined;
    }
    const isBit = argv.length === 5 ? parseUnit(argv[4]) : false;
    if (isBit instanceof ErrorReply) return isBit;
    const range = resolveRange(bytes.length, start, end, isBit);
    if (range.start > range.end) {
      ctx.reply.integer(0);
      return undefined;
    }
    let count = popcount(bytes, range.start, range.end - range.start + 1);
    // Bits of the edge bytes outside a BIT range were counted: take them back out.
    if (range.firstMask !== 0)
      count -= popcount([(bytes[range.start] ?? 0) & range.firstMask], 0, 1);
    if (range.lastMask !== 0) count -= popcount([(bytes[range.end] ?? 0) & range.lastMask], 0, 1);
    ctx.reply.integer(count);
    return undefined;
  },
});
