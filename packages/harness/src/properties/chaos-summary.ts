/**
 * The summary of a chaos run over many seeds: verdict counts, findings by checker, coverage of the
 * interesting paths, the failing seeds. Built from outcomes in seed order, so the summary is the
 * same for any number of workers and for shards merged afterwards.
 */
import type { ChaosOutcome } from './chaos-runner.js';
import { PATHS } from './coverage.js';

export interface ChaosSummary {
  readonly runs: number;
  readonly held: number;
  readonly violated: number;
  readonly undecided: number;
  readonly checkers: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly coverage: Readonly<Record<string, number>>;
  /** Paths no run reached: a green run that never exercised them proved nothing about them. */
  readonly unreached: readonly string[];
  readonly failures: readonly {
    readonly seed: number;
    readonly verdict: string;
    readonly problems: readonly string[];
  }[];
  readonly simulatedMs: number;
  readonly ops: number;
  readonly faults: number;
  /** Seeds whose two runs gave different trace hashes (--check-determinism). */
  readonly nondeterministic: readonly number[];
}

export function summarize(
  outcomes: readonly ChaosOutcome[],
  nondeterministic: readonly number[] = [],
): ChaosSummary {
  const sorted = [...outcomes].sort((a, b) => a.seed - b.seed);
  const checkers: Record<string, Record<string, number>> = {};
  const coverage: Record<string, number> = Object.fromEntries(PATHS.map((path) => [path, 0]));
  let simulatedMs = 0;
  let ops = 0;
  let faults = 0;
  for (const outcome of sorted) {
    for (const [checker, counts] of Object.entries(outcome.checkers)) {
      const total = checkers[checker] ?? {};
      for (const [severity, count] of Object.entries(counts)) {
        total[severity] = (total[severity] ?? 0) + count;
      }
      checkers[checker] = total;
    }
    for (const path of outcome.coverage) coverage[path] = (coverage[path] ?? 0) + 1;
    simulatedMs += outcome.simulatedMs;
    ops += outcome.ops;
    faults += outcome.faults;
  }
  const count = (verdict: string): number => sorted.filter((o) => o.verdict === verdict).length;
  return {
    runs: sorted.length,
    held: count('held'),
    violated: count('violated'),
    undecided: count('undecided'),
    checkers,
    coverage,
    unreached: PATHS.filter((path) => (coverage[path] ?? 0) === 0),
    failures: sorted
      .filter((o) => o.verdict !== 'held')
      .map((o) => ({ seed: o.seed, verdict: o.verdict, problems: o.problems })),
    simulatedMs,
    ops,
    faults,
    nondeterministic: [...nondeterministic].sort((a, b) => a - b),
  };
}

/** 0 all held, 1 a safety violation (or nondeterminism), 2 undecided runs only. */
export function chaosExitCode(summary: ChaosSummary): number {
  if (summary.violated > 0 || summary.nondeterministic.length > 0) return 1;
  return summary.undecided > 0 ? 2 : 0;
}

/**
 * `time`: whether the runs' durations are simulated (sim) or real (process) seconds;
 * `unreachable`: coverage paths the backend cannot reach, shown as such rather than as a warning.
 */
export function renderSummary(
  summary: ChaosSummary,
  time: 'simulated' | 'real' = 'simulated',
  unreachable: readonly string[] = [],
): string {
  const lines = [
    `${summary.runs} runs: ${summary.held} held, ${summary.violated} violated, ${summary.undecided} undecided (${(summary.simulatedMs / 1000).toFixed(0)} ${time} s, ${summary.ops} ops, ${summary.faults} faults)`,
    '',
    'By checker (findings: held / violation / permitted losses / undecided)',
  ];
  for (const [checker, counts] of Object.entries(summary.checkers).sort()) {
    lines.push(
      `  ${checker.padEnd(20)} ${counts['held'] ?? 0} / ${counts['violation'] ?? 0} / ${counts['permitted'] ?? 0} / ${counts['undecided'] ?? 0}`,
    );
  }
  lines.push('', 'Coverage (runs that reached each path)');
  for (const [path, runs] of Object.entries(summary.coverage)) {
    lines.push(
      `  ${String(runs).padStart(6)}  ${path}${runs > 0 ? '' : unreachable.includes(path) ? '   (not drawn on this backend)' : '   <- WARNING: no run reached this'}`,
    );
  }
  if (summary.nondeterministic.length > 0) {
    lines.push(
      '',
      `NONDETERMINISTIC seeds (two runs, two trace hashes): ${summary.nondeterministic.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
