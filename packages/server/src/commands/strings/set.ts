/**
 * SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
 *   PXAT unix-time-milliseconds | KEEPTTL]
 *
 * Stores a string. Replies +OK; a null bulk when NX/XX prevented the write; with GET, the old value
 * (or null) whether or not the write happened, and WRONGTYPE if the old value is not a string.
 *
 * Option parsing follows Redis 7.0's parseExtendedStringArgumentsOrReply exactly: conflicting options
 * are a syntax error, a repeated expiry option of the same kind is allowed (the last wins), and the
 * expiry is validated only after all options parsed: not an integer -> "value is not an integer",
 * <= 0 or overflowing -> "invalid expire time in 'set' command".
 */
import { NOT_INTEGER, parseInt64, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import { type Command, defineCommand, ErrorReply, ONE_KEY } from '../types.js';

type ExpiryKind = 'ex' | 'px' | 'exat' | 'pxat';

interface SetArgs {
  readonly key: string;
  readonly value: Buffer;
  readonly condition: 'nx' | 'xx' | undefined;
  readonly get: boolean;
  readonly keepTtl: boolean;
  readonly expiry: { readonly kind: ExpiryKind; readonly amount: Buffer } | undefined;
}

const INT64_MAX = 2n ** 63n - 1n;
const INVALID_EXPIRE = new ErrorReply("ERR invalid expire time in 'set' command");

/** Parses options from argv[3] on; returns the options or a syntax error. */
function parseOptions(argv: readonly Buffer[]): Omit<SetArgs, 'key' | 'value'> | ErrorReply {
  let condition: SetArgs['condition'];
  let get = false;
  let keepTtl = false;
  let expiry: SetArgs['expiry'];
  for (let j = 3; j < argv.length; j++) {
    const option = (argv[j] ?? Buffer.alloc(0)).toString('latin1').toLowerCase();
    const next = argv[j + 1];
    if (option === 'nx' && condition !== 'xx') condition = 'nx';
    else if (option === 'xx' && condition !== 'nx') condition = 'xx';
    else if (option === 'get') get = true;
    else if (option === 'keepttl' && expiry === undefined) keepTtl = true;
    else if (
      isExpiryOption(option) &&
      !keepTtl &&
      (expiry === undefined || expiry.kind === option) &&
      next !== undefined
    ) {
      expiry = { kind: option, amount: next };
      j++;
    } else return SYNTAX_ERROR;
  }
  return { condition, get, keepTtl, expiry };
}

function isExpiryOption(option: string): option is ExpiryKind {
  return option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat';
}

/** The absolute deadline in ms for an expiry option, or the error Redis replies. */
export function expiryDeadlineMs(
  kind: ExpiryKind,
  amount: Buffer,
  nowMs: number,
  command: string,
): number | ErrorReply {
  const invalid =
    command === 'set'
      ? INVALID_EXPIRE
      : new ErrorReply(`ERR invalid expire time in '${command}' command`);
  const parsed = parseInt64(amount);
  if (parsed === undefined) return NOT_INTEGER;
  const seconds = kind === 'ex' || kind === 'exat';
  if (parsed <= 0n || (seconds && parsed > INT64_MAX / 1000n)) return invalid;
  let ms = seconds ? parsed * 1000n : parsed;
  if (kind === 'ex' || kind === 'px') ms += BigInt(nowMs);
  if (ms <= 0n || ms > INT64_MAX) return invalid;
  return Number(ms);
}

const toArg = (part: string | Buffer): Buffer =>
  typeof part === 'string' ? Buffer.from(part, 'latin1') : part;

export const set: Command = defineCommand<SetArgs>({
  name: 'set',
  arity: -3,
  syntax:
    'key value [NX|XX] [GET] [EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|KEEPTTL]',
  flags: ['write', 'denyoom'],
  aclCategories: ['@write', '@string', '@slow'],
  keys: ONE_KEY,
  doc: {
    summary: 'Set the string value of a key',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
  },
  parse(argv) {
    const key = (argv[1] ?? Buffer.alloc(0)).toString('latin1');
    const value = argv[2] ?? Buffer.alloc(0);
    if (argv.length === 3) {
      return { key, value, condition: undefined, get: false, keepTtl: false, expiry: undefined };
    }
    const options = parseOptions(argv);
    return options instanceof ErrorReply ? options : { key, value, ...options };
  },
  execute(ctx, args) {
    const { db, reply } = ctx;
    let deadlineMs: number | undefined;
    if (args.expiry !== undefined) {
      const deadline = expiryDeadlineMs(args.expiry.kind, args.expiry.amount, ctx.nowMs, 'set');
      if (deadline instanceof ErrorReply) return deadline;
      deadlineMs = deadline;
    }
    const old = db.lookup(args.key, ctx.nowMs);
    if (args.get && old !== undefined && old.type !== 'string') return WRONG_TYPE;
    const blocked =
      (args.condition === 'nx' && old !== undefined) ||
      (args.condition === 'xx' && old === undefined);
    if (!blocked) {
      // Redis copies the argument; our argv Buffers may be views into a shared read buffer.
      db.set(args.key, { type: 'string', value: Buffer.from(args.value) }, args.keepTtl);
      if (deadlineMs !== undefined) db.setExpiry(args.key, deadlineMs);
      ctx.modified(args.key);
      // Every expiry goes to replicas as `SET key value PXAT <abs-ms>` (t_string.c), a PXAT
      // given in lower case or with NX/XX/GET included: Redis rewrites those too.
      if (deadlineMs !== undefined) {
        ctx.propagateAs(['SET', args.key, args.value, 'PXAT', String(deadlineMs)].map(toArg));
      }
    }
    if (args.get) {
      if (old === undefined || old.type !== 'string') reply.nullBulk();
      else reply.bulk(old.value);
    } else if (blocked) {
      reply.nullBulk();
    } else {
      reply.simple('OK');
    }
    return undefined;
  },
});
