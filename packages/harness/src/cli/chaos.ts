/**
 * `replisim chaos`: property-based chaos over many seeds, and `replisim chaos merge` for shards.
 *
 *   replisim chaos [--seeds N] [--from F] [--seed S] [--time-limit S] [--workers N] [--shard K/N]
 *                  [--out DIR] [--json] [--check-determinism] [--shrink N]
 *   replisim chaos merge DIR...
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
import type { CliIo } from './main.js';
import { writeRunFolder } from './run-folder.js';

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
  const plan = planSeeds(values);
  if (typeof plan === 'string') {
    io.err(`${plan}\n`);
    return 2;
  }
  const workers = Number(values.workers ?? String(availableParallelism()));
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
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const NON_NEGATIVE = /^\d+$/;

/** The seeds to run, or a usage error. */
export function planSeeds(values: {
  readonly seeds?: string | undefined;
  readonly from?: string | undefined;
  readonly seed?: string | undefined;
  readonly shard?: string | undefined;
}): number[] | string {
  if (values.seed !== undefined) {
    if (!NON_NEGATIVE.test(values.seed))
      return `--seed needs a non-negative integer, not ${values.seed}`;
    return [Number(values.seed)];
  }
  const count = values.seeds ?? '100';
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
  }
  const seeds = new Set(outcomes.map((o) => o.seed));
  const summary = summarize([...new Map(outcomes.map((o) => [o.seed, o])).values()]);
  io.out(
    `replisim chaos merge · ${dirs.length} folders · ${seeds.size} distinct seeds\n\n${renderSummary(summary)}`,
  );
  for (const failure of summary.failures)
    io.out(`seed ${failure.seed} ${failure.verdict}: npx replisim chaos --seed ${failure.seed}\n`);
  return chaosExitCode(summary);
}
