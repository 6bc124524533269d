/**
 * One run of a scenario: seed first, the scenario's safety phase, then the liveness phase (heal
 * everything, wait for convergence, read every node), then the checkers and the verdict.
 *
 * The run never throws for what happens inside it: a wait that runs out becomes an undecided verdict
 * naming what was awaited, and an exception in the scenario or the node (an assertion) becomes an
 * undecided verdict with the error, so the history gathered so far is still returned and written.
 */
import { AssertionError } from '@replisim/base';
import { SimBackend } from '../backends/sim/sim-backend.js';
import type { Finding } from '../checkers/finding.js';
import { runCheckers } from '../checkers/index.js';
import { type Backend, RunAborted, UnsupportedFault } from '../cluster/backend.js';
import { Cluster } from '../cluster/cluster.js';
import { WaitTimedOut } from '../cluster/waits.js';
import { History } from '../history/history.js';
import type { NodeEvent, Op } from '../history/op.js';
import type { Scenario } from './scenario.js';
import { decideVerdict, type Expectation, exitCodeOf, type Verdict } from './verdict.js';

export interface RunOptions {
  readonly seed: number;
  /** `--set` overrides of the scenario's params. */
  readonly params?: Readonly<Record<string, string>>;
  /** Called with every record as it is appended (a live timeline). */
  readonly onRecord?: (record: Op | NodeEvent) => void;
  /** A backend other than the default simulator. */
  readonly backend?: Backend;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly backend: string;
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly expectations: readonly Expectation[];
  readonly findings: readonly Finding[];
  /** Why the run could not decide, if it could not. */
  readonly undecided: string | undefined;
  readonly ops: readonly Op[];
  readonly events: readonly NodeEvent[];
  readonly nodeLogs: Readonly<Record<string, readonly string[]>>;
  readonly traceHash: string;
  /** Simulated (or real) ms the run covered. */
  readonly durationMs: number;
}

/** How long the liveness phase waits for convergence. */
export const CONVERGENCE_MS_MAX = 120_000;
/** How long convergence must last before the final sample. */
const CONVERGENCE_HOLD_MS = 1_000;
/**
 * How long the liveness phase waits for a node sent SIGTERM to exit: a Redis 7.0 shutdown first
 * waits up to shutdown-timeout (10 s by default) for its replicas, then may save.
 */
const SIGTERM_EXIT_MS_MAX = 15_000;

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const params = { ...(scenario.params ?? {}), ...(options.params ?? {}) };
  for (const name of Object.keys(options.params ?? {})) {
    if (!(name in (scenario.params ?? {}))) {
      throw new Error(
        `${scenario.name} has no parameter ${name}; it has: ${Object.keys(scenario.params ?? {}).join(', ') || 'none'}`,
      );
    }
  }
  const backend = options.backend ?? new SimBackend({ seed: options.seed });
  const history = new History(() => backend.now());
  if (options.onRecord !== undefined) history.listen(options.onRecord);
  const cluster = new Cluster(backend, history);
  const expectations: Expectation[] = [];
  let undecided: string | undefined;
  try {
    await scenario.run({
      seed: options.seed,
      cluster,
      random: backend.random.fork(),
      params,
      expect: (ok, line) => {
        expectations.push({ ok, line });
      },
      narrate: (actor, text) => cluster.narrate(actor, text),
    });
    if (scenario.liveness !== false) await livenessPhase(cluster, scenario.finalRead);
  } catch (error) {
    undecided = describeFailure(error);
    history.event('narrator', 'note', `run stopped: ${undecided}`);
  }
  const findings = runCheckers(history.ops, history.events);
  if (scenario.verify !== undefined && undecided === undefined) {
    try {
      scenario.verify({
        seed: options.seed,
        params,
        ops: history.ops,
        events: history.events,
        findings,
        expect: (ok, line) => {
          expectations.push({ ok, line });
        },
      });
    } catch (error) {
      undecided = describeFailure(error);
    }
  }
  const verdict = decideVerdict(expectations, findings, undecided);
  const nodeLogs = Object.fromEntries(cluster.names.map((name) => [name, backend.logs(name)]));
  const durationMs = backend.now();
  const traceHash = backend.traceHash();
  await cluster.close();
  return {
    scenario: scenario.name,
    seed: options.seed,
    params,
    backend: backend.kind,
    verdict,
    exitCode: exitCodeOf(verdict),
    expectations,
    findings,
    undecided,
    ops: history.ops,
    events: history.events,
    nodeLogs,
    traceHash,
    durationMs,
  };
}

/**
 * Heal every fault, bring every node back, point each at the node it should follow, wait until one master leads every other node at its
 * offset, then sample all nodes with digests (final) and read each one's dataset (and whatever
 * else the scenario's `finalRead` reads, such as the list-append workload's lists).
 */
