/**
 * One fast-check property per checker, on the sim backend: each case is one chaos case (a random
 * cluster, configuration, workload and swarm fault schedule, properties/chaos-case.ts), drawn from
 * a space biased towards what that checker needs (crashes with snapshots on for snapshot-recovery,
 * list-append clients for list-append...), run as one deterministic simulation; the property is
 * that the checker reports no violation. A failing case shrinks (fast-check) to a smaller one,
 * and the failure names the simulation seed, the case as JSON and the command that replays it,
 * and fast-check adds its own seed and path.
 *
 * Bounded for CI: CASES per property (a few hundred in all), in blocks of BLOCK so each test takes
 * a few seconds. More on demand:
 *
 *   REPLISIM_CHAOS_CASES=200 npx vitest run packages/harness/src/properties/chaos-property.test.ts
 *
 * (cases per property). A reported counterexample replays with REPLISIM_CHAOS_REPLAY='<checker>
 * <fast-check seed> <path>' from the failure message. The long unbiased run is the CLI:
 * `npx replisim chaos --seeds 10000 --workers 2`.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CONVERGENCE } from '../checkers/convergence.js';
import { LIST_APPEND } from '../checkers/list-append.js';
import { LOST_WRITES } from '../checkers/lost-writes.js';
import { SNAPSHOT_RECOVERY } from '../checkers/snapshot-recovery.js';
import { OFFSETS, STREAM_PREFIX } from '../checkers/stream-checks.js';
import { type ChaosBias, type ChaosCase, chaosCaseArbitraryWith } from './chaos-case.js';
import { runChaosCase } from './chaos-runner.js';
import { describeCase } from './chaos-scenario.js';

const CASES = Number(process.env['REPLISIM_CHAOS_CASES'] ?? '25');
const BLOCK = 5;
/** A failing block shrinks: its budget covers the shrinking, the passing ones need seconds. */
const BLOCK_MS = 120_000;
const SHRINK_MS = 90_000;

interface CheckerProperty {
  readonly checker: string;
  readonly bias: ChaosBias;
  /** The run must also be decided (liveness: the cluster converged after healing). */
  readonly decided?: boolean;
}

const PROPERTIES: readonly CheckerProperty[] = [
  {
    checker: SNAPSHOT_RECOVERY,
    bias: {
      save: 'every-second',
      kinds: [
        'crash',
        'kill',
        'shutdown',
        'crash-after-rename',
        'bgsave',
        'slow-fsync',
        'disk-eio',
      ],
    },
  },
  {
    checker: OFFSETS,
    bias: { kinds: ['partition', 'isolate', 'cut', 'hold', 'reset', 'kill', 'failover', 'pause'] },
  },
  {
    checker: STREAM_PREFIX,
    bias: { kinds: ['partition', 'cut', 'reset', 'bandwidth', 'latency', 'failover', 'crash'] },
  },
  { checker: CONVERGENCE, bias: {}, decided: true },
  {
    checker: LOST_WRITES,
    bias: { kinds: ['crash', 'kill', 'shutdown', 'failover', 'partition', 'isolate', 'bgsave'] },
  },
  { checker: LIST_APPEND, bias: { listAppend: true } },
];

/** The simulation seed beside the case, so shrinking keeps the seed and varies the case. */
function caseArbitrary(bias: ChaosBias): fc.Arbitrary<[number, ChaosCase]> {
  return fc.tuple(
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    fc.noBias(chaosCaseArbitraryWith(bias)),
  );
}

/** Runs one case and throws, with everything needed to replay it, if `checker` found a violation. */
async function judge(property: CheckerProperty, seed: number, chaos: ChaosCase): Promise<void> {
  const result = await runChaosCase(chaos, seed);
  const problems = result.findings
    .filter((f) => f.checker === property.checker && f.severity === 'violation')
    .map((f) => f.text);
  if (property.decided === true && result.undecided !== undefined)
    problems.push(`undecided: ${result.undecided}`);
  if (problems.length === 0) return;
  throw new Error(
    [
      `${property.checker} violated (simulation seed ${seed}): ${problems.slice(0, 3).join(' | ')}`,
      describeCase(chaos),
      `replay: save this case as case.json and run: npx replisim run case.json --seed ${seed}`,
      JSON.stringify(chaos),
    ].join('\n'),
  );
}

const replay = process.env['REPLISIM_CHAOS_REPLAY']?.split(' ');

const selected =
  replay === undefined ? PROPERTIES : PROPERTIES.filter((p) => p.checker === replay[0]);

describe.each(selected)('chaos property: $checker holds', (property) => {
  if (replay !== undefined) {
    const [, seed, path] = replay;
    it(`replays ${seed} ${path}`, { timeout: BLOCK_MS }, async () => {
      await fc.assert(
        fc.asyncProperty(caseArbitrary(property.bias), ([s, chaos]) => judge(property, s, chaos)),
        { seed: Number(seed), path: path ?? '', endOnFailure: true },
      );
    });
    return;
  }
  const blocks = Array.from({ length: Math.ceil(CASES / BLOCK) }, (_, i) => i);
  it.each(blocks)('cases of block %i', { timeout: BLOCK_MS }, async (block) => {
    // One fast-check seed per checker and block: every run draws the same cases, and the
    // failure message's seed and path replay the counterexample.
    const seed = (PROPERTIES.indexOf(property) + 1) * 1_000_003 + block;
    await fc.assert(
      fc.asyncProperty(caseArbitrary(property.bias), ([s, chaos]) => judge(property, s, chaos)),
      {
        seed,
        numRuns: Math.min(BLOCK, CASES - block * BLOCK),
        interruptAfterTimeLimit: SHRINK_MS,
        markInterruptAsFailure: true,
      },
    );
  });
});
