/**
 * The cron's save decisions, as Redis 7.0's serverCron makes them (reference §1.2): each condition
 * of a rule on its own, the strict "more than <seconds>", the first matching rule winning, and the
 * 5 s back-off after a failed BGSAVE that also gates a scheduled one.
 */
import { describe, expect, it } from 'vitest';
import { dueSaveRule, retryAllowed, type SaveRuleState } from './save-rules.js';

const base: SaveRuleState = {
  nowSeconds: 1000,
  dirty: 0,
  lastSaveSeconds: 1000,
  lastBgsaveTrySeconds: 0,
  lastBgsaveOk: true,
};

describe('dueSaveRule', () => {
  const rules = [
    { seconds: 2, changes: 1 },
    { seconds: 60, changes: 0 },
  ];

  it('needs strictly more than <seconds> whole seconds since the last save', () => {
    expect(dueSaveRule(rules, { ...base, dirty: 1, nowSeconds: 1002 })).toBeUndefined();
    expect(dueSaveRule(rules, { ...base, dirty: 1, nowSeconds: 1003 })).toEqual(rules[0]);
  });

  it('needs at least <changes> changes', () => {
    expect(dueSaveRule([{ seconds: 1, changes: 5 }], { ...base, dirty: 4, nowSeconds: 1010 })).toBe(
      undefined,
    );
    expect(dueSaveRule(rules, { ...base, dirty: 0, nowSeconds: 1061 })).toEqual(rules[1]);
  });

  it('waits CONFIG_BGSAVE_RETRY_DELAY (5 s, strictly) after a failed attempt', () => {
    const failed = { ...base, dirty: 1, nowSeconds: 1100, lastBgsaveOk: false };
    expect(dueSaveRule(rules, { ...failed, lastBgsaveTrySeconds: 1095 })).toBeUndefined();
    expect(dueSaveRule(rules, { ...failed, lastBgsaveTrySeconds: 1094 })).toEqual(rules[0]);
    expect(retryAllowed({ ...failed, lastBgsaveTrySeconds: 1095 })).toBe(false);
    expect(retryAllowed({ ...base, lastBgsaveTrySeconds: 1099 })).toBe(true);
  });

  it('fires nothing without rules (save "")', () => {
    expect(dueSaveRule([], { ...base, dirty: 1e9, nowSeconds: 1e9 })).toBeUndefined();
  });
});
