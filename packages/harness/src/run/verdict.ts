/**
 * A run's verdict, from the scenario's expectations and the checkers' findings:
 * - violated (exit 1): an expectation failed or a checker found a violation;
 * - undecided (exit 2): a wait ran out, or the harness crashed, and nothing was violated;
 * - held (exit 0): everything that was checked held.
 */
import type { Finding } from '../checkers/finding.js';

export type Verdict = 'held' | 'violated' | 'undecided';

export interface Expectation {
  readonly ok: boolean;
  readonly line: string;
}

export function decideVerdict(
  expectations: readonly Expectation[],
  findings: readonly Finding[],
  undecided: string | undefined,
): Verdict {
  if (expectations.some((e) => !e.ok) || findings.some((f) => f.severity === 'violation')) {
    return 'violated';
  }
  if (undecided !== undefined || findings.some((f) => f.severity === 'undecided'))
    return 'undecided';
  return 'held';
}

export function exitCodeOf(verdict: Verdict): number {
  return verdict === 'held' ? 0 : verdict === 'violated' ? 1 : 2;
}
