/**
 * The container backend: every node a Docker container, every link a Toxiproxy proxy, through
 * testcontainers. It implements the same Backend as the process backend, and works the same way
 * (real time, INFO polled into a cache, node events from log lines, ioredis clients); what differs
 * is where things run:
 *
 * - One Docker network per run. Nodes are containers on it, reachable by their node name on 6379:
 *   the official `redis:7.0` image, or `replisim-server:local` built from
 *   docker/replisim.Dockerfile (once per run; Docker's layer cache makes later builds cheap).
 * - One Toxiproxy container (testcontainers' Toxiproxy module) on the network as `toxiproxy`, with
 *   one proxy per ordered pair of nodes and one per node for the clients, named as on the process
 *   backend (`replica-a->master`). A replica starts with `--replicaof toxiproxy <its proxy's port>`
 *   and announces its own alias. The harness reaches each node's `clients->` proxy on its port
 *   mapped to the host, and each node's own port (mapped too) for the INFO poller, which no fault
 *   blinds.
 * - Faults: kill = `docker kill -s KILL`, shutdown = `docker kill -s TERM` (the server's own
 *   shutdown), pause = `docker pause` (the cgroup freezer: the process stops as under SIGSTOP),
 *   restart = `docker restart` of the stopped container (same writable layer, so the same /data);
 *   link faults = the toxics of plan.ts. Power loss (`crash`) is SIGKILL for RDB-only nodes and
 *   refused with `appendonly yes`, for the reason the process backend gives. Disk faults, clock
 *   jumps and crash-after-rename are refused.
 * - Cleanup: every container, the Toxiproxy container and the network are registered in a
 *   CleanupRegistry as they are made, and `close()` (called after every run, and by the CLI on
 *   Ctrl-C) removes them newest first. testcontainers' Ryuk reaper removes them too if this process
 *   dies without closing.
 *
 * testcontainers is imported dynamically, on the first `start`, so nothing loads it unless a run
 * actually uses containers; the CLI and the tests probe for an engine first (engine-probe.ts).
 *
 * Never executed on the machines this was written on: they have no Docker engine. It is typechecked
 * against testcontainers' own types; its engine-free parts (plan.ts, cleanup.ts) are unit-tested.
 */
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { assert, type Connection, createRandom, type Random, type Timers } from '@replisim/base';
import { createRealNetwork, createRealTimers } from '@replisim/base/real';
import type { CreatedProxy } from '@testcontainers/toxiproxy';
import type { ContainerRuntimeClient, StartedNetwork, StartedTestContainer } from 'testcontainers';
import type { CommandChannel } from '../../client/command-channel.js';
import {
  type Backend,
  type DiskFault,
  type LatencyFault,
  type NodeSpec,
  type Undo,
  UnsupportedFault,
} from '../../cluster/backend.js';
import { eventOfLogLine, logMessage } from '../../cluster/log-events.js';
import type { NodeState } from '../../cluster/node-state.js';
import type { History } from '../../history/history.js';
import type { EventData, NodeEventKind } from '../../history/op.js';
import { InfoPoller } from '../process/info-poller.js';
import { IoredisChannel } from '../process/ioredis-channel.js';
import type { ServerKind } from '../process/process-backend.js';
import { RUN_UNTIL_STEP_MS, sleep, WallClockRun } from '../process/wall-clock-run.js';
import { CleanupRegistry } from './cleanup.js';
import {
  bandwidthToxics,
  containerCommand,
  containerPlan,
  cutToxics,
  holdToxics,
  latencyToxics,
  linkName,
  NODE_PORT_IN_CONTAINER,
  nodeArgs,
  REDIS_IMAGE,
  REPLISIM_DOCKERFILE,
  REPLISIM_IMAGE,
  resetPeerToxics,
  TOXIPROXY_ALIAS,
  TOXIPROXY_IMAGE,
  type ToxiproxyToxic,
} from './plan.js';

const CLIENTS = 'clients';
/** How long one container may take to start and answer INFO (an image pull is not included). */
const BOOT_MS_MAX = 60_000;
/** How often `runUntil` evaluates its predicate, and a restart looks whether the node is down. */
const DOWN_POLL_MS = 50;
/** A reset_peer toxic stays this long: long enough to reset every open connection, then removed. */
const RESET_PEER_MS = 100;
/** Log lines kept per node for the run folder. */
const LOG_LINES_MAX = 200_000;

