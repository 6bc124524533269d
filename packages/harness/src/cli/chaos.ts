/**
 * `replisim chaos`: property-based chaos over many seeds, and `replisim chaos merge` for shards.
 *
 *   replisim chaos [--seeds N] [--from F] [--seed S] [--time-limit S] [--workers N] [--shard K/N]
 *                  [--out DIR] [--json] [--check-determinism] [--shrink N]
 *                  [--backend sim|process] [--server replisim|redis] [--server-path P]
 *                  [--run-limit S] [--safety-ms MS]
 *   replisim chaos merge DIR...
 *
 * With `--backend process` each case runs on real server processes through the fault proxy
 * (chaos-process.ts): cases are drawn from the process profile (properties/chaos-profile.ts), which
 * leaves out the faults a real process cannot take and says so in the summary; fewer seeds, one at
 * a time and a per-run time limit by default; no shrinking and no determinism check (real time).
 *
 * Each seed is one fast-check case (properties/chaos-case.ts) run as a deterministic simulation.
 * Runs go to worker threads (tinypool) and come back merged in seed order, so the summary does not
 * depend on the number of workers. Violated seeds are shrunk (the first `--shrink` of them, default
 * 3) and each gets a folder with its case, its shrunk case and the shrunk run's history, plus the
 * one line that replays it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TestBug } from '@replisim/server';
import cliProgress from 'cli-progress';
import Tinypool from 'tinypool';
import { probeContainerEngine } from '../backends/container/engine-probe.js';
import {
  type ChaosProfile,
  PROCESS_SAFETY_MS,
  processProfile,
} from '../properties/chaos-profile.js';
import {
  type ChaosOutcome,
  caseForSeed,
  runChaosCase,
  runChaosSeed,
  shrinkChaosSeed,
} from '../properties/chaos-runner.js';
import {
  type ChaosSummary,
  chaosExitCode,
  renderSummary,
  summarize,
} from '../properties/chaos-summary.js';
import { LiveBackends, type ProcessChaosRun, runProcessSeeds } from './chaos-process.js';
import type { CliIo } from './main.js';
import { writeRunFolder } from './run-folder.js';

/** On real processes: seeds by default, and each run's time limit (s). */
const PROCESS_SEEDS_DEFAULT = 5;
const PROCESS_RUN_LIMIT_S_DEFAULT = 90;

export const CHAOS_USAGE = `Usage:
  replisim chaos [options]          random clusters, workloads and fault schedules, one per seed
  replisim chaos merge DIR...       one summary from the --out folders of several shards

Options:
  --seeds N             how many seeds (default 100), from --from (default 1)
  --seed S              run one seed only (replay)
  --time-limit S        start no new seed after S seconds
  --workers N           worker threads (default: the number of cores)
  --shard K/N           run only the K-th of N equal slices of the seeds (K from 1)
  --out DIR             outcomes.jsonl, summary.json and failures/seed-S/ (default runs/chaos)
  --shrink N            shrink the first N violated seeds (default 3; 0 for none)
  --check-determinism   run every 10th seed twice and fail on any trace-hash difference
  --json                print the summary as JSON
  --backend B           sim (default) or process: every case on real server processes through
                        the fault proxy (default 5 seeds, 1 at a time; faults a real process
                        cannot take are not drawn, and the summary lists them)
  --server S            with process: replisim (default) or redis (redis-server 7.0)
  --server-path PATH    with process: the server executable
  --run-limit S         with process: stop a run after S seconds, undecided (default 90)
  --safety-ms MS        with process: the safety phase of each case (default 3000)
  -h, --help            this text

Exit status: 0 all held, 1 a safety violation (or nondeterminism), 2 undecided runs only.
`;

export interface ChaosCliOptions {
  /** Deliberate bugs (tests only; no flag reaches this). */
  readonly testBugs?: readonly TestBug[];
}

