/**
 * The lost-write ledger's entries, from the lost-writes checker's findings (checkers/lost-writes.ts):
 * each lost acknowledged write with its op and the event that destroyed it, as the ledger table
 * lists them and the message diagram marks them on their client's lane.
 */
import type { Finding } from '../checkers/finding.js';
import type { NodeEvent, Op } from '../history/op.js';

export interface LostWrite {
  readonly finding: Finding;
  readonly op: Op | undefined;
  readonly destroyer: NodeEvent | undefined;
  readonly permitted: boolean;
}

export function lostWritesOf(
  findings: readonly Finding[],
  ops: readonly Op[],
  events: readonly NodeEvent[],
): LostWrite[] {
  const lost = findings.filter(
    (f) =>
      f.checker === 'lost-writes' && (f.severity === 'permitted' || f.severity === 'violation'),
  );
  if (lost.length === 0) return [];
  const opAt = new Map(ops.map((op) => [op.index, op]));
  const eventAt = new Map(events.map((event) => [event.index, event]));
  return lost.map((finding) => ({
    finding,
    op: finding.ops?.[0] === undefined ? undefined : opAt.get(finding.ops[0]),
    destroyer: finding.events?.[0] === undefined ? undefined : eventAt.get(finding.events[0]),
    permitted: finding.severity === 'permitted',
  }));
}
