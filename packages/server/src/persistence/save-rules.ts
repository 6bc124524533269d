/**
 * When the cron starts a BGSAVE by itself (server.c:serverCron), as pure decisions over seconds:
 *
 * - A `save <seconds> <changes>` rule fires when `dirty >= changes`, strictly more than `seconds`
 *   whole seconds passed since the last successful save, and either the last BGSAVE succeeded or
 *   more than CONFIG_BGSAVE_RETRY_DELAY seconds passed since the last attempt (so a failing disk is
 *   retried every 5 s, not every cron tick). The first matching rule wins; Redis logs it.
 * - A scheduled BGSAVE (BGSAVE inside MULTI/EXEC) starts under the same ok-or-5-s condition.
 *
 * Times are whole unix seconds (Redis's server.unixtime), which is why `save 2 1` with one write
 * at T0 fires at T0+3 s.
 */
import type { SaveRule } from '../config/server-config.js';

/** CONFIG_BGSAVE_RETRY_DELAY (server.h): seconds between BGSAVE attempts after a failure. */
export const CONFIG_BGSAVE_RETRY_DELAY: number = 5;

export interface SaveRuleState {
  readonly nowSeconds: number;
  readonly dirty: number;
  readonly lastSaveSeconds: number;
  readonly lastBgsaveTrySeconds: number;
  readonly lastBgsaveOk: boolean;
}

/** Whether a BGSAVE may start now as far as the failure back-off is concerned. */
export function retryAllowed(state: SaveRuleState): boolean {
  return (
    state.lastBgsaveOk || state.nowSeconds - state.lastBgsaveTrySeconds > CONFIG_BGSAVE_RETRY_DELAY
  );
}

/** The first rule that fires now, or undefined. */
export function dueSaveRule(
  rules: readonly SaveRule[],
  state: SaveRuleState,
): SaveRule | undefined {
  for (const rule of rules) {
    if (
      state.dirty >= rule.changes &&
      state.nowSeconds - state.lastSaveSeconds > rule.seconds &&
      retryAllowed(state)
    ) {
      return rule;
    }
  }
  return undefined;
}
