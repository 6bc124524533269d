/**
 * A replisim node on a simulated host, for tests (and later the harness): builds a SimWorld with
 * a server host, starts a ServerNode on it from redis-server-style option words, and runs virtual
 * time until it listens. Log lines are kept with their virtual time, so a test can check what the
 * node logged and when. Everything here goes through the Env: no real time, sockets or randomness.
 */
import { assert, type SimHost, type SimNetworkOptions, SimWorld } from '@replisim/base';
import { loadConfig } from '../config/load-config.js';
import { ServerNode } from '../node.js';

export const SIM_SERVER_ADDRESS = '10.0.0.1';
export const SIM_SERVER_PORT = 6379;

/** A stable fake pid, so log lines are the same in every run. */
const SIM_PID = 4242;

export interface SimServerOptions {
  readonly seed: number | string;
  /**
   * redis-server option words, e.g. ['--maxclients', '2']; port, bind and `protected-mode no` are
   * set here, before them.
   */
  readonly options?: readonly string[];
  readonly network?: Partial<SimNetworkOptions>;
}

export interface SimServer {
  readonly world: SimWorld;
  readonly host: SimHost;
  readonly node: ServerNode;
  readonly logs: string[];
}

export function startSimServer(options: SimServerOptions): SimServer {
  const world = new SimWorld({
    seed: options.seed,
    ...(options.network === undefined ? {} : { network: options.network }),
  });
  const host = world.addHost('server', SIM_SERVER_ADDRESS);
  const loaded = loadConfig('', [
    '--port',
    String(SIM_SERVER_PORT),
    '--bind',
    '0.0.0.0',
    // Test clients connect from other simulated hosts; a test of protected mode turns it back on.
    '--protected-mode',
    'no',
    ...(options.options ?? []),
  ]);
  assert(loaded.ok, `bad options: ${loaded.ok ? '' : loaded.error.reason}`);
  const logs: string[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    logSink: (line) => logs.push(line),
    pid: SIM_PID,
  });
  let started = false;
  node.start((result) => {
    assert(result.ok, `start failed: ${result.ok ? '' : result.message}`);
    started = true;
  });
  runUntil(world, () => started, 100);
  return { world, host, node, logs };
}

/** Runs the world until `predicate` holds, for at most `durationMsMax` virtual ms (SimWorld.runUntilTrue). */
export function runUntil(
  world: SimWorld,
  predicate: () => boolean,
  durationMsMax: number,
): boolean {
  return world.runUntilTrue(predicate, durationMsMax);
}
