/**
 * The scenarios the `replisim` binary can run, by name. Each one is a story in the simulator with a
 * timeline and a verdict; the same seed replays it exactly.
 */
import type { ScenarioResult } from '../scenario.js';
import { runCrashDuringBgsave } from './crash-during-bgsave.js';
import { runReplicaPartition } from './replica-partition.js';

export interface ScenarioEntry {
  readonly name: string;
  /** One line for `replisim list`. */
  readonly summary: string;
  /** What the reader is about to watch, printed above the timeline. */
  readonly story: string;
  readonly run: (seed: number) => ScenarioResult;
}

export const SCENARIOS: readonly ScenarioEntry[] = [
  {
    name: 'replica-partition',
    summary: 'a replica cut off twice: partial resync from the backlog, then a full resync',
    story: [
      'One master, two replicas (--replicaof), 2,000 keys, a client writing without pause and asking',
      'WAIT 2 100 every 50 writes. The network cuts replica-b off the master twice. repl-timeout is 5 s',
      '(default 60), so both sides drop the link; repl-backlog-size is 64 KB (default 1 MB). After the',
      'short cut (8 s) the backlog still holds what replica-b missed: PSYNC, +CONTINUE, only those bytes.',
      'The long cut (45 s) overflows it: PSYNC is refused and replica-b loads a new snapshot',
      '(+FULLRESYNC, diskless, after the default 5 s repl-diskless-sync-delay). In the end both replicas',
      "must hold exactly the master's dataset, every acknowledged write included.",
    ].join('\n'),
    run: (seed) => runReplicaPartition({ seed }),
  },
  {
    name: 'crash-during-bgsave',
    summary: 'power loss in the middle of a BGSAVE: what survives a restart',
    story: [
      'One node, 20,000 keys, a client writing without pause. Snapshot #1 (BGSAVE) completes;',
      'snapshot #2 is cut short by a power loss. After the restart, the node must hold exactly the',
      'dataset of snapshot #1 as it was when that BGSAVE started: no write from after that instant,',
      'no half-written file.',
    ].join('\n'),
    run: (seed) => runCrashDuringBgsave({ seed }),
  },
];

/** The scenario `npm start` runs. */
export const FLAGSHIP_SCENARIO = 'replica-partition';

export function findScenario(name: string): ScenarioEntry | undefined {
  return SCENARIOS.find((entry) => entry.name === name);
}
