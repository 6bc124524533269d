/**
 * SINTERCARD numkeys key [key ...] [LIMIT limit]
 *
 * Replies the cardinality of the intersection, stopping at `limit` when it is not 0. Errors as
 * Redis 7.0: "numkeys should be greater than 0" (also for a non-integer), "Number of keys can't
 * be greater than number of args", "LIMIT can't be negative" (also for a non-integer), and a
 * syntax error for anything else after the keys. The keys are movable, so COMMAND INFO reports
 * no key positions (replisim has no movablekeys flag yet).
 */
import { isKeyword, parseInt64, SYNTAX_ERROR } from '../errors.js';
import { mpopKeyIndexes } from '../mpop-args.js';
import { type Command, defineCommand, ErrorReply, NO_KEYS } from '../types.js';
import { intersect } from './set-ops.js';

const BAD_NUMKEYS = new ErrorReply('ERR numkeys should be greater than 0');
const TOO_MANY_KEYS = new ErrorReply("ERR Number of keys can't be greater than number of args");
const BAD_LIMIT = new ErrorReply("ERR LIMIT can't be negative");

interface SetInterCardArgs {
  readonly keys: readonly string[];
  readonly limit: number;
}

export const sintercard: Command = defineCommand<SetInterCardArgs>({
  name: 'sintercard',
  arity: -3,
  syntax: 'numkeys:integer key [key ...] [LIMIT limit:integer]',
  flags: ['readonly', 'movablekeys'],
  aclCategories: ['@read', '@set', '@slow'],
  keys: NO_KEYS,
  keyIndexes: (argv) => mpopKeyIndexes(argv, 1),
  doc: {
    summary: 'Intersect multiple sets and return the cardinality of the result',
    since: '7.0.0',
    group: 'set',
    complexity:
      'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  },
  parse(argv) {
    const numkeys = parseInt64(argv[1]);
    if (numkeys === undefined || numkeys < 1n) return BAD_NUMKEYS;
    if (numkeys > BigInt(argv.length - 2)) return TOO_MANY_KEYS;
    const end = 2 + Number(numkeys);
    let limit = 0;
    for (let i = end; i < argv.length; i++) {
      if (!isKeyword(argv[i], 'limit') || i + 1 >= argv.length) return SYNTAX_ERROR;
      i++;
      const parsed = parseInt64(argv[i]);
      if (parsed === undefined || parsed < 0n) return BAD_LIMIT;
      limit = parsed > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(parsed);
    }
    return { keys: argv.slice(2, end).map((key) => key.toString('latin1')), limit };
  },
  execute: (ctx, args) => intersect(ctx, args.keys, { kind: 'card', limit: args.limit }),
});
