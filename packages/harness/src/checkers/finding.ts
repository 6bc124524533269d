/**
 * What a checker reports. A finding names the ops and events that prove it (by history index), so a
 * reader (or the report) can jump to them.
 *
 * - violation: something Redis promises did not hold: a bug (in replisim, or in a real server);
 * - undecided: the checker could not tell (a read that never completed, a wait that ran out);
 * - permitted: an acknowledged write was lost in a way the configuration allows (the lost-write
 *   ledger lists these so nobody mistakes "allowed" for "safe");
 * - held: the property was checked and held (one per checker that had something to check).
 *
 * `phase` separates safety (nothing bad happened) from liveness (the cluster converged after healing).
 */
export type Severity = 'violation' | 'undecided' | 'permitted' | 'held';

export interface Finding {
  readonly checker: string;
  readonly severity: Severity;
  readonly phase: 'safety' | 'liveness';
  readonly text: string;
  readonly ops?: readonly number[];
  readonly events?: readonly number[];
}
