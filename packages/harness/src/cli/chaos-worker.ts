/** The worker-thread body of `replisim chaos --workers N`: one seed in, its outcome out. */
import type { TestBug } from '@replisim/server';
import { type ChaosOutcome, runChaosSeed } from '../properties/chaos-runner.js';

export default async function runSeed(task: {
  readonly seed: number;
  readonly testBugs?: readonly TestBug[];
}): Promise<ChaosOutcome> {
  return runChaosSeed(task.seed, task.testBugs === undefined ? {} : { testBugs: task.testBugs });
}
