/**
 * @replisim/scenarios: the replication and persistence stories, by name. Each is a Scenario written
 * only against @replisim/harness's public API; `replisim run <name>` runs one.
 */
import type { Scenario } from '@replisim/harness';
import { crashDuringBgsave } from './crash-during-bgsave.js';
import { failover } from './failover.js';
import { logProcessing } from './log-processing.js';
import { noPersistenceRestart } from './no-persistence-restart.js';
import { replicaPartition } from './replica-partition.js';

export const SCENARIOS: readonly Scenario[] = [
  replicaPartition,
  crashDuringBgsave,
  failover,
  noPersistenceRestart,
  logProcessing,
];

/** The story files (YAML, interpreted by the harness): `replisim list` shows them with these. */
export const STORIES_DIR: URL = new URL('../stories/', import.meta.url);

/** The scenario `npm start` runs. */
export const FLAGSHIP_SCENARIO = 'replica-partition';

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}

export { crashDuringBgsave, failover, logProcessing, noPersistenceRestart, replicaPartition };
