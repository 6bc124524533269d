/**
 * Every scenario on a sweep of seeds: each must hold (exit 0) on every seed, and a seed must replay
 * to the same trace hash. CI sweeps a few seeds per scenario within seconds; the long sweep is
 *
 *   REPLISIM_SWEEP_SEEDS=1000 npx vitest run scenarios/src/scenarios.test.ts
 *
 * (optionally REPLISIM_SWEEP_FROM=N to start elsewhere). A failing seed is named with its replay
 * command and its findings.
 */
import { runScenario, type Scenario } from '@replisim/harness';
import { describe, expect, it } from 'vitest';
import {
  crashDuringBgsave,
  failover,
  logProcessing,
  noPersistenceRestart,
  replicaPartition,
} from './index.js';

const SWEEP_SEEDS = Number(process.env['REPLISIM_SWEEP_SEEDS'] ?? '0');
const SWEEP_FROM = Number(process.env['REPLISIM_SWEEP_FROM'] ?? '1');

/** Seeds per scenario in CI, and params that keep one run well under a second. */
const CASES: readonly { scenario: Scenario; seeds: number; params?: Record<string, string> }[] = [
  { scenario: replicaPartition, seeds: 3, params: { keys: '300' } },
  { scenario: crashDuringBgsave, seeds: 12, params: { keys: '3000' } },
  { scenario: failover, seeds: 12 },
  { scenario: noPersistenceRestart, seeds: 12 },
  { scenario: logProcessing, seeds: 3 },
];

function seedsOf(count: number): number[] {
  const n = SWEEP_SEEDS > 0 ? SWEEP_SEEDS : count;
  const from = SWEEP_SEEDS > 0 ? SWEEP_FROM : 1;
  return Array.from({ length: n }, (_, i) => from + i);
}

describe.each(CASES)('$scenario.name', ({ scenario, seeds, params }) => {
  it(`holds on a sweep of seeds`, { timeout: SWEEP_SEEDS > 0 ? 0 : 30_000 }, async () => {
    const failures: string[] = [];
    for (const seed of seedsOf(seeds)) {
      const result = await runScenario(scenario, {
        seed,
        ...(params === undefined ? {} : { params }),
      });
      if (result.verdict !== 'held') {
        const why = [
          ...result.expectations.filter((e) => !e.ok).map((e) => `FAIL ${e.line}`),
          ...result.findings
            .filter((f) => f.severity === 'violation')
            .map((f) => `${f.checker}: ${f.text}`),
          ...(result.undecided === undefined ? [] : [`undecided: ${result.undecided}`]),
        ];
        failures.push(`seed ${seed} ${result.verdict}: ${why.slice(0, 3).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('replays exactly from its seed (same trace hash, same history)', async () => {
    const options = { seed: 7, ...(params === undefined ? {} : { params }) };
    const a = await runScenario(scenario, options);
    const b = await runScenario(scenario, options);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.events).toEqual(a.events);
    expect(b.ops.length).toBe(a.ops.length);
  });
});

describe('what the stories must show', () => {
  it('replica-partition: a partial resync, then a refusal and a full resync, nothing lost', async () => {
    const result = await runScenario(replicaPartition, {
      seed: 2,
      params: { keys: '300', 'cut-replica': 'replica-b' },
    });
    const kinds = result.events.filter((e) => e.node === 'replica-b').map((e) => e.kind);
    const firstContinue = kinds.indexOf('continue');
    expect(firstContinue).toBeGreaterThan(kinds.indexOf('fullresync'));
    expect(kinds.lastIndexOf('fullresync')).toBeGreaterThan(firstContinue);
    expect(result.events.filter((e) => e.kind === 'psync-refused')).toHaveLength(1);
    expect(result.findings.find((f) => f.checker === 'lost-writes')?.text).toMatch(
      /^no acknowledged write was lost/,
    );
    expect(result.findings.find((f) => f.checker === 'convergence')?.severity).toBe('held');
  });

  it('failover: every lost write is a permitted loss named after the promotion', async () => {
    const lost = [];
    for (const seed of [1, 2, 3, 4]) {
      const result = await runScenario(failover, { seed });
      lost.push(
        ...result.findings.filter((f) => f.checker === 'lost-writes' && f.severity !== 'held'),
      );
    }
    expect(lost.length).toBeGreaterThan(0);
    for (const finding of lost) {
      expect(finding.severity).toBe('permitted');
      expect(finding.text).toMatch(/lost to the promotion of replica-a at/);
    }
  });

  it('no-persistence-restart: every acknowledged write is lost to the restart', async () => {
    const result = await runScenario(noPersistenceRestart, { seed: 4 });
    const lost = result.findings.filter((f) => f.checker === 'lost-writes');
    expect(lost.length).toBeGreaterThan(50);
    for (const finding of lost)
      expect(finding.text).toMatch(/lost to the restart of master at .* nothing to load/);
  });

  it('crash-during-bgsave: the node holds one allowed snapshot, and loses the writes after it', async () => {
    const result = await runScenario(crashDuringBgsave, { seed: 5, params: { keys: '3000' } });
    expect(result.findings.find((f) => f.checker === 'snapshot-recovery')?.text).toMatch(
      /after the power loss at .* node1 holds exactly the BGSAVE started at/,
    );
    expect(
      result.findings.filter((f) => f.checker === 'lost-writes' && f.severity === 'permitted')
        .length,
    ).toBeGreaterThan(0);
  });
});
