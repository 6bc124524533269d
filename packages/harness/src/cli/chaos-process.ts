/**
 * `replisim chaos --backend process`: every seed's case (drawn from the process profile, so it has
 * no fault a real process cannot take) runs on real server processes (replisim-server or
 * redis-server) through the fault proxy, exactly as `replisim run case.json --backend process`
 * would run it.
 *
 * Real runs are bounded twice. A per-run time limit aborts a run that takes too long (the backend
 * throws RunAborted from its next wait, so the run ends undecided with the history it gathered and
 * closes as any run does); if the run does not even reach a wait within a grace period after that,
 * its processes are killed and the seed is recorded undecided without a history. Seeds run one at a
 * time by default (`concurrency` runs at once otherwise, in this thread: the work is in the server
 * processes, and worker threads would only complicate the cleanup).
 *
 * A violated or undecided seed keeps its RunResult, so its run folder is the run that failed, not a
 * second real run that may well pass.
 */
import { ProcessBackend, type ServerKind } from '../backends/process/process-backend.js';
import type { ChaosCase } from '../properties/chaos-case.js';
import type { ChaosProfile } from '../properties/chaos-profile.js';
import {
  type ChaosOutcome,
  caseForSeed,
  outcomeOf,
  runChaosCase,
} from '../properties/chaos-runner.js';
import type { RunResult } from '../run/run-scenario.js';

/** How long an aborted run may take to notice before its processes are killed under it. */
const ABORT_GRACE_MS = 20_000;

export interface ProcessChaosOptions {
  readonly profile: ChaosProfile;
  readonly server: ServerKind;
  readonly serverPath?: string;
  /** Each run is stopped (undecided) after this long. */
  readonly runLimitMs: number;
  /** Runs at once. */
  readonly concurrency: number;
  /** Start no new seed after this long. */
  readonly timeLimitMs: number;
}

export interface ProcessChaosRun {
  readonly chaos: ChaosCase;
  readonly outcome: ChaosOutcome;
  /** The run itself, kept for seeds that did not hold (their run folder). */
  readonly result: RunResult | undefined;
}

/** The backends of the runs in progress, so Ctrl-C can stop every process before exiting. */
export class LiveBackends {
  private readonly backends = new Set<ProcessBackend>();

  add(backend: ProcessBackend): void {
    this.backends.add(backend);
  }

  delete(backend: ProcessBackend): void {
    this.backends.delete(backend);
  }

  get size(): number {
    return this.backends.size;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.backends].map((backend) => backend.close()));
    this.backends.clear();
  }
}

/** Runs `seeds` on real processes, returning them in seed order. */
export async function runProcessSeeds(
  seeds: readonly number[],
  options: ProcessChaosOptions,
  live: LiveBackends,
  onDone: (outcome: ChaosOutcome) => void = () => {},
): Promise<ProcessChaosRun[]> {
  const startedMs = performance.now();
  const runs: ProcessChaosRun[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < seeds.length && performance.now() - startedMs <= options.timeLimitMs) {
      const seed = seeds[next++] as number;
      const run = await runProcessSeed(seed, options, live);
      onDone(run.outcome);
      runs.push(run);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  return runs.sort((a, b) => a.outcome.seed - b.outcome.seed);
}

/** One seed on real processes; never throws, and leaves no process behind. */
export async function runProcessSeed(
  seed: number,
  options: ProcessChaosOptions,
  live: LiveBackends,
): Promise<ProcessChaosRun> {
  const chaos = caseForSeed(seed, options.profile);
  const backend = new ProcessBackend({
    seed,
    server: options.server,
    ...(options.serverPath === undefined ? {} : { serverPath: options.serverPath }),
  });
  live.add(backend);
  const startedMs = performance.now();
  const limit = `the per-run time limit of ${options.runLimitMs / 1000} s ran out`;
  const timers: NodeJS.Timeout[] = [];
  const giveUp = new Promise<string>((resolve) => {
    timers.push(setTimeout(() => backend.abort(limit), options.runLimitMs));
    timers.push(
      setTimeout(
        () => resolve(`${limit}, and the run did not stop within ${ABORT_GRACE_MS / 1000} s`),
        options.runLimitMs + ABORT_GRACE_MS,
      ),
    );
  });
  try {
    const ended = await Promise.race([
      runChaosCase(chaos, seed, { profile: options.profile, backend: () => backend }),
      giveUp,
    ]);
    if (typeof ended === 'string') return undecidedRun(seed, chaos, ended, startedMs);
    const outcome = outcomeOf(seed, chaos, ended);
    return { chaos, outcome, result: outcome.verdict === 'held' ? undefined : ended };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return undecidedRun(seed, chaos, `error: ${why}`, startedMs);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await backend.close();
    live.delete(backend);
  }
}

function undecidedRun(
  seed: number,
  chaos: ChaosCase,
  why: string,
  startedMs: number,
): ProcessChaosRun {
  return {
    chaos,
    result: undefined,
    outcome: {
      seed,
      verdict: 'undecided',
      exitCode: 2,
      checkers: {},
      problems: [`undecided: ${why}`],
      coverage: [],
      traceHash: 'none (real processes do not replay)',
      simulatedMs: Math.round(performance.now() - startedMs),
      ops: 0,
      faults: chaos.faults.length,
    },
  };
}
