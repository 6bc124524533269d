/**
 * The chaos property, bounded for CI: for every seed, a random cluster, configuration, workload and
 * swarm fault schedule (properties/chaos-case.ts) runs in the simulator, and every checker must hold
 * (no violation, and the cluster converges after healing: no undecided run either). Seeds run in
 * blocks of ten so each test needs only a few seconds. The long run is the CLI:
 *
 *   npx replisim chaos --seeds 10000 --workers 2
 *
 * or REPLISIM_CHAOS_SEEDS=2000 npx vitest run packages/harness/src/properties/chaos-property.test.ts
 */
import { describe, expect, it } from 'vitest';
import { runChaosSeed } from './chaos-runner.js';

const SEEDS = Number(process.env['REPLISIM_CHAOS_SEEDS'] ?? '200');
const BLOCK = 10;
const blocks = Array.from({ length: Math.ceil(SEEDS / BLOCK) }, (_, i) => i * BLOCK + 1);

describe('chaos property', () => {
  it.each(blocks)('holds on seeds %i.. (ten seeds)', async (first) => {
    const failures: string[] = [];
    for (let seed = first; seed < Math.min(first + BLOCK, SEEDS + 1); seed++) {
      const outcome = await runChaosSeed(seed);
      if (outcome.verdict !== 'held') {
        failures.push(
          `seed ${seed} ${outcome.verdict}: ${outcome.problems[0] ?? ''} (replay: npx replisim chaos --seed ${seed})`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