async function livenessPhase(
  cluster: Cluster,
  finalRead?: (cluster: Cluster, node: string) => Promise<void>,
): Promise<void> {
  cluster.heal();
  const what = 'convergence (one master, every replica linked at its replid and offset)';
  const deadline = cluster.backend.now() + CONVERGENCE_MS_MAX;
  const waited = new Set<number>();
  // A node may still go down now (a SIGTERM's shutdown finishing): bring back whatever is down.
  for (let held = false; !held; ) {
    try {
      const down = cluster.names.filter((name) => cluster.state(name) === undefined);
      for (const name of down) await cluster.restart(name);
      await cluster.reconcile();
      await clearDiskErrors(cluster);
    } catch (error) {
      // A node can go down between the look and the call (a SIGTERM's shutdown finishing): look
      // again, within the same deadline.
      if (!(error instanceof WaitTimedOut) || cluster.backend.now() >= deadline) throw error;
      continue;
    }
    const left = deadline - cluster.backend.now();
    const settled = await cluster.waitUntil(
      () => converged(cluster) || cluster.names.some((name) => cluster.state(name) === undefined),
      Math.max(1, left),
    );
    if (!settled || cluster.backend.now() >= deadline) {
      if (linkedButApart(cluster)) {
        // Every link is up and nothing is faulty, yet the nodes stay apart: that is a liveness
        // violation, not an undecided run. The final sample shows how (convergence checker).
        cluster.narrate(
          'narrator',
          `${what} did not happen within ${CONVERGENCE_MS_MAX / 1000} s although every replica's link is up`,
        );
        break;
      }
      await cluster.waitFor(what, () => converged(cluster), 1);
    }
    if (!converged(cluster)) continue;
    // Converged for a moment is not converged: a link being torn down still looks up. Hold it.
    await cluster.runFor(CONVERGENCE_HOLD_MS);
    held = converged(cluster);
    // A SIGTERM whose shutdown still waits for its replicas would stop its node in the middle of
    // the final reads: let it finish (once per SIGTERM, bounded), then bring the node back.
    const pending = pendingSigterms(cluster).filter((event) => !waited.has(event.index));
    if (held && pending.length > 0) {
      for (const event of pending) waited.add(event.index);
      const names = pending.map((event) => event.node);
      cluster.narrate(
        'narrator',
        `waiting for ${names.join(', ')} to finish shutting down (SIGTERM)`,
      );
      await cluster.waitUntil(
        () => pendingSigterms(cluster).every((event) => !names.includes(event.node)),
        SIGTERM_EXIT_MS_MAX,
      );
      held = false;
    }
  }
  await cluster.sample({ digests: true, final: true });
  for (const name of cluster.names) await cluster.readAll(name);
  if (finalRead !== undefined) for (const name of cluster.names) await finalRead(cluster, name);
}

/** The SIGTERM faults whose node has not exited (or died another way, or restarted) since. */
function pendingSigterms(cluster: Cluster): NodeEvent[] {
  const pending = new Map<string, NodeEvent>();
  for (const event of cluster.history.events) {
    if (event.kind === 'fault' && event.data?.['fault'] === 'sigterm')
      pending.set(event.node, event);
    else if (ENDS_OF_SIGTERM.has(event.kind)) pending.delete(event.node);
  }
  return [...pending.values()];
}

const ENDS_OF_SIGTERM: ReadonlySet<string> = new Set(['shutdown', 'crash', 'kill', 'restart']);

/**
 * A node whose last BGSAVE failed refuses writes, and even its replicas' PING, with MISCONF until a
 * save succeeds; with nothing new to save, no save rule fires again. Once the disks are healed an
 * operator would run BGSAVE; the liveness phase does the same, and says so.
 */
async function clearDiskErrors(cluster: Cluster): Promise<void> {
  for (const name of cluster.names) {
    const state = cluster.state(name);
    if (state === undefined || !state.serving || state.lastBgsaveOk || state.bgsaveInProgress)
      continue;
    cluster.narrate('operator', `BGSAVE on ${name} to clear MISCONF now that its disk is healed`);
    await cluster.call(name, ['BGSAVE']);
  }
}

/** One master, every other node a replica whose link is up: nothing stops convergence. */
function linkedButApart(cluster: Cluster): boolean {
  const states = cluster.names.map((name) => cluster.state(name));
  if (states.some((state) => state === undefined || !state.serving)) return false;
  return (
    states.filter((state) => state?.role === 'master').length === 1 &&
    states.every((state) => state?.role === 'master' || state?.linkUp === true)
  );
}

function converged(cluster: Cluster): boolean {
  const states = cluster.names.map((name) => cluster.state(name));
  if (states.some((state) => state === undefined || !state.serving)) return false;
  const masters = states.filter((state) => state?.role === 'master');
  if (masters.length !== 1) return false;
  const offset = masters[0]?.offset;
  return states.every(
    (state) => state?.role === 'master' || (state?.linkUp === true && state.offset === offset),
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof WaitTimedOut) return `wait ran out: ${error.message}`;
  if (error instanceof AssertionError) return `assertion failed (a crash): ${error.message}`;
  if (error instanceof UnsupportedFault) return `the backend refused a fault: ${error.message}`;
  if (error instanceof RunAborted) return `run stopped: ${error.message}`;
  return `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
