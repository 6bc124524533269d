/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
 *
 * The longest common subsequence of two strings (a missing key is the empty string), by Redis 7.0's
 * dynamic-programming table and backward walk (t_string.c lcsCommand), so ties resolve as Redis
 * resolves them. Replies the subsequence; with LEN its length; with IDX a map (RESP2: a flat
 * array) of `matches`, the matched ranges from the end of the strings backwards as
 * [[a-start, a-end], [b-start, b-end]] (plus the length with WITHMATCHLEN, only ranges at least
 * MINMATCHLEN long, a negative MINMATCHLEN meaning 0), and `len`.
 *
 * Checks as Redis: both keys are looked up first ("The specified keys must contain string values"
 * for another type), then the options in order (syntax error, MINMATCHLEN's integer), then LEN
 * with IDX ("If you want both the length and indexes, please just use IDX."). The table needs
 * (len1+1)*(len2+1) cells of 4 bytes; past LCS_TABLE_BYTES_MAX replisim replies Redis's
 * allocation-failure error instead of trying.
 */
import { isKeyword, NOT_INTEGER, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';

/** The largest LCS table replisim allocates (Redis: whatever malloc gives). */
export const LCS_TABLE_BYTES_MAX: number = 512 * 1024 * 1024;

interface LcsArgs {
  readonly keys: readonly [string, string];
  readonly options: readonly Buffer[];
}

export const lcs: Command = defineCommand<LcsArgs>({
  name: 'lcs',
  arity: -3,
  syntax: 'key1:key key2:key [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]',
  flags: ['readonly'],
  aclCategories: ['@read', '@string', '@slow'],
  keys: { first: 1, last: 2, step: 1 },
  doc: {
    summary: 'Find longest common substring',
    since: '7.0.0',
    group: 'string',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  },
  parse: (argv) => ({ keys: [keyOf(argv[1]), keyOf(argv[2])], options: argv.slice(3) }),
  execute(ctx, { keys, options }) {
    const first = lookupRead(ctx, keys[0], 'string');
    const second = lookupRead(ctx, keys[1], 'string');
    if (first instanceof ErrorReply || second instanceof ErrorReply) {
      return new ErrorReply('ERR The specified keys must contain string values');
    }
    let getLen = false;
    let getIdx = false;
    let withMatchLen = false;
    let minMatchLen = 0n;
    for (let j = 0; j < options.length; j++) {
      const option = options[j];
      if (isKeyword(option, 'idx')) getIdx = true;
      else if (isKeyword(option, 'len')) getLen = true;
      else if (isKeyword(option, 'withmatchlen')) withMatchLen = true;
      else if (isKeyword(option, 'minmatchlen') && j + 1 < options.length) {
        const parsed = parseInt64(options[j + 1]);
        if (parsed === undefined) return NOT_INTEGER;
        minMatchLen = parsed < 0n ? 0n : parsed;
        j++;
      } else return SYNTAX_ERROR;
    }
    if (getIdx && getLen) {
      return new ErrorReply('ERR If you want both the length and indexes, please just use IDX.');
    }
    const a = first?.value ?? Buffer.alloc(0);
    const b = second?.value ?? Buffer.alloc(0);
    const width = b.length + 1;
    if ((a.length + 1) * width * 4 > LCS_TABLE_BYTES_MAX) {
      return new ErrorReply('ERR Insufficient memory, failed allocating transient memory for LCS');
    }
    const table = buildTable(a, b);
    const at = (i: number, j: number): number => table[j + i * width] ?? 0;
    const total = at(a.length, b.length);
    const reply = ctx.reply;
    if (getLen) {
      reply.integer(total);
      return undefined;
    }
    const result = Buffer.alloc(total);
    const ranges: (readonly number[])[] = [];
    let idx = total;
    let i = a.length;
    let j = b.length;
    // The current range; aStart === a.length means none is open.
    let aStart = a.length;
    let aEnd = 0;
    let bStart = 0;
    let bEnd = 0;
    while (i > 0 && j > 0) {
      let emit = false;
      if (a[i - 1] === b[j - 1]) {
        result[idx - 1] = a[i - 1] ?? 0;
        if (aStart === a.length) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart === i && bStart === j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart === 0 || bStart === 0) emit = true;
        idx--;
        i--;
        j--;
      } else {
        if (at(i - 1, j) > at(i, j - 1)) i--;
        else j--;
        if (aStart !== a.length) emit = true;
      }
      if (emit) {
        const matchLen = aEnd - aStart + 1;
        if (minMatchLen === 0n || BigInt(matchLen) >= minMatchLen) {
          ranges.push([aStart, aEnd, bStart, bEnd, matchLen]);
        }
        aStart = a.length;
      }
    }
    if (!getIdx) {
      reply.bulk(result);
      return undefined;
    }
    reply.mapHeader(2);
    reply.bulk('matches');
    reply.arrayHeader(ranges.length);
    for (const [as, ae, bs, be, length] of ranges) {
      reply.arrayHeader(withMatchLen ? 3 : 2);
      reply.arrayHeader(2);
      reply.integer(as ?? 0);
      reply.integer(ae ?? 0);
      reply.arrayHeader(2);
      reply.integer(bs ?? 0);
      reply.integer(be ?? 0);
      if (withMatchLen) reply.integer(length ?? 0);
    }
    reply.bulk('len');
    reply.integer(total);
    return undefined;
  },
});

/** LCS(i, j) for every prefix pair, row by row: cell j + i * (b.length + 1). */
function buildTable(a: Buffer, b: Buffer): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const row = i * width;
    const above = row - width;
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) table[row + j] = (table[above + j - 1] ?? 0) + 1;
      else table[row + j] = Math.max(table[above + j] ?? 0, table[row + j - 1] ?? 0);
    }
  }
  return table;
}
