/**
 * The determinism self-check (DESIGN.md Principle 1, madsim's check): a simulated run must be a pure
 * function of its seed. If anything in base/src/sim (or code it runs) read real time, iterated a
 * hash-ordered collection or drew an unseeded random number, two runs of one seed would diverge.
 *
 * Method: a small but busy world. A server host runs a length-prefixed echo service that also
 * appends every frame to a log file, fsyncing every few frames; a client host sends random frames at
 * random intervals, checks each echo against what it sent, and reconnects after every close. The
 * network fragments, coalesces and delays; the script partitions and repairs the link, crashes and
 * restarts the server, and holds and releases traffic. Each seed runs twice: the trace hashes (and a
 * summary of what happened) must be equal, different seeds must give different hashes, and no echo
 * may ever come back wrong.
 */
import { type Connection, type Env, type FileHandle, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';

const PORT = 6379;
const SERVER_ADDRESS = '10.0.0.1';
const RUN_MS = 12_000;

interface Stats {
  echoes: number;
  mismatches: number;
  connectFailures: number;
  closes: string[];
  framesLogged: number;
}

/** Splits complete length-prefixed frames off a growing buffer. */
function takeFrames(pending: Buffer, onFrame: (frame: Buffer) => void): Buffer {
  let rest = pending;
  while (rest.length >= 4) {
    const length = rest.readUInt32BE(0);
    if (rest.length < 4 + length) break;
    onFrame(rest.subarray(0, 4 + length));
    rest = rest.subarray(4 + length);
  }
  return rest;
}

/** The echo server: echoes frames and logs them to disk, one write at a time, fsync every 5. */
function startServer(env: Env, stats: Stats): void {
  let file: FileHandle | undefined;
  let busy = false;
  let unsynced = 0;
  const queue: Buffer[] = [];
  const pump = (): void => {
    const next = queue[0];
    if (busy || file === undefined || next === undefined) return;
    const handle = file;
    busy = true;
    queue.shift();
    env.disk.write(handle, next, (written) => {
      if (written.ok) stats.framesLogged += 1;
      unsynced += 1;
      if (unsynced < 5) {
        busy = false;
        pump();
        return;
      }
      unsynced = 0;
      env.disk.fsync(handle, () => {
        busy = false;
        pump();
      });
    });
  };
  env.disk.open('echo.log', 'append', (opened) => {
    if (!opened.ok) return;
    env.disk.fsyncDir('.', () => {
      file = opened.value;
      pump();
    });
  });
  env.network.listen(
    { host: '0.0.0.0', port: PORT },
    (connection: Connection) => {
      let pending: Buffer = Buffer.alloc(0);
      connection.onData((chunk) => {
        pending = takeFrames(Buffer.concat([pending, chunk]), (frame) => {
          connection.write(frame);
          queue.push(frame);
        });
        pump();
      });
      connection.onClose(() => {});
    },
    (listening) => {
      if (!listening.ok) throw new Error(`listen failed: ${listening.error.code}`);
    },
  );
}

/** The client: sends random frames, checks echoes in order, reconnects after every close. */
function startClient(env: Env, stats: Stats): void {
  const connectLoop = (): void => {
    env.network.connect(SERVER_ADDRESS, PORT, (result) => {
      if (!result.ok) {
        stats.connectFailures += 1;
        env.timers.after(200, connectLoop);
        return;
      }
      const connection = result.value;
      const expected: Buffer[] = [];
      let pending: Buffer = Buffer.alloc(0);
      let open = true;
      connection.onData((chunk) => {
        pending = takeFrames(Buffer.concat([pending, chunk]), (frame) => {
          const want = expected.shift();
          if (want?.equals(frame)) stats.echoes += 1;
          else stats.mismatches += 1;
        });
      });
      connection.onClose((error) => {
        open = false;
        stats.closes.push(`${env.clock.monotonicMs()}:${error?.code ?? 'clean'}`);
        env.timers.after(100 + env.random.int(200), connectLoop);
      });
      const send = (): void => {
        if (!open) return;
        const length = env.random.int(2000);
        const frame = Buffer.alloc(4 + length);
        frame.writeUInt32BE(length, 0);
        frame.set(env.random.bytes(length), 4);
        expected.push(frame);
        connection.write(frame);
        env.timers.after(env.random.int(30), send);
      };
      send();
    });
  };
  connectLoop();
}

interface RunSummary {
  readonly hash: string;
  readonly events: number;
  readonly stats: Stats;
  readonly durableLogBytes: number;
}

function runScenario(seed: number | string): RunSummary {
  const world = new SimWorld({
    seed,
    network: { latencyMsMin: 1, latencyMsMax: 20, fragmentChance: 0.4 },
  });
  const server = world.addHost('server', SERVER_ADDRESS, { disk: { cwd: '/data' } });
  const client = world.addHost('client', '10.0.0.2');
  const stats: Stats = {
    echoes: 0,
    mismatches: 0,
    connectFailures: 0,
    closes: [],
    framesLogged: 0,
  };
  startServer(server.env, stats);
  startClient(client.env, stats);

  const script: [number, () => void][] = [
    [2_000, () => world.partition('client', 'server')],
    [3_000, () => world.repair('client', 'server')],
    [5_000, () => server.crash()],
    [5_500, () => startServer(server.restart(), stats)],
    [8_000, () => world.hold('client', 'server')],
    [8_500, () => world.release('client', 'server')],
    [10_000, () => world.resetConnections('client', 'server')],
  ];
  for (const [timeMs, action] of script) {
    expect(world.runUntil(timeMs).limitReached).toBe(false);
    action();
  }
  expect(world.runUntil(RUN_MS).limitReached).toBe(false);
  return {
    hash: world.traceHash(),
    events: world.scheduler.eventsRun(),
    stats,
    durableLogBytes: server.disk.readDurableFileSync('/data/echo.log')?.length ?? -1,
  };
}

describe('determinism', () => {
  const seeds = [1, 2, 3, 1234, 'replisim'];

  it('gives the same trace hash when a seed runs twice', () => {
    for (const seed of seeds) {
      const first = runScenario(seed);
      const second = runScenario(seed);
      expect(second.hash, `seed ${seed}`).toBe(first.hash);
      expect(second).toEqual(first);
      // The run did real work and survived its faults intact.
      expect(first.stats.mismatches, `seed ${seed}`).toBe(0);
      expect(first.stats.echoes, `seed ${seed}`).toBeGreaterThan(500);
      expect(first.stats.closes.length, `seed ${seed}`).toBeGreaterThanOrEqual(2);
      expect(first.durableLogBytes, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('gives different trace hashes for different seeds', () => {
    const hashes = new Set(seeds.map((seed) => runScenario(seed).hash));
    expect(hashes.size).toBe(seeds.length);
  });
});
