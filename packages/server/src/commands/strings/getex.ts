/**
 * GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds |
 *   PERSIST]
 *
 * Replies the string value of `key` (a null bulk if missing, WRONGTYPE for another type) and
 * optionally changes its time to live. Order of checks as in Redis 7.0's getexCommand: option
 * syntax first (the options of SET's parser that GET accepts; a repeated option of the same kind is
 * allowed, the last wins), then the lookup and type, then the expiry value, so a missing key with a
 * bad expiry replies null.
 *
 * Propagation: an expiry becomes `PEXPIREAT key <abs-ms>` (for all four options); EXAT/PXAT already
 * in the past delete the key and propagate `DEL key` (on a master; a replica keeps the key until
 * its master's DEL, as checkAlreadyExpired); PERSIST propagates `PERSIST key` only if the key had a
 * time to live. Without an option nothing changes and nothing propagates.
 */
import { SYNTAX_ERROR } from '../errors.js';
import { keyOf, lookupRead } from '../lookup.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';
import { toArgv } from './argv.js';
import { expiryDeadlineMs } from './set.js';

type ExpiryKind = 'ex' | 'px' | 'exat' | 'pxat';

type GetexAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'persist' }
  | { readonly kind: ExpiryKind; readonly amount: Buffer };

interface GetexArgs {
  readonly key: string;
  readonly action: GetexAction;
}

function isExpiryKind(option: string): option is ExpiryKind {
  return option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat';
}

function parseAction(argv: readonly Buffer[]): GetexAction | ErrorReply {
  let action: GetexAction = { kind: 'none' };
  for (let j = 2; j < argv.length; j++) {
    const option = (argv[j] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    const next = argv[j + 1];
    if (option === 'persist' && (action.kind === 'none' || action.kind === 'persist')) {
      action = { kind: 'persist' };
    } else if (
      isExpiryKind(option) &&
      (action.kind === 'none' || action.kind === option) &&
      next !== undefined
    ) {
      action = { kind: option, amount: next };
      j++;
    } else {
      return SYNTAX_ERROR;
    }
  }
  return action;
}

export const getex: Command = defineCommand<GetexArgs>({
  name: 'getex',
  arity: -2,
  syntax:
    'key [EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|PERSIST]',
  flags: ['write', 'fast'],
  aclCategories: ['@write', '@string', '@fast'],
  keys: ONE_KEY,
  doc: {
    summary: 'Get the value of a key and optionally set its expiration',
    since: '6.2.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse(argv) {
    const action = parseAction(argv);
    return action instanceof ErrorReply ? action : { key: keyOf(argv[1]), action };
  },
  execute(ctx, { key, action }) {
    const value = lookupRead(ctx, key, 'string');
    if (value instanceof ErrorReply) return value;
    if (value === undefined) {
      ctx.reply.nullBulk();
      return undefined;
    }
    if (action.kind === 'none') {
      ctx.reply.bulk(value.value);
      return undefined;
    }
    if (action.kind === 'persist') {
      ctx.reply.bulk(value.value);
      if (ctx.db.removeExpiry(key)) {
        ctx.modified(key);
        ctx.propagateAs(toArgv('PERSIST', key));
      }
      return undefined;
    }
    const deadlineMs = expiryDeadlineMs(action.kind, action.amount, ctx.nowMs, 'getex');
    if (deadlineMs instanceof ErrorReply) return deadlineMs;
    ctx.reply.bulk(value.value);
    const absolute = action.kind === 'exat' || action.kind === 'pxat';
    if (absolute && deadlineMs <= ctx.nowMs && ctx.db.deleteExpired) {
      ctx.db.delete(key);
      ctx.modified(key);
      ctx.propagateAs(toArgv('DEL', key));
    } else {
      ctx.db.setExpiry(key, deadlineMs);
      ctx.modified(key);
      ctx.propagateAs(toArgv('PEXPIREAT', key, String(deadlineMs)));
    }
    return undefined;
  },
});
