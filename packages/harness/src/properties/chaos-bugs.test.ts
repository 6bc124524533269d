/**
 * Testing the tester: with a deliberate bug switched on in every node (@replisim/server's
 * testing/test-bugs.ts, reachable only from tests), the chaos runner must report a violation within
 * a bounded number of seeds; and a violated case must shrink to a smaller case that still fails and
 * replays exactly from its JSON.
 */
import type { TestBug } from '@replisim/server';
import { describe, expect, it } from 'vitest';
import { parseChaosCase } from './chaos-case.js';
import { caseForSeed, runChaosCase, runChaosSeed, shrinkChaosSeed } from './chaos-runner.js';

/** How many seeds each bug may take to show (each shows within the first twenty). */
const SEEDS_MAX = 25;
/** These tests run several whole simulations; their budget holds on a loaded 2-core machine. */
const BUDGET_MS = 90_000;

async function firstViolation(
  bug: TestBug,
): Promise<{ seed: number; problem: string } | undefined> {
  for (let seed = 1; seed <= SEEDS_MAX; seed++) {
    const outcome = await runChaosSeed(seed, { testBugs: [bug] });
    if (outcome.verdict === 'violated') return { seed, problem: outcome.problems[0] ?? '' };
  }
  return undefined;
}

describe('the chaos runner catches a broken node', () => {
  it.each([
    ['replica-drops-del', /stream-prefix|convergence|lost-writes/],
    ['bgsave-not-point-in-time', /stream-prefix|snapshot-recovery|convergence/],
    ['psync-resumes-one-byte-late', /convergence|stream-prefix/],
  ] as const)(
    '%s is reported as a violation within a few seeds',
    { timeout: BUDGET_MS },
    async (bug, checkers) => {
      const found = await firstViolation(bug);
      expect(found, `${bug} went unnoticed for ${SEEDS_MAX} seeds`).toBeDefined();
      expect(found?.problem).toMatch(checkers);
    },
  );

  it('replica-loses-multi-head is reported by the list-append checker within a few seeds', {
    timeout: BUDGET_MS,
  }, async () => {
    let found: { seed: number; text: string } | undefined;
    for (let seed = 1; seed <= SEEDS_MAX && found === undefined; seed++) {
      const outcome = await runChaosSeed(seed, { testBugs: ['replica-loses-multi-head'] });
      const text = outcome.problems.find((problem) => problem.startsWith('list-append: '));
      if (text !== undefined) found = { seed, text };
    }
    expect(found, `replica-loses-multi-head went unnoticed for ${SEEDS_MAX} seeds`).toBeDefined();
    // The replica's lists miss the transactions' first appends: holes, shifted positions, or lists
    // that differ from the master's after convergence.
    expect(found?.text).toMatch(/^list-append: (prefix|position|agreement|atomicity|contiguity): /);
  });

  it('the same seeds hold without the bug (the violation is the bug, not the runner)', {
    timeout: BUDGET_MS,
  }, async () => {
    for (const seed of [1, 3, 6]) expect((await runChaosSeed(seed)).verdict).toBe('held');
  });

  it('a SIGTERM still waiting for its replicas at convergence is waited for (seed 427 was undecided)', {
    timeout: BUDGET_MS,
  }, async () => {
    // The master's shutdown waited for replica acks past convergence and stopped it during the
    // final reads ("a connection to master (refused)"); the liveness phase now lets it finish.
    const outcome = await runChaosSeed(427);
    expect(outcome.problems).toEqual([]);
    expect(outcome.verdict).toBe('held');
  });

  it('a callback cancelled while its host was paused never runs (seed 816 crashed the simulator)', {
    timeout: BUDGET_MS,
  }, async () => {
    // A reset cleared a pipe whose delivery had come due while the receiving host was paused; the
    // kept delivery ran after the resume anyway and met a segment that had not arrived yet
    // (packages/base/src/sim/life.ts now lets a kept callback be cancelled).
    const outcome = await runChaosSeed(816);
    expect(outcome.problems).toEqual([]);
    expect(outcome.verdict).toBe('held');
  });

  it('shrinks a failing case to a smaller one that still fails and replays from its JSON', {
    timeout: BUDGET_MS,
  }, async () => {
    const options = { testBugs: ['replica-drops-del'] as TestBug[] };
    const original = caseForSeed(1);
    const shrunk = await shrinkChaosSeed(1, options, 15);
    expect(shrunk).toBeDefined();
    if (shrunk === undefined) return;
    expect(shrunk.outcome.verdict).toBe('violated');
    const size = (c: typeof original): number => c.faults.length + c.replicas + c.workload.keys;
    expect(size(shrunk.chaos)).toBeLessThan(size(original));
    const replayed = parseChaosCase(JSON.parse(JSON.stringify(shrunk.chaos)), 'shrunk.json');
    const again = await runChaosCase(replayed, 1, options);
    expect(again.verdict).toBe('violated');
    expect(again.traceHash).toBe(shrunk.outcome.traceHash);
  });
});
