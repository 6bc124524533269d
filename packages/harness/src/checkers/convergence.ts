/**
 * Convergence (liveness): after every fault healed, all nodes reach the same replid, offset and
 * DEBUG DIGEST. The run waits for it within a bound (run/liveness.ts) and then takes a final sample;
 * this checker reads those final `state` events. A wait that ran out is reported by the run as
 * undecided, not here.
 */
import type { NodeEvent } from '../history/op.js';
import type { Finding } from './finding.js';

export const CONVERGENCE = 'convergence';

export function checkConvergence(events: readonly NodeEvent[]): Finding[] {
  const finals = events.filter((event) => event.kind === 'state' && event.data?.['final'] === true);
  if (finals.length === 0) return [];
  const describe = (event: NodeEvent): string =>
    `${event.node} ${String(event.data?.['replid'] ?? '').slice(0, 8)}:${String(event.data?.['offset'])} ${String(event.data?.['digest'] ?? '').slice(0, 12)}`;
  const same = (name: string): boolean =>
    new Set(finals.map((event) => String(event.data?.[name]))).size === 1;
  const converged = same('replid') && same('offset') && same('digest');
  return [
    {
      checker: CONVERGENCE,
      severity: converged ? 'held' : 'violation',
      phase: 'liveness',
      text: converged
        ? `all ${finals.length} nodes converged: same replid, offset and DEBUG DIGEST (${describe(finals[0] as NodeEvent)})`
        : `the nodes did not converge: ${finals.map(describe).join(', ')}`,
      events: finals.map((event) => event.index),
    },
  ];
}
