/**
 * @replisim/harness: scenarios in the simulator, with a timeline and a verdict, and the `replisim`
 * binary that runs them. Later work adds real-process backends, workloads with recorded histories,
 * fault schedules and property-based checkers.
 *
 * - scenario.ts     the result shape and the driver (connect, request, wait for simulated events)
 * - timeline.ts     what happened when, printed as the story
 * - sim/            a callback RESP client, a node on a simulated host that can crash and reboot,
 *                   a writer whose acknowledged writes are the model
 * - scenarios/      the scenarios by name (index.ts); replica-partition is the flagship,
 *                   crash-during-bgsave the persistence story
 * - bin/replisim.ts `replisim list | run <scenario> [--seed N]`
 */
export {
  ScenarioDriver,
  type ScenarioResult,
  WAIT_MS_MAX,
  type WriterScenarioOptions,
} from './scenario.js';
export { runCrashDuringBgsave } from './scenarios/crash-during-bgsave.js';
export {
  FLAGSHIP_SCENARIO,
  findScenario,
  SCENARIOS,
  type ScenarioEntry,
} from './scenarios/index.js';
export {
  type ReplicaPartitionOptions,
  runReplicaPartition,
} from './scenarios/replica-partition.js';
export { ModelWriter, type ModelWriterOptions, type WaitOutcome } from './sim/model-writer.js';
export { infoField, RespClient, replyText } from './sim/resp-client.js';
export { NODE_PORT, SimNode } from './sim/sim-node.js';
export { Timeline, type TimelineEntry } from './timeline.js';
