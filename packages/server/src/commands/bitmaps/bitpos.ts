/**
 * BITPOS key bit [start [end [BYTE|BIT]]]
 *
 * The position of the first bit equal to `bit` in the string or in a range of it, a port of Redis
 * 7.0's bitposCommand: `bit` is checked first ("The bit argument must be 1 or 0."), a missing key
 * replies -1 for a 1 and 0 for a 0, then WRONGTYPE, start, the unit, end. An empty range replies
 * -1. Looking for a 0 with no end given treats the string as zero padded (the first bit past the
 * end); with an end given, no 0 in the range replies -1.
 */
import { NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { bitpos as findBit } from './bit-ops.js';
import { parseUnit, resolveRange } from './bit-range.js';

const BIT_ARGUMENT_ERROR = new ErrorReply('ERR The bit argument must be 1 or 0.');

export const bitpos: Command = defineCommand<readonly Buffer[]>({
  name: 'bitpos',
  arity: -3,
  syntax: 'key bit:integer [start:integer [end:integer [BYTE|BIT]]]',
  flags: ['readonly'],
  aclCategories: ['@read', '@bitmap', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Find first bit set or clear in a string',
    since: '2.8.7',
    group: 'bitmap',
    complexity: 'O(N)',
  },
  parse: (argv) => argv,
  execute(ctx, argv) {
    const bitArg = parseInt64(argv[2]);
    if (bitArg === undefined) return NOT_INTEGER;
    if (bitArg !== 0n && bitArg !== 1n) return BIT_ARGUMENT_ERROR;
    const bit = bitArg === 1n ? 1 : 0;
    const value = lookupRead(ctx, keyOf(argv[1]), 'string');
    if (value instanceof ErrorReply) return value;
    if (value === undefined) {
      ctx.reply.integer(bit === 1 ? -1 : 0);
      return undefined;
    }
    const bytes = value.value;
    let start = 0;
    let end = bytes.length - 1;
    let firstMask = 0;
    let lastMask = 0;
    let endGiven = false;
    if (argv.length >= 4 && argv.length <= 6) {
      const startArg = parseInt64(argv[3]);
      if (startArg === undefined) return NOT_INTEGER;
      let isBit = false;
      if (argv.length === 6) {
        const unit = parseUnit(argv[5]);
        if (unit instanceof ErrorReply) return unit;
        isBit = unit;
      }
      let endArg = BigInt(bytes.length - 1);
      if (argv.length >= 5) {
        const parsed = parseInt64(argv[4]);
        if (parsed === undefined) return NOT_INTEGER;
        endArg = parsed;
        endGiven = true;
      }
      const range = resolveRange(bytes.length, startArg, endArg, isBit);
      ({ start, end, firstMask, lastMask } = range);
    } else if (argv.length !== 3) {
      return SYNTAX_ERROR;
    }
    ctx.reply.integer(findInRange(bytes, start, end, firstMask, lastMask, bit, endGiven));
    return undefined;
  },
});

/** Where the search stopped: the position found, relative to byte `start`, and bytes left. */
interface Found {
  readonly pos: number;
  readonly start: number;
  readonly count: number;
}

/** The body of bitposCommand after the range is known, step for step. */
function findInRange(
  bytes: Buffer,
  start: number,
  end: number,
  firstMask: number,
  lastMask: number,
  bit: 0 | 1,
  endGiven: boolean,
): number {
  if (start > end) return -1;
  const { pos, start: base, count } = search(bytes, start, end, firstMask, lastMask, bit);
  // Looking for a 0 in an explicit range: "the first bit past the range" means none in it.
  if (endGiven && bit === 0 && pos === count * 8) return -1;
  return pos === -1 ? -1 : pos + base * 8;
}

/** The first byte (masked), the whole bytes, then the last byte (masked), stopping at a hit. */
function search(
  bytes: Buffer,
  startIn: number,
  end: number,
  firstMask: number,
  lastMask: number,
  bit: 0 | 1,
): Found {
  let start = startIn;
  let count = end - start + 1;
  if (firstMask !== 0) {
    let edge = bit === 1 ? (bytes[start] ?? 0) & ~firstMask : (bytes[start] ?? 0) | firstMask;
    // Only one byte: mask its other edge too.
    if (lastMask !== 0 && count === 1) edge = bit === 1 ? edge & ~lastMask : edge | lastMask;
    const pos = findBit([edge & 0xff], 0, 1, bit);
    if (count === 1 || (pos !== -1 && pos !== 8)) return { pos, start, count };
    start++;
    count--;
  }
  // The last byte, when it has bits outside the range, is looked at on its own.
  const middle = count - (lastMask !== 0 ? 1 : 0);
  if (middle > 0) {
    const pos = findBit(bytes, start, middle, bit);
    if (count === middle || (pos !== -1 && pos !== middle * 8)) return { pos, start, count };
    start += middle;
    count -= middle;
  }
  const edge = bit === 1 ? (bytes[end] ?? 0) & ~lastMask : (bytes[end] ?? 0) | lastMask;
  return { pos: findBit([edge & 0xff], 0, 1, bit), start, count };
}
