/**
 * The chaos runner's core: a seed becomes a chaos case (fast-check, no bias, so every seed draws from
 * the whole space), the case runs as a deterministic simulation, and the outcome is summarised by
 * checker and by coverage path. A violated case shrinks with fast-check's own shrinking over the
 * schedule, the workload and the configuration, down to a smallest case that still fails, which
 * `replisim run <case.json>` replays exactly.
 *
 * Everything here is pure and deterministic (inside the determinism fence); the CLI adds workers,
 * progress, files and exit codes.
 */
import type { TestBug } from '@replisim/server';
import fc from 'fast-check';
import { SimBackend } from '../backends/sim/sim-backend.js';
import type { Backend } from '../cluster/backend.js';
import { type RunResult, runScenario } from '../run/run-scenario.js';
import type { Verdict } from '../run/verdict.js';
import { type ChaosCase, chaosCaseArbitraryFor } from './chaos-case.js';
import { type ChaosProfile, SIM_PROFILE } from './chaos-profile.js';
import { chaosScenario } from './chaos-scenario.js';
import { type CoveragePath, coverageOf } from './coverage.js';

export interface ChaosOptions {
  /** Deliberate bugs in every node: the runner's own tests only. */
  readonly testBugs?: readonly TestBug[];
  /** What cases are drawn from (default: the simulator's, every fault kind). */
  readonly profile?: ChaosProfile;
  /**
   * The backend a case runs on (default: a SimBackend of the seed). Real backends come from the
   * CLI, outside the determinism fence.
   */
  readonly backend?: (seed: number) => Backend;
}

/** What one seed did, small enough to send between threads and merge across machines. */
export interface ChaosOutcome {
  readonly seed: number;
  readonly verdict: Verdict;
  readonly exitCode: number;
  /** Per checker: how many findings of each severity. */
  readonly checkers: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The violation texts and the undecided reason, if any. */
  readonly problems: readonly string[];
  readonly coverage: readonly CoveragePath[];
  readonly traceHash: string;
  readonly simulatedMs: number;
  readonly ops: number;
  readonly faults: number;
}

/**
 * Cases drawn without fast-check's bias towards small values: every seed samples the whole space.
 * One arbitrary per profile, built once.
 */
const unbiased = new Map<string, fc.Arbitrary<ChaosCase>>();
function unbiasedOf(profile: ChaosProfile): fc.Arbitrary<ChaosCase> {
  const key = JSON.stringify(profile.draw);
  let arbitrary = unbiased.get(key);
  if (arbitrary === undefined) {
    arbitrary = fc.noBias(chaosCaseArbitraryFor(profile.draw));
    unbiased.set(key, arbitrary);
  }
  return arbitrary;
}

/** The case a seed stands for (on the profile's backend). */
export function caseForSeed(seed: number, profile: ChaosProfile = SIM_PROFILE): ChaosCase {
  const [chaos] = fc.sample(unbiasedOf(profile), { seed, numRuns: 1 });
  if (chaos === undefined) throw new Error('fast-check drew no case');
  return chaos;
}

export async function runChaosCase(
  chaos: ChaosCase,
  seed: number,
  options: ChaosOptions = {},
): Promise<RunResult> {
  const testBugs = options.testBugs === undefined ? undefined : new Set(options.testBugs);
  const backend =
    options.backend?.(seed) ??
    new SimBackend({ seed, ...(testBugs === undefined ? {} : { testBugs }) });
  return runScenario(chaosScenario(chaos), { seed, backend });
}

export function outcomeOf(seed: number, chaos: ChaosCase, result: RunResult): ChaosOutcome {
  const checkers: Record<string, Record<string, number>> = {};
  for (const finding of result.findings) {
    const counts = checkers[finding.checker] ?? {};
    counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
    checkers[finding.checker] = counts;
  }
  const problems = [
    ...result.expectations.filter((e) => !e.ok).map((e) => `expectation: ${e.line}`),
    ...result.findings
      .filter((f) => f.severity === 'violation')
      .map((f) => `${f.checker}: ${f.text}`),
    ...(result.undecided === undefined ? [] : [`undecided: ${result.undecided}`]),
  ];
  return {
    seed,
    verdict: result.verdict,
    exitCode: result.exitCode,
    checkers,
    problems,
    coverage: [...coverageOf(result.ops, result.events)],
    traceHash: result.traceHash,
    simulatedMs: result.durationMs,
    ops: result.ops.length,
    faults: chaos.faults.length,
  };
}

export async function runChaosSeed(
  seed: number,
  options: ChaosOptions = {},
): Promise<ChaosOutcome> {
  const chaos = caseForSeed(seed, options.profile);
  return outcomeOf(seed, chaos, await runChaosCase(chaos, seed, options));
}

export interface ShrinkResult {
  /** The smallest failing case found. */
  readonly chaos: ChaosCase;
  /** fast-check's replay path (with the seed, `fc.check(..., { seed, path })` replays it). */
  readonly path: string;
  readonly shrinks: number;
  readonly outcome: ChaosOutcome;
}

/**
 * Shrinks the failing case of `seed`: fast-check re-draws the same first case from the seed (same
 * parameters as caseForSeed), sees it violate, and shrinks it. Undefined if the seed does not violate.
 * `budgetRuns` bounds the simulations shrinking may run.
 */
export async function shrinkChaosSeed(
  seed: number,
  options: ChaosOptions = {},
  budgetRuns = 200,
): Promise<ShrinkResult | undefined> {
  let runs = 0;
  const details = await fc.check(
    fc.asyncProperty(unbiasedOf(options.profile ?? SIM_PROFILE), async (chaos) => {
      runs++;
      if (runs > budgetRuns) return true;
      return (await runChaosCase(chaos, seed, options)).verdict !== 'violated';
    }),
    { seed, numRuns: 1 },
  );
  if (!details.failed || details.counterexample === null) return undefined;
  const [chaos] = details.counterexample;
  const outcome = outcomeOf(seed, chaos, await runChaosCase(chaos, seed, options));
  return { chaos, path: details.counterexamplePath ?? '', shrinks: details.numShrinks, outcome };
}
