/**
 * @replisim/harness: clusters of replisim (or Redis) nodes, workloads with recorded histories,
 * faults, checkers and runs. Scenarios (the top-level `scenarios/` workspace) use only this API.
 *
 * Imports run one way: cli -> run -> backends, workload -> cluster -> client, history; checkers
 * read only histories.
 * - cluster/    Cluster (nodes, clients, waits, fault verbs), the Backend interface, NodeState
 *               from INFO, node events from log lines
 * - backends/   sim/: the deterministic simulator; process/: real replisim-server or redis-server
 *               processes behind fault proxies (Toxiproxy's toxics), with ioredis clients;
 *               container/: the Docker engine probe
 * - client/     RespClient (callbacks over an Env connection) and RecordingClient (every op recorded)
 * - workload/   RegisterWriter (acknowledged writes are the model), list-append (MULTI/EXEC of
 *               RPUSH/LRANGE, as Jepsen), unique values from nanoid
 * - history/    ops (invoke/ok/fail/info) and node events on one index; JSON lines in and out
 * - checkers/   snapshot recovery, offsets, stream prefix, convergence, the lost-write ledger,
 *               list-append
 * - run/        Scenario, runScenario (safety then liveness, verdict), the terminal timeline
 * - report/     report.html: timeline, message diagram, offsets, ledger (pure: records in, HTML out)
 * - scenario-file/  the YAML scenario format: schema (zod), parser with file:line errors, interpreter
 * - cli/        the `replisim` command (run folders need node:fs, so they live here)
 */
export {
  ContainerBackend,
  type ContainerBackendOptions,
} from './backends/container/container-backend.js';
export { type EngineProbe, probeContainerEngine } from './backends/container/engine-probe.js';
export { FaultProxy } from './backends/process/fault-proxy.js';
export {
  ProcessBackend,
  type ProcessBackendOptions,
  type ServerKind,
} from './backends/process/process-backend.js';
export type { Toxic, ToxicDirection } from './backends/process/toxics.js';
export { SimBackend } from './backends/sim/sim-backend.js';
export { NODE_PORT, SimNode } from './backends/sim/sim-node.js';
export type { Finding, Severity } from './checkers/finding.js';
export { runCheckers } from './checkers/index.js';
export { checkListAppend, LIST_APPEND } from './checkers/list-append.js';
export { checkLostWrites, LOST_WRITES } from './checkers/lost-writes.js';
export { checkSnapshotRecovery, SNAPSHOT_RECOVERY } from './checkers/snapshot-recovery.js';
export type { CommandChannel } from './client/command-channel.js';
export { RecordingClient } from './client/recording-client.js';
export { infoField, RespClient, replyLine, replyText } from './client/resp-client.js';
export {
  type Backend,
  type DiskFault,
  type LatencyFault,
  type NodeSpec,
  type Undo,
  UnsupportedFault,
} from './cluster/backend.js';
export { CLIENTS, Cluster, HARNESS_NODE_OPTIONS } from './cluster/cluster.js';
export { eventOfLogLine, logMessage } from './cluster/log-events.js';
export { infoFields, type NodeState, parseNodeState } from './cluster/node-state.js';
export { WAIT_MS_DEFAULT, WaitTimedOut } from './cluster/waits.js';
export { History } from './history/history.js';
export { parseEvents, parseOps, toJsonLines } from './history/jsonl.js';
export type {
  HistoryRecord,
  MicroOp,
  NodeEvent,
  NodeEventKind,
  Op,
  OpFunction,
  OpType,
} from './history/op.js';
export { type ReportInput, renderReport } from './report/page.js';
export type { ReportSummary } from './report/render-tables.js';
export {
  CONVERGENCE_MS_MAX,
  type RunOptions,
  type RunResult,
  runScenario,
} from './run/run-scenario.js';
export {
  defineScenario,
  type Scenario,
  type ScenarioContext,
  type VerifyView,
} from './run/scenario.js';
export { renderTimeline } from './run/timeline.js';
export { decideVerdict, exitCodeOf, type Verdict } from './run/verdict.js';
export {
  parseScenarioText,
  type ScenarioFile,
  ScenarioFileError,
  scenarioOfFile,
  scenarioOfText,
} from './scenario-file/index.js';
export {
  APPENDS_PER_KEY,
  LIST_APPEND_OPS_MAX,
  ListKeys,
  ResilientListAppend,
  readLists,
} from './workload/list-append.js';
export {
  RegisterWriter,
  type RegisterWriterOptions,
  type WaitOutcome,
} from './workload/register-writer.js';
export { uniqueIds } from './workload/unique-values.js';
