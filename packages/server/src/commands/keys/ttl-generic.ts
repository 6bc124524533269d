/**
 * The shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME (Redis 7.0's ttlGenericCommand): -2 if
 * the key does not exist (or has expired, which deletes it as any lookup does), -1 if it has no
 * deadline, else the remaining time (never below 0) or the absolute deadline, in milliseconds or in
 * seconds rounded to nearest ((ms + 500) / 1000, integer division).
 */
import { keyOf } from '../lookup.js';
import type { CommandContext } from '../types.js';

export interface TtlForm {
  readonly milliseconds: boolean;
  readonly absolute: boolean;
}

export const parseTtl = (argv: readonly Buffer[]): string => keyOf(argv[1]);

export function executeTtl(ctx: CommandContext, key: string, form: TtlForm): undefined {
  const value = ctx.db.lookup(key, ctx.nowMs, false);
  if (value === undefined) {
    ctx.node.stats.keyspaceMisses++;
    ctx.reply.integer(-2);
    return undefined;
  }
  ctx.node.stats.keyspaceHits++;
  const deadline = ctx.db.expiryOf(key);
  if (deadline === undefined) {
    ctx.reply.integer(-1);
    return undefined;
  }
  const ms = Math.max(0, form.absolute ? deadline : deadline - ctx.nowMs);
  ctx.reply.integer(form.milliseconds ? ms : Math.floor((ms + 500) / 1000));
  return undefined;
}
