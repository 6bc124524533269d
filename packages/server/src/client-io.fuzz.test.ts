/**
 * Fuzzing the server's client IO path with arbitrary chunking, pauses and turns. Goal: however a
 * client's bytes are cut and delayed, whenever another client pauses the node (DEBUG SLEEP), and
 * however the node splits a long pipeline into turns, the node never throws (an AssertionError
 * ends the real process) and the client gets exactly the replies it gets when it sends everything
 * at once to a node that never pauses.
 *
 * Method (fast-check on the simulated Env): a script of commands (SET, APPEND, GET, INCR, ECHO,
 * STRLEN, PING, inline PINGs; values up to 40 KB, so bulks go through the parser's fill; sometimes
 * a run of more than CLIENT_COMMANDS_PER_TURN_MAX PINGs, so a pipeline takes several turns) is
 * cut into writes sent at random virtual times; a second client sends DEBUG SLEEP of random
 * length at random times; the network fragments at a random rate. The replies are compared, byte
 * for byte, with those of the same bytes sent in one write to a fresh node with no sleeps.
 *
 * Runs: REPLISIM_FUZZ_RUNS (default 25, a few seconds); REPLISIM_FUZZ_SEED and REPLISIM_FUZZ_PATH
 * replay a failure fast-check printed (the simulated worlds are seeded from the case).
 */
import { encodeCommand } from '@replisim/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_COMMANDS_PER_TURN_MAX } from './client-io.js';
import { SimClient } from './testing/sim-client.js';
import { startSimServer } from './testing/sim-server.js';

const RUNS_VARIABLE = 'REPLISIM_FUZZ_RUNS';
const SEED_VARIABLE = 'REPLISIM_FUZZ_SEED';
const PATH_VARIABLE = 'REPLISIM_FUZZ_PATH';
const RUNS = Number(process.env[RUNS_VARIABLE] ?? '25');
const SEED = process.env[SEED_VARIABLE];
const PATH = process.env[PATH_VARIABLE];

/** Virtual time given to the node after the last write: longer than every sleep put together. */
const SETTLE_MS = 60_000;

const keyArb = fc.constantFrom('a', 'b', 'c');
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1000, max: 40_000 }).map((length) => 'v'.repeat(length)),
  },
);

/** One request's bytes (most multibulk, a few inline). */
const requestArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.tuple(keyArb, valueArb).map(([key, value]) => encodeCommand(['SET', key, value])),
  fc.tuple(keyArb, valueArb).map(([key, value]) => encodeCommand(['APPEND', key, value])),
  keyArb.map((key) => encodeCommand(['GET', key])),
  keyArb.map((key) => encodeCommand(['STRLEN', key])),
  fc.constant(encodeCommand(['INCR', 'n'])),
  valueArb.map((value) => encodeCommand(['ECHO', value])),
  fc.constant(encodeCommand(['PING'])),
  fc.constant(Buffer.from('PING\r\n')),
);

/** Sometimes a run of PINGs longer than one turn. */
const burstArb: fc.Arbitrary<Buffer[]> = fc
  .integer({ min: CLIENT_COMMANDS_PER_TURN_MAX, max: 2 * CLIENT_COMMANDS_PER_TURN_MAX + 10 })
  .map((count) => [Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(count))]);

const scriptArb = fc.record({
  requests: fc.oneof(
    { weight: 5, arbitrary: fc.array(requestArb, { minLength: 1, maxLength: 25 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.array(requestArb, { maxLength: 5 }),
          burstArb,
          fc.array(requestArb, { maxLength: 5 }),
        )
        .map(([before, burst, after]) => [...before, ...burst, ...after]),
    },
  ),
  /** Where the stream is cut into writes, and the virtual ms before each write. */
  cuts: fc.array(fc.nat(), { maxLength: 10 }),
  gapsMs: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 11 }),
  /** DEBUG SLEEPs: when (ms after the first write) and how long (ms). */
  sleeps: fc.array(
    fc.record({ atMs: fc.integer({ min: 0, max: 2000 }), ms: fc.integer({ min: 1, max: 800 }) }),
    { maxLength: 3 },
  ),
  fragmentChance: fc.constantFrom(0, 0.3, 0.9),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

type Script = typeof scriptArb extends fc.Arbitrary<infer T> ? T : never;

function cut(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const positions = [...new Set(cuts.map((at) => at % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const position of [...positions, bytes.length]) {
    if (position > from) chunks.push(bytes.subarray(from, position));
    from = position;
  }
  return chunks;
}

/** The replies' bytes, as latin1 text, and whether the node closed the connection. */
interface Outcome {
  readonly replies: string[];
  readonly closed: boolean;
}

function runScript(script: Script, bytes: Buffer, paced: boolean): Outcome {
  const { world } = startSimServer({
    seed: script.seed,
    options: ['--enable-debug-command', 'yes'],
    network: { fragmentChance: paced ? script.fragmentChance : 0 },
  });
  const clientHost = world.addHost('client', '10.0.0.2');
  const client = SimClient.open(world, clientHost);
  const sleeper = SimClient.open(world, clientHost);
  type Step = { atMs: number; run: () => void };
  const steps: Step[] = [];
  if (paced) {
    let atMs = 0;
    cut(bytes, script.cuts).forEach((chunk, index) => {
      atMs += script.gapsMs[index % script.gapsMs.length] ?? 0;
      steps.push({ atMs, run: () => client.send(chunk) });
    });
    for (const sleep of script.sleeps) {
      const command = encodeCommand(['DEBUG', 'SLEEP', (sleep.ms / 1000).toFixed(3)]);
      steps.push({ atMs: sleep.atMs, run: () => sleeper.send(command) });
    }
  } else {
    steps.push({ atMs: 0, run: () => client.send(bytes) });
  }
  steps.sort((a, b) => a.atMs - b.atMs);
  let nowMs = 0;
  for (const step of steps) {
    world.runFor(step.atMs - nowMs);
    nowMs = step.atMs;
    step.run();
  }
  world.runFor(SETTLE_MS);
  return {
    replies: client.unread().map((reply) => reply.bytes.toString('latin1')),
    closed: client.closed,
  };
}

describe('client IO fed with arbitrary chunking, pauses and turns', () => {
  it('gives the replies of one write to a node that never pauses', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const bytes = Buffer.concat(script.requests);
        const reference = runScript(script, bytes, false);
        expect(reference.closed).toBe(false);
        expect(runScript(script, bytes, true)).toEqual(reference);
      }),
      {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: Number(SEED) }),
        ...(PATH === undefined ? {} : { path: PATH }),
      },
    );
  });
});