/** The repository root: the build context of docker/replisim.Dockerfile. */
const REPOSITORY_ROOT: string = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface ContainerBackendOptions {
  readonly seed: number;
  readonly server: ServerKind;
  /** A command without a reply by then is recorded as info (outcome unknown). */
  readonly commandTimeoutMs?: number;
}

/** What the first start builds: the modules, the network, Toxiproxy. */
interface Environment {
  readonly tc: typeof import('testcontainers');
  readonly network: StartedNetwork;
  readonly toxiproxy: import('@testcontainers/toxiproxy').StartedToxiProxyContainer;
}

/** What the backend does to a node's container through the Docker API. */
interface DockerHandle {
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  running(): Promise<boolean>;
}

interface Link {
  readonly proxy: CreatedProxy['instance'];
  /** The proxy's port inside the network (what a node's REPLICAOF names). */
  readonly listenPort: number;
  /** Where the harness reaches it. */
  readonly host: string;
  readonly hostPort: number;
}

interface ContainerNode {
  readonly spec: NodeSpec;
  readonly poller: InfoPoller;
  readonly logs: string[];
  container: StartedTestContainer | undefined;
  /** The container's process runs (false after it exited or was killed). */
  running: boolean;
  /** The harness ended this incarnation itself (kill, crash, close): its exit is no event. */
  killed: boolean;
  /** Counts boots: a log stream that ends late speaks only for its own incarnation. */
  incarnation: number;
  /** Docker operations on this node, in order (a restart waits for the kill before it). */
  chain: Promise<void>;
}

export class ContainerBackend implements Backend {
  readonly kind = 'container' as const;
  readonly server: ServerKind;
  readonly random: Random;
  readonly timers: Timers;
  private readonly commandTimeoutMs: number | undefined;
  private readonly originMs = performance.now();
  private readonly nodes = new Map<string, ContainerNode>();
  private readonly links = new Map<string, Link>();
  private readonly channels = new Set<CommandChannel>();
  private readonly cleanup = new CleanupRegistry();
  private environment: Promise<Environment> | undefined;
  private linksReady: Promise<void> = Promise.resolve();
  private runtimeClient: Promise<ContainerRuntimeClient> | undefined;
  private toxicNames = 0;
  private history: History | undefined;
  /** Waits in wall-clock time; background failures and aborts stop the run (wall-clock-run.ts). */
  private readonly run = new WallClockRun();
  private closed = false;

  constructor(options: ContainerBackendOptions) {
    this.server = options.server;
    this.random = createRandom(options.seed).fork();
    this.timers = createRealTimers();
    this.commandTimeoutMs = options.commandTimeoutMs;
  }

  now(): number {
    return Math.round(performance.now() - this.originMs);
  }

  attach(history: History): void {
    this.history = history;
  }

  addNode(spec: NodeSpec): void {
    assert(!this.nodes.has(spec.name), `duplicate node ${spec.name}`);
    assert(spec.name !== CLIENTS, `${CLIENTS} is reserved`);
    this.nodes.set(spec.name, {
      spec,
      poller: new InfoPoller(),
      logs: [],
      container: undefined,
      running: false,
      killed: false,
      incarnation: 0,
      chain: Promise.resolve(),
    });
  }

  start(name: string): void {
    const entry = this.node(name);
    this.event(name, 'boot', `boots in a container (${entry.spec.options.join(' ')})`);
    this.onNode(entry, async () => {
      const environment = await this.ensureEnvironment();
      await this.ensureLinks(environment);
      await this.boot(environment, entry);
    });
  }

  address(name: string, from: string = CLIENTS): { readonly host: string; readonly port: number } {
    const link = this.link(from, name);
    return from === CLIENTS
      ? { host: link.host, port: link.hostPort }
      : { host: TOXIPROXY_ALIAS, port: link.listenPort };
  }

  connect(name: string, done: (connection: Connection | undefined) => void): void {
    const link = this.links.get(linkName(CLIENTS, name));
    if (link === undefined) {
      done(undefined);
      return;
    }
    createRealNetwork().connect(link.host, link.hostPort, (result) =>
      done(result.ok ? result.value : undefined),
    );
  }

