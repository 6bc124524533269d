/**
 * The scenarios the `replisim` binary can run, by name. Each one is a story in the simulator with a
 * timeline and a verdict; the same seed replays it exactly.
 */
import type { ScenarioResult } from '../scenario.js';
import { runCrashDuringBgsave } from './crash-during-bgsave.js';

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
export const FLAGSHIP_SCENARIO = 'crash-during-bgsave';

export function findScenario(name: string): ScenarioEntry | undefined {
  return SCENARIOS.find((entry) => entry.name === name);
}
