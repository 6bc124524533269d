/**
 * XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
 *
 * Trims the stream and replies how many entries went (0 for a missing key). With `~` only whole
 * nodes go (the first node whose removal would pass the threshold stops the trim), within LIMIT;
 * with `=` entries inside the first node left are marked deleted too. Options and errors:
 * trim-args.ts. Propagated when something went, an approximate trim as `MAXLEN|MINID = <result>`.
 */
import { keyOf, lookupWrite } from '../lookup.js';
import { type Command, defineCommand, ErrorReply } from '../types.js';
import { type AddTrimArgs, parseAddTrimArgs, rewriteApproxTrim } from './trim-args.js';

interface XtrimArgs extends AddTrimArgs {
  readonly key: string;
  readonly argv: readonly Buffer[];
}

export const xtrim: Command = defineCommand<XtrimArgs>({
  name: 'xtrim',
  arity: -4,
  syntax: 'key (MAXLEN|MINID) [=|~] threshold [LIMIT count:integer]',
  flags: ['write'],
  aclCategories: ['@write', '@stream', '@slow'],
  keys: { first: 1, last: 1, step: 1 },
  doc: {
    summary: "Trims the stream to (approximately if '~' is passed) a certain size",
    since: '5.0.0',
    group: 'stream',
    complexity:
      'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
  },
  parse(argv, ctx) {
    const options = parseAddTrimArgs(argv, ctx, false);
    if (options instanceof ErrorReply) return options;
    return { ...options, key: keyOf(argv[1]), argv };
  },
  execute(ctx, args) {
    const found = lookupWrite(ctx, args.key, 'stream');
    if (found instanceof ErrorReply) return found;
    if (found === undefined || args.trim === undefined) {
      ctx.reply.integer(0);
      return undefined;
    }
    const stream = found.value;
    const deleted = stream.trim(args.trim);
    if (deleted > 0) {
      const propagated: (Buffer | string)[] = [...args.argv];
      rewriteApproxTrim(propagated, args, stream);
      ctx.propagateAs(propagated);
      ctx.modified(args.key, deleted);
    }
    ctx.reply.integer(deleted);
    return undefined;
  },
});
