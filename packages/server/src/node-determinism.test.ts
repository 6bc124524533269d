/**
 * A simulated run of the server is a pure function of its seed (DESIGN.md Principle 1): running the
 * same seed twice must replay the same trace hash, the same reply bytes on every connection and
 * the same log lines; another seed must give another trace.
 *
 * Method: a busy world. Three client hosts run event-driven clients (no test-side stepping): each
 * connects, sends random pipelines on random timers (SET with and without PX, GET, DEL, EXISTS,
 * ECHO of random bytes, SELECT, DBSIZE, CLIENT LIST, an unknown command), and reconnects when
 * closed. One client goes quiet and is closed by `timeout`; one kills another with CLIENT KILL; a
 * link is held and released. Every random choice comes from the hosts' Random, so the seed decides
 * everything.
 */
import type { Connection, Env, SimWorld } from '@replisim/base';
import { encodeCommand } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { SIM_SERVER_ADDRESS, SIM_SERVER_PORT, startSimServer } from './testing/sim-server.js';

const RUN_MS = 8_000;

interface Transcript {
  /** Per connection, in opening order: every byte received, then how it closed and when. */
  readonly connections: string[];
}

function randomCommand(env: Env, clientIndex: number): (string | Buffer)[] {
  const { random } = env;
  const key = `k${random.int(8)}`;
  switch (random.int(10)) {
    case 0:
      return ['SET', key, random.hex(random.int(20))];
    case 1:
      return ['SET', key, random.hex(8), 'PX', String(1 + random.int(300))];
    case 2:
    case 3:
      return ['GET', key];
    case 4:
      return ['DEL', key, `k${random.int(8)}`];
    case 5:
      return ['EXISTS', key, key];
    case 6:
      return ['ECHO', Buffer.from(random.bytes(random.int(2000)))];
    case 7:
      return ['SELECT', String(random.int(3))];
    case 8:
      return clientIndex === 0 ? ['CLIENT', 'LIST'] : ['DBSIZE'];
    default:
      return ['NOSUCH', key];
  }
}

/**
 * One client program: connect, then every 0-40 ms send a pipeline of 1-8 random commands, until
 * `quietAfterMs` (then it only waits); reconnect 100-300 ms after any close.
 */
function startClient(env: Env, index: number, transcript: Transcript, quietAfterMs: number): void {
  const connect = (): void => {
    env.network.connect(SIM_SERVER_ADDRESS, SIM_SERVER_PORT, (result) => {
      if (!result.ok) {
        env.timers.after(200, connect);
        return;
      }
      const slot = transcript.connections.length;
      transcript.connections.push(`client ${index} @${env.clock.monotonicMs()}: `);
      const connection: Connection = result.value;
      let open = true;
      connection.onData((chunk) => {
        transcript.connections[slot] += chunk.toString('latin1');
      });
      connection.onClose((error) => {
        open = false;
        transcript.connections[slot] +=
          ` <closed ${error?.code ?? 'clean'} @${env.clock.monotonicMs()}>`;
        env.timers.after(100 + env.random.int(200), connect);
      });
      const send = (): void => {
        if (!open || env.clock.monotonicMs() > quietAfterMs) return;
        const count = 1 + env.random.int(8);
        const requests = Array.from({ length: count }, () =>
          encodeCommand(randomCommand(env, index)),
        );
        connection.write(Buffer.concat(requests));
        env.timers.after(env.random.int(40), send);
      };
      send();
    });
  };
  connect();
}

/** Every 700-1500 ms, kills the oldest other client by id (read from CLIENT LIST). */
function startKiller(env: Env, transcript: Transcript): void {
  env.network.connect(SIM_SERVER_ADDRESS, SIM_SERVER_PORT, (result) => {
    if (!result.ok) return;
    const connection = result.value;
    let received = '';
    connection.onData((chunk) => {
      received += chunk.toString('latin1');
      const ids = [...received.matchAll(/id=(\d+) /g)].map((match) => match[1]);
      const victim = ids.find((id) => id !== undefined && id !== '1');
      if (victim === undefined) return;
      received = '';
      transcript.connections.push(`killer @${env.clock.monotonicMs()}: kill ${victim}`);
      connection.write(encodeCommand(['CLIENT', 'KILL', 'ID', victim]));
    });
    connection.onClose(() => {});
    const tick = (): void => {
      connection.write(encodeCommand(['CLIENT', 'LIST']));
      env.timers.after(700 + env.random.int(800), tick);
    };
    env.timers.after(500, tick);
  });
}

interface RunSummary {
  readonly hash: string;
  readonly events: number;
  readonly transcript: Transcript;
  readonly logs: readonly string[];
  readonly commands: number;
}

function runScenario(seed: number | string): RunSummary {
  const { world, node, logs } = startSimServer({
    seed,
    options: ['--timeout', '2', '--databases', '3', '--loglevel', 'verbose'],
    network: { latencyMsMin: 1, latencyMsMax: 15, fragmentChance: 0.5, chunkBytesMax: 512 },
  });
  const transcript: Transcript = { connections: [] };
  const hosts = ['10.0.0.2', '10.0.0.3', '10.0.0.4'].map((address, i) =>
    world.addHost(`client-${i}`, address),
  );
  startKiller(world.addHost('killer', '10.0.0.9').env, transcript);
  // Client 2 goes quiet after 3 s: `timeout 2` must close it between 5 and 6 s.
  for (const [i, host] of hosts.entries()) {
    startClient(host.env, i, transcript, i === 2 ? 3_000 : RUN_MS);
  }
  const script: [number, (world: SimWorld) => void][] = [
    [2_000, (w) => w.hold('client-0', 'server')],
    [2_600, (w) => w.release('client-0', 'server')],
  ];
  for (const [timeMs, action] of script) {
    expect(world.runUntil(timeMs).limitReached).toBe(false);
    action(world);
  }
  expect(world.runUntil(RUN_MS).limitReached).toBe(false);
  return {
    hash: world.traceHash(),
    events: world.scheduler.eventsRun(),
    transcript,
    logs,
    commands: node.stats.commandsProcessed,
  };
}

describe('determinism', () => {
  const seeds = [1, 2, 'replisim'];

  it('replays the same trace, replies and logs when a seed runs twice', () => {
    for (const seed of seeds) {
      const first = runScenario(seed);
      const second = runScenario(seed);
      expect(second.hash, `seed ${seed}`).toBe(first.hash);
      expect(second).toEqual(first);
      // The run did real work: many commands, kills, and the idle client's timeout.
      expect(first.commands, `seed ${seed}`).toBeGreaterThan(1000);
      expect(first.transcript.connections.some((entry) => entry.startsWith('killer'))).toBe(true);
      expect(first.logs.some((line) => line.endsWith('Closing idle client'))).toBe(true);
    }
  });

  it('gives different traces for different seeds', () => {
    const hashes = new Set(seeds.map((seed) => runScenario(seed).hash));
    expect(hashes.size).toBe(seeds.length);
  });
});
