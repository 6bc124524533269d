/**
 * SETEX key seconds value
 *
 * Stores a string with a time to live in seconds. Replies +OK. The expiry is checked first, as in
 * setGenericCommand: not an integer -> "value is not an integer or out of range"; <= 0 or
 * overflowing -> "invalid expire time in 'setex' command". Propagated as `SET key value PXAT <ms>`
 * (the absolute deadline), as Redis 7.0 does. PSETEX (psetex.ts) is the same in milliseconds.
 */
import { keyOf } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { toArgv } from './argv.js';
import { expiryDeadlineMs } from './set.js';

interface SetexArgs {
  readonly key: string;
  readonly amount: Buffer;
  readonly value: Buffer;
}

/** SETEX and PSETEX differ only in their name, unit and doc. */
export function defineSetex(
  name: 'setex' | 'psetex',
  summary: string,
  since: string,
  syntax: string,
): Command {
  const kind = name === 'setex' ? 'ex' : 'px';
  return defineCommand<SetexArgs>({
    name,
    arity: 4,
    syntax,
    flags: ['write', 'denyoom'],
    aclCategories: ['@write', '@string', '@slow'],
    keys: ONE_KEY,
    doc: { summary, since, group: 'string', complexity: 'O(1)' },
    parse: (argv) => ({
      key: keyOf(argv[1]),
      amount: argv[2] ?? Buffer.alloc(0),
      value: argv[3] ?? Buffer.alloc(0),
    }),
    execute(ctx, args) {
      const deadlineMs = expiryDeadlineMs(kind, args.amount, ctx.nowMs, name);
      if (deadlineMs instanceof ErrorReply) return deadlineMs;
      ctx.db.lookup(args.key, ctx.nowMs);
      ctx.db.set(args.key, { type: 'string', value: Buffer.from(args.value) });
      ctx.db.setExpiry(args.key, deadlineMs);
      ctx.modified(args.key);
      ctx.propagateAs(toArgv('SET', args.key, args.value, 'PXAT', String(deadlineMs)));
      ctx.reply.simple('OK');
      return undefined;
    },
  });
}

export const setex: Command = defineSetex(
  'setex',
  'Set the value and expiration of a key',
  '2.0.0',
  'key seconds:integer value',
);
