/**
 * What every scenario shares: its result shape, and a driver that connects clients to simulated
 * nodes and waits for replies by running the world. Scenarios are written as straight-line stories
 * (boot, load, write, fault, check); the driver turns each "wait for X" into running simulated time
 * until X happened, and fails loudly if it never does.
 */
import type { SimHost, SimWorld } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import { RespClient, replyText } from './sim/resp-client.js';
import { NODE_PORT } from './sim/sim-node.js';
import type { Timeline } from './timeline.js';

export interface ScenarioResult {
  readonly name: string;
  readonly seed: number;
  readonly timeline: Timeline;
  readonly passed: boolean;
  /** One line per finding; the first says whether the invariant held. */
  readonly verdict: string[];
}

/** The knobs every writer-driven scenario takes; the defaults are each scenario's own. */
export interface WriterScenarioOptions {
  readonly seed: number;
  /** Keys loaded before the story starts. */
  readonly keys?: number;
  /** Simulated ms between a write's reply and the next write. */
  readonly writeIntervalMs?: number;
}

/** How long a scenario waits for one thing to happen, in simulated ms, before it calls itself stuck. */
export const WAIT_MS_MAX = 60_000;

export class ScenarioDriver {
  readonly world: SimWorld;
  private readonly clientHost: SimHost;

  constructor(world: SimWorld, clientHost: SimHost) {
    this.world = world;
    this.clientHost = clientHost;
  }

  /** Runs the world until `predicate` holds; throws if it does not within WAIT_MS_MAX. */
  waitFor(predicate: () => boolean, what: string): void {
    if (!this.world.runUntilTrue(predicate, WAIT_MS_MAX)) {
      throw new Error(`scenario stuck: ${what} did not happen within ${WAIT_MS_MAX} simulated ms`);
    }
  }

  /** A client on the client host, connected to a node's address. */
  connect(address: string): RespClient {
    let client: RespClient | undefined;
    let answered = false;
    RespClient.connect(this.clientHost.env, address, NODE_PORT, (result) => {
      client = result;
      answered = true;
    });
    this.waitFor(() => answered, `a connection to ${address}`);
    if (client === undefined) throw new Error(`connection to ${address} refused`);
    return client;
  }

  /** Sends one command and waits for its reply (undefined if the connection died). */
  request(client: RespClient, argv: readonly string[]): RespValue | undefined {
    let done = false;
    let reply: RespValue | undefined;
    client.send(argv, (value) => {
      done = true;
      reply = value;
    });
    this.waitFor(() => done, `the reply to ${argv[0] ?? 'a command'}`);
    return reply;
  }

  /** `request` as text; errors come back as `(error) ...`, as redis-cli shows them. */
  call(client: RespClient, argv: readonly string[]): string | undefined {
    const reply = this.request(client, argv);
    return reply?.kind === 'error' ? `(error) ${reply.value}` : replyText(reply);
  }
}
