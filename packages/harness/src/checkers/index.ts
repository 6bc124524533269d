/**
 * Every checker, run over one history. Each reads only ops and events (history/op.ts), never a
 * node, so the same checkers judge simulated runs and real processes.
 */
import type { NodeEvent, Op } from '../history/op.js';
import { checkConvergence } from './convergence.js';
import type { Finding } from './finding.js';
import { checkListAppend } from './list-append.js';
import { checkLostWrites } from './lost-writes.js';
import { checkSnapshotRecovery } from './snapshot-recovery.js';
import { checkOffsets, checkStreamPrefix } from './stream-checks.js';

export function runCheckers(ops: readonly Op[], events: readonly NodeEvent[]): Finding[] {
  return [
    ...checkSnapshotRecovery(ops, events),
    ...checkOffsets(events),
    ...checkStreamPrefix(events),
    ...checkConvergence(events),
    ...checkLostWrites(ops, events),
    ...checkListAppend(ops, events),
  ];
}

export type { Finding, Severity } from './finding.js';