export async function chaosMain(
  argv: readonly string[],
  io: CliIo,
  options: ChaosCliOptions = {},
): Promise<number> {
  if (argv[0] === 'merge') return mergeMain(argv.slice(1), io);
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${CHAOS_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(CHAOS_USAGE);
    return 0;
  }
  const target = realTarget(values);
  if (typeof target === 'string') {
    io.err(`${target}\n`);
    return 2;
  }
  const real = target !== undefined;
  const plan = planSeeds(values, real ? PROCESS_SEEDS_DEFAULT : undefined);
  if (typeof plan === 'string') {
    io.err(`${plan}\n`);
    return 2;
  }
  const workers = Number(values.workers ?? String(real ? 1 : availableParallelism()));
  if (!Number.isInteger(workers) || workers < 1) {
    io.err('--workers needs a positive integer\n');
    return 2;
  }
  const out = values.out ?? join('runs', 'chaos');
  const timeLimitMs =
    values['time-limit'] === undefined
      ? Number.POSITIVE_INFINITY
      : Number(values['time-limit']) * 1000;
  const json = values.json === true;
  if (target !== undefined) return processChaos(plan, workers, timeLimitMs, target, out, json, io);
  if (!json)
    io.out(`replisim chaos · seeds ${describePlan(plan)} · ${workers} worker(s) · sim backend\n\n`);

  const outcomes = await runSeeds(plan, workers, timeLimitMs, options, json ? undefined : io);
  const nondeterministic: number[] = [];
  if (values['check-determinism'] === true) {
    for (const outcome of outcomes.filter((o, i) => plan.length === 1 || i % 10 === 0)) {
      const again = await runChaosSeed(outcome.seed, options);
      if (again.traceHash !== outcome.traceHash) nondeterministic.push(outcome.seed);
    }
  }
  const summary = summarize(outcomes, nondeterministic);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'outcomes.jsonl'),
    outcomes.map((o) => `${JSON.stringify(o)}\n`).join(''),
  );
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const shrinkMax = Number(values.shrink ?? '3');
  const replays = await writeFailures(summary, out, shrinkMax, options, json ? undefined : io);
  if (json) {
    io.out(`${JSON.stringify({ ...summary, replays }, null, 2)}\n`);
  } else {
    io.out(`\n${renderSummary(summary)}`);
    for (const line of replays) io.out(`${line}\n`);
    io.out(`\nOutcomes and failures in ${out}/\n`);
  }
  return chaosExitCode(summary);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      seeds: { type: 'string' },
      from: { type: 'string' },
      seed: { type: 'string' },
      'time-limit': { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      out: { type: 'string' },
      shrink: { type: 'string' },
      'check-determinism': { type: 'boolean' },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      server: { type: 'string' },
      'server-path': { type: 'string' },
      'run-limit': { type: 'string' },
      'safety-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** A chaos run on real processes. */
interface ProcessTarget {
  readonly server: 'replisim' | 'redis';
  readonly serverPath: string | undefined;
  readonly runLimitMs: number;
  readonly safetyMs: number;
}

/** The real backend asked for (undefined: the simulator), or a usage error. */
function realTarget(
  values: ReturnType<typeof parse>['values'],
): ProcessTarget | string | undefined {
  const backend = values.backend ?? 'sim';
  const processOnly = ['server', 'server-path', 'run-limit', 'safety-ms'] as const;
  if (backend === 'sim') {
    const given = processOnly.find((name) => values[name] !== undefined);
    return given === undefined ? undefined : `--${given} needs --backend process`;
  }
  if (backend === 'container') {
    const engine = probeContainerEngine();
    return engine.ok
      ? 'chaos runs on the sim or process backend; the container backend runs scenarios (replisim run --backend container)'
      : `the container backend needs a Docker engine: ${engine.reason}`;
  }
  if (backend !== 'process') return `--backend must be sim or process, not ${backend}`;
  if (values.shrink !== undefined && values.shrink !== '0')
    return '--shrink runs a case hundreds of times: shrink on the sim backend (real runs take seconds each)';
  if (values['check-determinism'] === true)
    return '--check-determinism needs the sim backend: real processes do not replay exactly';
  const server = values.server ?? 'replisim';
  if (server !== 'replisim' && server !== 'redis')
    return `--server must be replisim or redis, not ${server}`;
  const runLimit = values['run-limit'] ?? String(PROCESS_RUN_LIMIT_S_DEFAULT);
  if (!NON_NEGATIVE.test(runLimit) || Number(runLimit) < 1)
    return `--run-limit needs a positive number of seconds, not ${runLimit}`;
  const safety = values['safety-ms'] ?? String(PROCESS_SAFETY_MS);
  if (!NON_NEGATIVE.test(safety) || Number(safety) < 1000)
    return `--safety-ms needs at least 1000, not ${safety}`;
  return {
    server,
    serverPath: values['server-path'],
    runLimitMs: Number(runLimit) * 1000,
    safetyMs: Number(safety),
  };
}

/** The backend words that make a replay run on the same backend. */
function processArgs(target: ProcessTarget): string {
  return [
    `--backend process --server ${target.server}`,
    ...(target.serverPath === undefined ? [] : [`--server-path ${target.serverPath}`]),
  ].join(' ');
}

/** `chaos --backend process`: seeds on real processes; same folder and summary as on the sim. */
async function processChaos(
  seeds: readonly number[],
  workers: number,
  timeLimitMs: number,
  target: ProcessTarget,
  out: string,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const profile = processProfile(target.server, target.safetyMs);
  const binary = target.server === 'redis' ? 'redis-server' : 'replisim-server';
  if (!json) {
    io.out(
      `replisim chaos · seeds ${describePlan(seeds)} · ${workers} at a time · process backend (real ${binary} processes through the fault proxy, real time) · per-run limit ${target.runLimitMs / 1000} s\n\n${renderProfile(profile)}\n`,
    );
  }
  const live = new LiveBackends();
  // Ctrl-C: stop every server process and proxy of the runs in progress, then exit as a shell does.
  const onInterrupt = (): void => {
    io.err('\ninterrupted: stopping every node process\n');
    void live.closeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  let runs: ProcessChaosRun[];
  try {
    runs = await runProcessSeeds(
      seeds,
      {
        profile,
        server: target.server,
        ...(target.serverPath === undefined ? {} : { serverPath: target.serverPath }),
        runLimitMs: target.runLimitMs,
        concurrency: workers,
        timeLimitMs,
      },
      live,
      (outcome) => {
        if (!json)
          io.out(
            `seed ${outcome.seed}: ${outcome.verdict} (${(outcome.simulatedMs / 1000).toFixed(1)} s, ${outcome.ops} ops, ${outcome.faults} faults)\n`,
          );
      },
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  const summary = {
    ...summarize(runs.map((run) => run.outcome)),
    backend: profile.name,
    excluded: profile.excluded,
    notes: profile.notes,
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'outcomes.jsonl'),
    runs.map((run) => `${JSON.stringify(run.outcome)}\n`).join(''),
  );
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const replays = writeProcessFailures(runs, out, target);
  if (json) {
    io.out(`${JSON.stringify({ ...summary, replays }, null, 2)}\n`);
  } else {
    io.out(`\n${renderSummary(summary, 'real', profile.unreachable)}`);
    for (const line of replays) io.out(`${line}\n`);
    io.out(`\nOutcomes and failures in ${out}/\n`);
  }
  return chaosExitCode(summary);
}

/** What the profile leaves out and how it does the rest, for the top of a real chaos run. */
export function renderProfile(profile: ChaosProfile): string {
  const lines = [`Not drawn on ${profile.name} (the backend cannot do them for real):`];
  for (const excluded of profile.excluded) lines.push(`  ${excluded.kind}: ${excluded.why}`);
  if (profile.notes.length > 0) lines.push('Done for real, with these meanings:');
  for (const note of profile.notes) lines.push(`  ${note}`);
  return `${lines.join('\n')}\n`;
}

/** Writes each failed seed's case and the run that failed; returns the lines that rerun them. */
function writeProcessFailures(
  runs: readonly ProcessChaosRun[],
  out: string,
  target: ProcessTarget,
): string[] {
  const lines: string[] = [];
  const backendArgs = processArgs(target);
  const safety = target.safetyMs === PROCESS_SAFETY_MS ? '' : ` --safety-ms ${target.safetyMs}`;
  for (const { chaos, outcome, result } of runs) {
    if (outcome.verdict === 'held') continue;
    const dir = join(out, 'failures', `seed-${outcome.seed}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'case.json'), `${JSON.stringify(chaos, null, 2)}\n`);
    const replay = `npx replisim chaos --seed ${outcome.seed} ${backendArgs}${safety}`;
    if (result !== undefined) writeRunFolder(join(dir, 'run'), result, replay);
    lines.push(
      `seed ${outcome.seed} ${outcome.verdict}: ${outcome.problems[0] ?? ''}`.slice(0, 300),
    );
    lines.push(
      `  rerun: ${replay}   or: npx replisim run ${join(dir, 'case.json')} --seed ${outcome.seed} ${backendArgs}`,
    );
  }
  return lines;
}

const NON_NEGATIVE = /^\d+$/;

/** The seeds to run, or a usage error. */
export function planSeeds(
  values: {
    readonly seeds?: string | undefined;
    readonly from?: string | undefined;
    readonly seed?: string | undefined;
    readonly shard?: string | undefined;
  },
  countDefault = 100,
): number[] | string {
  if (values.seed !== undefined) {
    if (!NON_NEGATIVE.test(values.seed))
      return `--seed needs a non-negative integer, not ${values.seed}`;
    return [Number(values.seed)];
  }
  const count = values.seeds ?? String(countDefault);
  const from = values.from ?? '1';
  if (!NON_NEGATIVE.test(count) || Number(count) < 1)
    return `--seeds needs a positive integer, not ${count}`;
  if (!NON_NEGATIVE.test(from)) return `--from needs a non-negative integer, not ${from}`;
  let seeds = Array.from({ length: Number(count) }, (_, i) => Number(from) + i);
  if (values.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values.shard);
    const k = Number(match?.[1]);
    const n = Number(match?.[2]);
    if (match === null || n < 1 || k < 1 || k > n)
      return `--shard needs K/N with 1 <= K <= N, not ${values.shard}`;
    seeds = seeds.filter((_, i) => i % n === k - 1);
  }
  return seeds;
}

function describePlan(seeds: readonly number[]): string {
  if (seeds.length === 1) return String(seeds[0]);
  return `${seeds[0]}..${seeds.at(-1)} (${seeds.length})`;
}

/** Runs the seeds on `workers` threads (in this thread for 1), returning outcomes in seed order. */
async function runSeeds(
  seeds: readonly number[],
  workers: number,
  timeLimitMs: number,
  options: ChaosCliOptions,
  io: CliIo | undefined,
): Promise<ChaosOutcome[]> {
  const startedMs = Date.now();
  const bar =
    io !== undefined && process.stderr.isTTY === true
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: ' {bar} {value}/{total} seeds · {violated} violated · {eta_formatted} left',
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(seeds.length, 0, { violated: 0 });
  let violated = 0;
  const done = (outcome: ChaosOutcome): ChaosOutcome => {
    if (outcome.verdict === 'violated') violated++;
    bar?.increment(1, { violated });
    return outcome;
  };
  const outcomes: ChaosOutcome[] = [];
  try {
    if (workers === 1) {
      for (const seed of seeds) {
        if (Date.now() - startedMs > timeLimitMs) break;
        outcomes.push(done(await runChaosSeed(seed, options)));
      }
      return outcomes;
    }
    const pool = new Tinypool({ filename: workerFile(), minThreads: workers, maxThreads: workers });
    try {
      const pending = seeds.map((seed) =>
        Date.now() - startedMs > timeLimitMs
          ? Promise.resolve(undefined)
          : (
              pool.run({
                seed,
                ...(options.testBugs === undefined ? {} : { testBugs: options.testBugs }),
              }) as Promise<ChaosOutcome>
            ).then(done),
      );
      for (const outcome of await Promise.all(pending))
        if (outcome !== undefined) outcomes.push(outcome);
    } finally {
      await pool.destroy();
    }
    return outcomes.sort((a, b) => a.seed - b.seed);
  } finally {
    bar?.stop();
  }
}

/** The compiled worker: beside this file in dist, or dist's copy when running from source. */
function workerFile(): string {
  const here = new URL('./chaos-worker.js', import.meta.url).href;
  return here.includes('/src/cli/') ? here.replace('/src/cli/', '/dist/cli/') : here;
}

/** Shrinks and writes up to `shrinkMax` violated seeds; returns the replay lines for every failure. */
async function writeFailures(
  summary: ChaosSummary,
  out: string,
  shrinkMax: number,
  options: ChaosCliOptions,
  io: CliIo | undefined,
): Promise<string[]> {
  const lines: string[] = [];
  let shrunk = 0;
  for (const failure of summary.failures) {
    const dir = join(out, 'failures', `seed-${failure.seed}`);
    mkdirSync(dir, { recursive: true });
    const chaos = caseForSeed(failure.seed);
    writeFileSync(join(dir, 'case.json'), `${JSON.stringify(chaos, null, 2)}\n`);
    const replay = `npx replisim chaos --seed ${failure.seed}`;
    writeRunFolder(join(dir, 'run'), await runChaosCase(chaos, failure.seed, options), replay);
    lines.push(
      `seed ${failure.seed} ${failure.verdict}: ${failure.problems[0] ?? ''}`.slice(0, 300),
    );
    lines.push(
      `  replay: ${replay}   or: npx replisim run ${join(dir, 'case.json')} --seed ${failure.seed}`,
    );
    if (failure.verdict !== 'violated' || shrunk >= shrinkMax) continue;
    shrunk++;
    io?.out(`shrinking seed ${failure.seed}...\n`);
    const result = await shrinkChaosSeed(failure.seed, options);
    if (result === undefined) continue;
    writeFileSync(join(dir, 'shrunk.json'), `${JSON.stringify(result.chaos, null, 2)}\n`);
    const shrunkReplay = `npx replisim run ${join(dir, 'shrunk.json')} --seed ${failure.seed}`;
    writeRunFolder(
      join(dir, 'shrunk-run'),
      await runChaosCase(result.chaos, failure.seed, options),
      shrunkReplay,
    );
    lines.push(
      `  shrunk in ${result.shrinks} steps to ${result.chaos.replicas} replica(s) and ${result.chaos.faults.length} fault(s): ${shrunkReplay}`,
    );
    lines.push(`  fast-check replay: seed ${failure.seed}, path ${result.path}`);
  }
  return lines;
}

async function mergeMain(dirs: readonly string[], io: CliIo): Promise<number> {
  if (dirs.length === 0) {
    io.err(`chaos merge needs the --out folders of the shards\n\n${CHAOS_USAGE}`);
    return 2;
  }
  const outcomes: ChaosOutcome[] = [];
  const backendOf = new Map<string, string>();
  for (const dir of dirs) {
    let text: string;
    try {
      text = readFileSync(join(dir, 'outcomes.jsonl'), 'utf8');
    } catch {
      io.err(`${dir}: no outcomes.jsonl (is it a chaos --out folder?)\n`);
      return 2;
    }
    for (const line of text.split('\n'))
      if (line.trim() !== '') outcomes.push(JSON.parse(line) as ChaosOutcome);
    backendOf.set(dir, shardBackend(dir));
  }
  const backends = new Set(backendOf.values());
  if (backends.size > 1) {
    io.err(
      `the shards ran on different backends (${[...backends].join(', ')}): merge each apart\n`,
    );
    return 2;
  }
  const [backend = 'sim'] = backends;
  // A shard of `chaos --backend process` reruns on the same backend (its --server-path is not kept).
  const rerunArgs = backend.startsWith('process/')
    ? ` --backend process --server ${backend.slice('process/'.length)}`
    : '';
  const seeds = new Set(outcomes.map((o) => o.seed));
  const summary = summarize([...new Map(outcomes.map((o) => [o.seed, o])).values()]);
  io.out(
    `replisim chaos merge · ${dirs.length} folders · ${seeds.size} distinct seeds\n\n${renderSummary(summary)}`,
  );
  for (const failure of summary.failures)
    io.out(
      `seed ${failure.seed} ${failure.verdict}: npx replisim chaos --seed ${failure.seed}${rerunArgs}\n`,
    );
  return chaosExitCode(summary);
}

/** The backend a shard ran on, from its summary.json (`sim` when it does not say). */
function shardBackend(dir: string): string {
  try {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
      backend?: unknown;
    };
    return typeof summary.backend === 'string' ? summary.backend : 'sim';
  } catch {
    return 'sim';
  }
}
