/**
 * The shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT, following Redis 7.0's
 * expireGenericCommand step by step:
 *
 * 1. Options NX | XX | GT | LT (any case, repeatable) are parsed first: an unknown word is "ERR
 *    Unsupported option <word>"; NX with any other is "ERR NX and XX, GT or LT options at the same
 *    time are not compatible"; GT with LT is "ERR GT and LT options at the same time are not
 *    compatible".
 * 2. The time must be a 64-bit integer (negative allowed). Seconds are multiplied by 1000 and the
 *    base time (now, for the relative forms) added; an overflow either way is "ERR invalid expire
 *    time in '<command>' command".
 * 3. A missing key replies 0. NX needs no TTL, XX needs one, GT needs a TTL below the new deadline
 *    (no TTL counts as infinite, so GT never applies to it), LT needs no TTL or one above it;
 *    otherwise 0.
 * 4. A deadline at or before now deletes the key on a master (replies 1, propagates `DEL key`); a
 *    replica stores it and waits for its master's DEL. Otherwise the deadline is set (replies 1)
 *    and propagated as `PEXPIREAT key <abs-ms>` followed by the options as received, exactly the
 *    argument vector Redis rewrites (only the name and the time argument are replaced).
 *
 * Deadlines are kept as JS numbers: beyond 2^53 ms (year 287396) they lose precision in TTL
 * replies; the propagated deadline is the exact integer.
 */
import { isKeyword, NOT_INTEGER, parseInt64 } from '../errors.js';
import { keyOf } from '../lookup.js';
import { type CommandContext, ErrorReply } from '../types.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type ExpireCondition = 'nx' | 'xx' | 'gt' | 'lt';

export interface ExpireArgs {
  readonly keyArg: Buffer;
  readonly key: string;
  readonly when: bigint;
  readonly conditions: ReadonlySet<ExpireCondition>;
  /** The option words as received, propagated after the rewritten deadline. */
  readonly optionArgs: readonly Buffer[];
}

export interface ExpireForm {
  /** Lower-case command name, for the invalid-time error. */
  readonly command: string;
  readonly seconds: boolean;
  /** EXPIRE and PEXPIRE add the command's time; the AT forms are absolute. */
  readonly relative: boolean;
}

const NX_INCOMPATIBLE = new ErrorReply(
  'ERR NX and XX, GT or LT options at the same time are not compatible',
);
const GT_LT_INCOMPATIBLE = new ErrorReply(
  'ERR GT and LT options at the same time are not compatible',
);
const CONDITIONS: readonly ExpireCondition[] = ['nx', 'xx', 'gt', 'lt'];

export function parseExpire(argv: readonly Buffer[]): ExpireArgs | ErrorReply {
  const conditions = new Set<ExpireCondition>();
  const optionArgs = argv.slice(3);
  for (const arg of optionArgs) {
    const condition = CONDITIONS.find((name) => isKeyword(arg, name));
    if (condition === undefined) {
      return new ErrorReply(`ERR Unsupported option ${arg.toString('latin1')}`);
    }
    conditions.add(condition);
  }
  const nx = conditions.has('nx');
  if (nx && (conditions.has('xx') || conditions.has('gt') || conditions.has('lt'))) {
    return NX_INCOMPATIBLE;
  }
  if (conditions.has('gt') && conditions.has('lt')) return GT_LT_INCOMPATIBLE;
  const when = parseInt64(argv[2]);
  if (when === undefined) return NOT_INTEGER;
  const keyArg = argv[1] ?? Buffer.alloc(0);
  return { keyArg, key: keyOf(keyArg), when, conditions, optionArgs };
}

/** The absolute deadline in ms, or undefined if computing it overflows a signed 64-bit integer. */
export function absoluteDeadlineMs(
  when: bigint,
  form: ExpireForm,
  nowMs: number,
): bigint | undefined {
  let ms = when;
  if (form.seconds) {
    if (ms > INT64_MAX / 1000n || ms < INT64_MIN / 1000n) return undefined;
    ms *= 1000n;
  }
  const base = form.relative ? BigInt(nowMs) : 0n;
  if (ms > INT64_MAX - base) return undefined;
  return ms + base;
}

/** Whether the NX/XX/GT/LT conditions allow replacing `current` (undefined: no TTL) by `deadline`. */
function conditionsAllow(
  conditions: ReadonlySet<ExpireCondition>,
  current: number | undefined,
  deadline: bigint,
): boolean {
  if (conditions.has('nx') && current !== undefined) return false;
  if (conditions.has('xx') && current === undefined) return false;
  if (conditions.has('gt') && (current === undefined || deadline <= BigInt(current))) return false;
  if (conditions.has('lt') && current !== undefined && deadline >= BigInt(current)) return false;
  return true;
}

export function executeExpire(
  ctx: CommandContext,
  args: ExpireArgs,
  form: ExpireForm,
): ErrorReply | undefined {
  const deadline = absoluteDeadlineMs(args.when, form, ctx.nowMs);
  if (deadline === undefined) {
    return new ErrorReply(`ERR invalid expire time in '${form.command}' command`);
  }
  const { db } = ctx;
  if (db.lookup(args.key, ctx.nowMs) === undefined) {
    ctx.reply.integer(0);
    return undefined;
  }
  if (!conditionsAllow(args.conditions, db.expiryOf(args.key), deadline)) {
    ctx.reply.integer(0);
    return undefined;
  }
  if (deadline <= BigInt(ctx.nowMs) && db.deleteExpired) {
    db.delete(args.key);
    ctx.modified(args.key);
    ctx.propagateAs([Buffer.from('DEL'), args.keyArg]);
    ctx.reply.integer(1);
    return undefined;
  }
  db.setExpiry(args.key, Number(deadline));
  ctx.modified(args.key);
  if (form.command !== 'pexpireat') {
    ctx.propagateAs([
      Buffer.from('PEXPIREAT'),
      args.keyArg,
      Buffer.from(deadline.toString()),
      ...args.optionArgs,
    ]);
  }
  ctx.reply.integer(1);
  return undefined;
}