  openChannel(name: string, done: (channel: CommandChannel | undefined) => void): void {
    const link = this.links.get(linkName(CLIENTS, name));
    if (link === undefined) {
      done(undefined);
      return;
    }
    IoredisChannel.open(
      link.host,
      link.hostPort,
      (channel) => {
        if (channel !== undefined) this.channels.add(channel);
        done(channel);
      },
      this.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: this.commandTimeoutMs },
    );
  }

  logs(name: string): readonly string[] {
    return this.node(name).logs;
  }

  state(name: string): NodeState | undefined {
    const entry = this.node(name);
    if (!entry.running || entry.killed) return undefined;
    return entry.poller.state;
  }

  runFor(ms: number): Promise<void> {
    return this.run.runFor(ms);
  }

  runUntil(predicate: () => boolean, boundMs: number): Promise<boolean> {
    return this.run.runUntil(predicate, boundMs);
  }

  traceHash(): string {
    return 'none (containers do not replay)';
  }

  /** Stops the run from outside: the next wait throws RunAborted with `reason`. */
  abort(reason: string): void {
    this.run.abort(reason);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const channel of this.channels) channel.close();
    for (const entry of this.nodes.values()) {
      entry.killed = true;
      entry.poller.stop();
    }
    const failures = await this.cleanup.runAll();
    if (failures.length > 0) {
      this.event('narrator', 'note', `cleanup failed in part: ${failures.join('; ')}`);
    }
  }

  // --- Faults -------------------------------------------------------------------------------------

  crash(name: string): void {
    if (lastValue(this.node(name).spec.options, 'appendonly') === 'yes') {
      throw new UnsupportedFault(
        `power loss of ${name}: a container cannot lose its unsynced AOF tail (appendonly yes); power loss is modelled only for RDB-only nodes, where SIGKILL leaves a state a power loss may leave`,
      );
    }
    this.kill(name);
  }

  kill(name: string): void {
    const entry = this.node(name);
    entry.killed = true;
    entry.poller.stop();
    this.onNode(entry, () => this.signal(entry, 'SIGKILL'));
  }

  restart(name: string): void {
    const entry = this.node(name);
    this.event(name, 'boot', `boots again in its container (${entry.spec.options.join(' ')})`);
    this.onNode(entry, async () => {
      const environment = await this.ensureEnvironment();
      if (entry.container === undefined) {
        await this.boot(environment, entry);
        return;
      }
      await this.waitDown(entry);
      const since = Date.now() / 1000;
      await entry.container.restart({ timeout: 0 });
      entry.incarnation++;
      entry.killed = false;
      entry.running = true;
      this.follow(entry, await entry.container.logs({ since }));
      await this.awaitInfo(entry, entry.container);
    });
  }

  shutdown(name: string): void {
    const entry = this.node(name);
    this.onNode(entry, () => this.signal(entry, 'SIGTERM'));
  }

  pause(name: string): Undo {
    const entry = this.node(name);
    this.onNode(entry, async () => {
      await this.dockerContainer(entry)?.pause();
    });
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      this.onNode(entry, async () => {
        await this.dockerContainer(entry)?.unpause();
      });
    };
  }

  cut(source: string, target: string): Undo {
    return this.withToxics(cutToxics(source, target));
  }

  hold(source: string, target: string): Undo {
    return this.withToxics(holdToxics(source, target));
  }

  resetPeer(a: string, b: string): void {
    const undo = this.withToxics(resetPeerToxics(a, b));
    setTimeout(undo, RESET_PEER_MS);
  }

  latency(a: string, b: string, fault: LatencyFault): Undo {
    return this.withToxics(latencyToxics(a, b, fault));
  }

  bandwidth(a: string, b: string, bytesPerSec: number): Undo {
    return this.withToxics(bandwidthToxics(a, b, bytesPerSec));
  }

  disk(name: string, _fault: DiskFault): Undo {
    throw new UnsupportedFault(
      `disk faults on ${name}: a container's disk cannot be made slow, full or failing from the harness; run this scenario on the sim backend`,
    );
  }

  clockJump(name: string, _ms: number): void {
    throw new UnsupportedFault(
      `clock jump on ${name}: a container reads the host's clock; run this scenario on the sim backend`,
    );
  }

  // --- Internals ----------------------------------------------------------------------------------

  private node(name: string): ContainerNode {
    const entry = this.nodes.get(name);
    assert(entry !== undefined, `unknown node ${name}`);
    return entry;
  }

  private link(source: string, target: string): Link {
    const link = this.links.get(linkName(source, target));
    assert(link !== undefined, `no link ${linkName(source, target)} (is ${target} started?)`);
    return link;
  }

  /** Loads testcontainers and starts the network and Toxiproxy, once. */
  private ensureEnvironment(): Promise<Environment> {
    this.environment ??= (async () => {
      const tc = await import('testcontainers');
      const { ToxiProxyContainer } = await import('@testcontainers/toxiproxy');
      const network = await new tc.Network().start();
      this.cleanup.add(`network ${network.getName()}`, async () => {
        await network.stop();
      });
      const toxiproxy = await new ToxiProxyContainer(TOXIPROXY_IMAGE)
        .withNetwork(network)
        .withNetworkAliases(TOXIPROXY_ALIAS)
        .start();
      this.cleanup.add('the Toxiproxy container', async () => {
        await toxiproxy.stop({ timeout: 0 });
      });
      if (this.server === 'replisim') {
        await tc.GenericContainer.fromDockerfile(REPOSITORY_ROOT, REPLISIM_DOCKERFILE).build(
          REPLISIM_IMAGE,
          { deleteOnExit: false },
        );
      }
      return { tc, network, toxiproxy };
    })();
    return this.environment;
  }

  /**
   * Creates the proxies of every declared node that has none yet, in the plan's order, one at a
   * time (the Toxiproxy module hands out its ports in order).
   */
  private ensureLinks(environment: Environment): Promise<void> {
    this.linksReady = this.linksReady.then(async () => {
      const plan = containerPlan(
        [...this.nodes.values()].map((entry) => entry.spec),
        this.server,
        'run',
      );
      for (const planned of plan.proxies) {
        if (this.links.has(planned.name)) continue;
        const created = await environment.toxiproxy.createProxy({
          name: planned.name,
          upstream: planned.upstream,
        });
        const listenPort = Number(
          created.instance.listen.slice(created.instance.listen.lastIndexOf(':') + 1),
        );
        assert(
          Number.isInteger(listenPort),
          `proxy ${planned.name} listens on ${created.instance.listen}`,
        );
        this.links.set(planned.name, {
          proxy: created.instance,
          listenPort,
          host: created.host,
          hostPort: created.port,
        });
      }
    });
    return this.linksReady;
  }

  /** Creates and starts the node's container, then waits until it answers INFO. */
  private async boot(environment: Environment, entry: ContainerNode): Promise<void> {
    if (this.closed) return;
    const { spec } = entry;
    const masterPort =
      spec.replicaOf === undefined ? undefined : this.link(spec.name, spec.replicaOf).listenPort;
    const image = this.server === 'redis' ? REDIS_IMAGE : REPLISIM_IMAGE;
    entry.incarnation++;
    const container = await new environment.tc.GenericContainer(image)
      .withNetwork(environment.network)
      .withNetworkAliases(spec.name)
      .withCommand(containerCommand(this.server, nodeArgs(spec, masterPort)))
      .withExposedPorts(NODE_PORT_IN_CONTAINER)
      .withStartupTimeout(BOOT_MS_MAX)
      .withLogConsumer((stream) => this.follow(entry, stream))
      .start();
    this.cleanup.add(`container ${spec.name}`, async () => {
      await container.stop({ timeout: 0 });
    });
    entry.container = container;
    entry.killed = false;
    entry.running = true;
    await this.awaitInfo(entry, container);
  }

  /** Polls the container's own port until INFO answers, or fails the run after BOOT_MS_MAX. */
  private async awaitInfo(entry: ContainerNode, container: StartedTestContainer): Promise<void> {
    entry.poller.start(container.getMappedPort(NODE_PORT_IN_CONTAINER), container.getHost());
    const deadline = performance.now() + BOOT_MS_MAX;
    while (entry.poller.state === undefined && !entry.killed && !this.closed) {
      if (performance.now() > deadline) {
        const tail = entry.logs.slice(-5).join(' | ');
        throw new Error(`${entry.spec.name} (${container.getName()}) did not answer INFO: ${tail}`);
      }
      await sleep(RUN_UNTIL_STEP_MS * 4);
    }
  }

  /** Reads a container's log stream line by line until it ends (the container stopped). */
  private follow(entry: ContainerNode, stream: Readable): void {
    const incarnation = entry.incarnation;
    let partial = '';
    stream.on('data', (chunk: Buffer | string) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') this.onLine(entry, line.trimEnd());
    });
    stream.on('end', () => {
      if (partial.trim() !== '') this.onLine(entry, partial.trimEnd());
      this.onExit(entry, incarnation);
    });
    stream.on('error', () => this.onExit(entry, incarnation));
  }

  private onLine(entry: ContainerNode, line: string): void {
    if (entry.logs.length < LOG_LINES_MAX) entry.logs.push(line);
    const event = eventOfLogLine(line);
    if (event !== undefined)
      this.event(entry.spec.name, event.kind, logMessage(line), event.data ?? undefined);
  }

  private onExit(entry: ContainerNode, incarnation: number): void {
    if (!entry.running || incarnation !== entry.incarnation) return;
    entry.running = false;
    entry.poller.stop();
    if (entry.killed || this.closed) return;
    this.event(entry.spec.name, 'shutdown', 'its container exited');
  }

  /**
   * The Docker API's handle on the node's container, once it exists: testcontainers' started
   * container has no kill or pause, so they go through its runtime client (dockerode).
   */
  private dockerContainer(entry: ContainerNode): DockerHandle | undefined {
    const id = entry.container?.getId();
    if (id === undefined) return undefined;
    const docker = async () => (await this.runtime()).container;
    return {
      kill: async (signal) => {
        const client = await docker();
        await client.getById(id).kill({ signal });
      },
      pause: async () => {
        const client = await docker();
        await client.getById(id).pause();
      },
      unpause: async () => {
        const client = await docker();
        await client.getById(id).unpause();
      },
      running: async () => {
        const client = await docker();
        return (await client.inspect(client.getById(id))).State.Running;
      },
    };
  }

  private runtime(): Promise<ContainerRuntimeClient> {
    this.runtimeClient ??= this.ensureEnvironment().then(({ tc }) =>
      tc.getContainerRuntimeClient(),
    );
    return this.runtimeClient;
  }

  /** `docker kill -s <signal>`; a container that is not running needs none. */
  private async signal(entry: ContainerNode, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const container = this.dockerContainer(entry);
    if (container === undefined || !(await container.running())) return;
    await container.kill(signal);
  }

  /** Waits until the node's container no longer runs (a SIGTERM's shutdown may still be saving). */
  private async waitDown(entry: ContainerNode): Promise<void> {
    const container = this.dockerContainer(entry);
    const deadline = performance.now() + BOOT_MS_MAX;
    while (container !== undefined && (await container.running())) {
      if (performance.now() > deadline) throw new Error(`${entry.spec.name} did not stop`);
      await sleep(DOWN_POLL_MS);
    }
    entry.running = false;
    entry.poller.stop();
  }

  /** Adds `toxics` (in order, after the links exist); the Undo removes them. */
  private withToxics(toxics: readonly ToxiproxyToxic[]): Undo {
    const added: Promise<{ remove(): Promise<void> } | undefined>[] = toxics.map((toxic) => {
      const name = `${toxic.name}-${++this.toxicNames}`;
      return this.linksReady.then(async () => {
        const link = this.links.get(toxic.proxy);
        if (link === undefined) return undefined;
        return link.proxy.addToxic<Readonly<Record<string, number>>>({
          name,
          type: toxic.type,
          stream: toxic.stream,
          toxicity: toxic.toxicity,
          attributes: toxic.attributes,
        });
      });
    });
    for (const pending of added) pending.catch((error: unknown) => this.fail(error));
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      for (const pending of added) {
        pending
          .then((toxic) => toxic?.remove())
          .catch((error: unknown) => {
            if (!this.closed) this.fail(error);
          });
      }
    };
  }

  /** Runs `step` after the node's earlier Docker operations; a failure stops the run. */
  private onNode(entry: ContainerNode, step: () => Promise<void>): void {
    entry.chain = entry.chain.then(step).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.run.fail(error);
  }

  private event(node: string, kind: NodeEventKind, text: string, data?: EventData): void {
    this.history?.event(node, kind, text, data);
  }
}

/** The value of the last `--name value` in option words (the last one wins, as in redis-server). */
function lastValue(options: readonly string[], name: string): string | undefined {
  const at = options.lastIndexOf(`--${name}`);
  return at < 0 ? undefined : options[at + 1];
}
