/**
 * What chaos may draw on each backend, and why. The simulator can do every fault kind exactly; a
 * real backend cannot make a disk full, failing or slow, cannot move a process's clock, and cannot
 * stop a process between a rename and the directory fsync (a window of microseconds). Such faults
 * are not drawn there at all, rather than drawn and refused (every seed would end undecided) or
 * faked (a verdict about a fault that never happened): the profile leaves them out of the case's
 * fault kinds and says which, and why, in the chaos summary.
 *
 * What stays is done for real: kill (SIGKILL), shutdown (SIGTERM), pause (SIGSTOP), partitions
 * and holds (the fault proxy keeps the bytes and delivers them on heal), latency, bandwidth, resets,
 * failovers and BGSAVE. `crash` (power loss) stays too, as SIGKILL: chaos nodes have RDB snapshots
 * only (`appendonly no`), where every state a SIGKILL leaves on disk is one a power loss may leave
 * (docs/backends.md, "Power loss on each backend").
 *
 * Real runs are slow (real seconds, real boots), so the safety phase is shorter and faults last
 * less than in the simulator.
 */
import { type ChaosDraw, FAULT_KINDS, type FaultKind, SIM_DRAW } from './chaos-case.js';

export interface ExcludedFault {
  readonly kind: string;
  readonly why: string;
}

export interface ChaosProfile {
  /** `sim`, or `process/redis`, `process/replisim`. */
  readonly name: string;
  readonly draw: ChaosDraw;
  /** Fault kinds (and configuration) left out of the draw on this backend, with the reason. */
  readonly excluded: readonly ExcludedFault[];
  /** How faults that remain are done here, where it is not obvious. */
  readonly notes: readonly string[];
  /** Coverage paths no run can reach on this backend (their fault is not drawn). */
  readonly unreachable: readonly string[];
}

const DISK_WHY =
  "a real process's disk cannot be made full, failing or slow from the harness (only the simulated disk can)";

/** What a real-process backend cannot do, per fault kind. */
const PROCESS_EXCLUDED: readonly ExcludedFault[] = [
  { kind: 'disk-full', why: DISK_WHY },
  { kind: 'disk-eio', why: DISK_WHY },
  { kind: 'slow-fsync', why: DISK_WHY },
  { kind: 'clock-jump', why: "a real process reads the machine's clock" },
  {
    kind: 'crash-after-rename',
    why: 'the window between a snapshot rename and the directory fsync lasts microseconds on a real machine; only the simulated disk can stop there',
  },
  { kind: 'disk latency (configuration)', why: DISK_WHY },
];

/** The process backend's safety phase and longest fault, ms: a case runs in seconds, not minutes. */
export const PROCESS_SAFETY_MS = 3_000;
export const PROCESS_FAULT_MS_MAX = 2_000;

export const SIM_PROFILE: ChaosProfile = {
  name: 'sim',
  draw: SIM_DRAW,
  excluded: [],
  notes: [],
  unreachable: [],
};

export function processProfile(
  server: 'replisim' | 'redis',
  safetyMs: number = PROCESS_SAFETY_MS,
): ChaosProfile {
  const excludedKinds = new Set(PROCESS_EXCLUDED.map((excluded) => excluded.kind));
  const kinds = FAULT_KINDS.filter((kind: FaultKind) => !excludedKinds.has(kind));
  const excluded =
    server === 'redis'
      ? [
          ...PROCESS_EXCLUDED,
          {
            kind: 'repl-snapshot-reuse (configuration)',
            why: "replisim's own option; redis-server 7.0 has none and always behaves as `no`",
          },
        ]
      : PROCESS_EXCLUDED;
  return {
    name: `process/${server}`,
    draw: {
      kinds,
      safetyMs,
      durationMsMax: Math.min(PROCESS_FAULT_MS_MAX, safetyMs),
      slowDisk: false,
      snapshotReuse: server === 'replisim',
      target: { backend: 'process', server },
    },
    excluded,
    notes: [
      'crash (power loss) is SIGKILL: chaos nodes are RDB-only (appendonly no), where a SIGKILL leaves a state a power loss may leave',
      'partition, cut and hold keep the bytes in the fault proxy and deliver them on heal, as the simulated network does',
      'timing is real: a seed does not replay exactly; its case does, up to timing',
    ],
    unreachable: ['crash between rename and directory fsync'],
  };
}
