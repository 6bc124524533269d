/**
 * The backend matrix: a scenario must reach the same verdict on the simulator, on real
 * replisim-server processes and on real redis-server 7.0 processes (the process backend, with
 * ioredis clients and fault proxies on every link). The simulator is only worth trusting if its
 * verdicts hold on real processes.
 *
 * Method: each case runs the scenario on the sim backend for its seeds, then on the process backend
 * with each server, with the same params, and compares the verdicts and the facts the story
 * predicts (who is master, which losses the ledger permits, which sync paths were taken).
 *
 * Bounded for CI: `failover` on two seeds per server and `no-persistence-restart` on one (a run
 * takes 5-20 s of real time). The
 * replica-partition story needs long cuts in real time (repl-timeout is 5 s, and the long cut must
 * overflow the backlog whatever the machine's write rate), about a minute per run, so it runs only
 * with REPLISIM_MATRIX_FULL=1:
 *
 *   REPLISIM_MATRIX_FULL=1 npx vitest run test/backend-matrix.test.ts
 *
 * Needs `npx tsc -b` first (replisim-server runs from dist) and redis-server on PATH; without
 * redis-server the redis column is skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { ProcessBackend, type RunResult, runScenario, type Scenario } from '@replisim/harness';
import { failover, noPersistenceRestart, replicaPartition } from '@replisim/scenarios';
import { describe, expect, it } from 'vitest';

const FULL = process.env['REPLISIM_MATRIX_FULL'] === '1';
const SEEDS = Number(process.env['REPLISIM_MATRIX_SEEDS'] ?? '2');

function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const REDIS = hasRedis();

interface Case {
  readonly scenario: Scenario;
  readonly seeds: readonly number[];
  readonly params: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Facts of one run that must match across backends, besides the verdict. */
  readonly facts: (result: RunResult) => Record<string, unknown>;
}

/**
 * The cut lengths and backlog that make the replica-partition story hold on all three whatever the
 * machine's write rate (1-12 KB/s of stream here, 3 KB/s in the simulator): the short cut (plus up
 * to one repl-timeout of reconnection) stays inside the 192 KB backlog; the long one lasts until
 * 300 KB went by, past the backlog and the 16 KB replication buffer block real Redis may keep
 * beyond it.
 */
const PARTITION_MATRIX_PARAMS: Readonly<Record<string, string>> = {
  'short-cut-ms': '7000',
  'long-cut-ms': '200000',
  'long-cut-bytes': '300000',
  backlog: '196608',
  'write-interval-ms': '1',
  'ping-period': '2',
};

const CASES: readonly Case[] = [
  {
    scenario: failover,
    seeds: Array.from({ length: SEEDS }, (_, i) => i + 1),
    params: {},
    timeoutMs: 60_000,
    facts: (result) => ({
      expectations: result.expectations.map((e) => e.ok),
      lossesAllPermitted: result.findings
        .filter((f) => f.checker === 'lost-writes')
        .every((f) => f.severity !== 'violation'),
      promotedOnce: result.events.filter((e) => e.kind === 'failover').length,
    }),
  },
  {
    scenario: noPersistenceRestart,
    seeds: [1],
    params: {},
    timeoutMs: 60_000,
    facts: (result) => ({
      expectations: result.expectations.map((e) => e.ok),
      lossesAllPermitted: result.findings
        .filter((f) => f.checker === 'lost-writes')
        .every((f) => f.severity === 'permitted'),
    }),
  },
  ...(FULL
    ? [
        {
          scenario: replicaPartition,
          seeds: [1],
          params: PARTITION_MATRIX_PARAMS,
          timeoutMs: 300_000,
          facts: (result: RunResult) => ({
            expectations: result.expectations.map((e) => e.ok),
            refusals: result.events.filter((e) => e.kind === 'psync-refused').length,
          }),
        },
      ]
    : []),
];

function describeRun(result: RunResult): string {
  const why = [
    ...result.expectations.filter((e) => !e.ok).map((e) => `FAIL ${e.line}`),
    ...result.findings.filter((f) => f.severity === 'violation').map((f) => f.text),
    ...(result.undecided === undefined ? [] : [`undecided: ${result.undecided}`]),
  ];
  return `${result.backend} ${result.verdict}${why.length > 0 ? `: ${why.slice(0, 3).join(' | ')}` : ''}`;
}

describe.each(CASES.filter((c) => c.seeds.length > 0))(
  '$scenario.name on sim and real processes',
  (c) => {
    for (const seed of c.seeds) {
      for (const server of ['replisim', 'redis'] as const) {
        it.skipIf(server === 'redis' && !REDIS)(
          `seed ${seed}: process + ${server}-server gives the sim's verdict${server === 'redis' && !REDIS ? ' (skipped: no redis-server on PATH)' : ''}`,
          { timeout: c.timeoutMs },
          async () => {
            const sim = await runScenario(c.scenario, { seed, params: c.params });
            const real = await runScenario(c.scenario, {
              seed,
              params: c.params,
              backend: new ProcessBackend({ seed, server }),
            });
            expect(describeRun(real)).toBe(describeRun({ ...sim, backend: 'process' }));
            expect(c.facts(real)).toEqual(c.facts(sim));
            expect(real.backend).toBe('process');
          },
        );
      }
    }
  },
);
