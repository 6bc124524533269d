/**
 * The sim backend: a cluster in the deterministic simulator (DESIGN.md Principle 1). Every node is a
 * replisim ServerNode on its own simulated host (10.0.0.1, 10.0.0.2, ... in the order nodes are
 * added); every client runs on one client host (10.0.0.100). Time passes only in `runFor` and
 * `runUntil`, which run the world's event queue, so a run is a pure function of its seed and
 * `traceHash()` proves it.
 *
 * Node events come from the nodes' log lines (cluster/log-events.ts), as on real processes, plus
 * what only a simulator can see exactly: the disk's renames and directory fsyncs (so a checker knows
 * whether a power loss fell between them) and each BGSAVE's snapshot point (the replication offset
 * at the instant it started). Node state is read from INFO's fields in-process: the same fields a
 * real node would return, at no cost in simulated time.
 *
 * For the report's offset plot, every node is sampled every OFFSET_SAMPLE_EVERY_MS of virtual time
 * (cluster/offset-sample.ts) and an `offset` event is recorded when a node's sample changed; boot
 * events carry the node's address and renames the renamed file's size (a received snapshot's size).
 */
import {
  assert,
  type Connection,
  type Random,
  type SimDiskFaults,
  type SimHost,
  SimWorld,
  type Timers,
} from '@replisim/base';
import { infoFieldMap, type ServerNode, type TestBug } from '@replisim/server';
import type { Backend, DiskFault, LatencyFault, NodeSpec, Undo } from '../../cluster/backend.js';
import { eventOfLogLine, logMessage } from '../../cluster/log-events.js';
import { type NodeState, nodeStateOf } from '../../cluster/node-state.js';
import {
  OFFSET_SAMPLE_EVERY_MS,
  offsetSampleKey,
  offsetSampleOf,
} from '../../cluster/offset-sample.js';
import type { History } from '../../history/history.js';
import { NODE_PORT, SimNode } from './sim-node.js';

export const CLIENT_HOST_ADDRESS = '10.0.0.100';
/** The pseudo-node name that stands for every client in link faults. */
export const CLIENTS = 'clients';
/** What a chunk's latency becomes under a latency fault: [latency - jitter, latency + jitter]. */
const NETWORK_LATENCY_MS_DEFAULT = { latencyMsMin: 0, latencyMsMax: 1 };
/** The INFO sections a NodeState is read from (cluster/node-state.ts). */
const INFO_STATE_SECTIONS: readonly string[] = ['replication', 'persistence'];

export interface SimBackendOptions {
  readonly seed: number;
  /** Deliberate bugs in every node (testing the chaos runner only; see @replisim/server). */
  readonly testBugs?: ReadonlySet<TestBug>;
}

export class SimBackend implements Backend {
  readonly kind = 'sim' as const;
  readonly world: SimWorld;
  readonly random: Random;
  readonly timers: Timers;
  private readonly clientHost: SimHost;
  private readonly nodes = new Map<string, SimNode>();
  private readonly specs = new Map<string, NodeSpec>();
  private history: History | undefined;
  private readonly originMs: number;
  private readonly testBugs: ReadonlySet<TestBug> | undefined;
  private readonly faultLayers = new Map<string, { id: number; value: unknown }[]>();
  private readonly diskBase = new Map<string, SimDiskFaults>();
  private layerIdNext = 1;
  /** Nodes that lose power at their next rename of a temp file (crashAfterNextRename). */
  private readonly crashArmed = new Set<string>();
  /** The last recorded offset sample of each node (offsetSampleKey), so only changes are recorded. */
  private readonly offsetSamples = new Map<string, string>();
  /** Each node's last state read, valid while its software has not run since (`state`). */
  private readonly stateCache = new Map<
    string,
    { readonly server: ServerNode; readonly callbacksRun: number; readonly state: NodeState }
  >();
  private samplerTimer: ReturnType<Timers['after']> | undefined;

  constructor(options: SimBackendOptions) {
    this.testBugs = options.testBugs;
    this.world = new SimWorld({ seed: options.seed });
    this.originMs = this.world.now();
    this.clientHost = this.world.addHost('client', CLIENT_HOST_ADDRESS);
    this.random = this.clientHost.env.random.fork();
    this.timers = this.clientHost.env.timers;
  }

  now(): number {
    return this.world.now() - this.originMs;
  }

  attach(history: History): void {
    this.history = history;
    if (this.samplerTimer === undefined) this.scheduleSample();
  }

  addNode(spec: NodeSpec): void {
    assert(!this.nodes.has(spec.name), `duplicate node ${spec.name}`);
    assert(spec.name !== CLIENTS, `${CLIENTS} is reserved`);
    const address = `10.0.0.${this.nodes.size + 1}`;
    const host = this.world.addHost(spec.name, address, { disk: { cwd: '/data' } });
    const replicaOf =
      spec.replicaOf === undefined
        ? []
        : ['--replicaof', this.address(spec.replicaOf).host, String(NODE_PORT)];
    const node = new SimNode(host, {
      options: ['--dir', '/data', ...spec.options, ...replicaOf],
      onLog: (line) => this.onLog(spec.name, line),
      onExit: (code) => this.event(spec.name, 'shutdown', `exited with code ${code}`, { code }),
      ...(this.testBugs === undefined ? {} : { testBugs: this.testBugs }),
    });
    host.disk.setObserver((operation, path, target) => {
      if (operation === 'rename' && this.crashArmed.delete(spec.name) && path.includes('temp-')) {
        // The crash comes as its own event, before the directory fsync can complete (>= 1 ms).
        this.world.scheduler.schedule(0, `harness:crash-after-rename ${spec.name}`, () => {
          if (!host.up) return;
          this.event(
            spec.name,
            'crash',
            'power loss right after a rename, before the directory fsync',
          );
          node.crash();
        });
      }
      if (operation === 'rename') {
        const size = target === undefined ? undefined : host.disk.sizeOf(target);
        this.event(spec.name, 'rename', `rename ${path} -> ${target ?? '?'}`, {
          path,
          target: target ?? '',
          ...(size?.ok === true ? { bytes: size.value } : {}),
        });
      } else {
        this.event(spec.name, 'fsync-dir', `fsync of directory ${path}`, { path });
      }
    });
    this.nodes.set(spec.name, node);
    this.specs.set(spec.name, spec);
  }

  start(name: string): void {
    const node = this.node(name);
    this.event(name, 'boot', `boots (${this.specs.get(name)?.options.join(' ') ?? ''})`, {
      address: `${node.host.address}:${NODE_PORT}`,
    });
    node.boot();
  }

  address(name: string): { readonly host: string; readonly port: number } {
    return { host: this.node(name).host.address, port: NODE_PORT };
  }

  connect(name: string, done: (connection: Connection | undefined) => void): void {
    this.clientHost.env.network.connect(this.node(name).host.address, NODE_PORT, (result) =>
      done(result.ok ? result.value : undefined),
    );
  }

  logs(name: string): readonly string[] {
    return this.node(name).logs;
  }

  state(name: string): NodeState | undefined {
    const node = this.node(name);
    const server = node.node;
    if (server === undefined || !node.host.up) return undefined;
    // Waits read every node's state after every event, and most events run another host's code:
    // the state is read again only when this node's software may have changed it (host.ts).
    const callbacksRun = node.host.callbacksRun;
    const cached = this.stateCache.get(name);
    if (cached !== undefined && cached.server === server && cached.callbacksRun === callbacksRun) {
      return cached.state;
    }
    const state = nodeStateOf(infoFieldMap(server, INFO_STATE_SECTIONS), node.serving);
    this.stateCache.set(name, { server, callbacksRun, state });
    return state;
  }

  /** The ServerNode inside, for the sim backend's own tests and the teaching mode. */
  serverOf(name: string): SimNode {
    return this.node(name);
  }

  async runFor(ms: number): Promise<void> {
    this.world.runFor(ms);
  }

  async runUntil(predicate: () => boolean, boundMs: number): Promise<boolean> {
    return this.world.runUntilTrue(predicate, boundMs);
  }

  traceHash(): string {
    return this.world.traceHash();
  }

  async close(): Promise<void> {
    if (this.samplerTimer !== undefined) this.timers.cancel(this.samplerTimer);
    for (const node of this.nodes.values()) node.node?.stop();
  }

  // --- Faults -------------------------------------------------------------------------------------

  crash(name: string): void {
    this.node(name).crash();
  }

  kill(name: string): void {
    this.node(name).kill();
  }

  restart(name: string): void {
    this.node(name).restart();
  }

  shutdown(name: string): void {
    this.node(name).terminate();
  }

  pause(name: string): Undo {
    const host = this.node(name).host;
    host.pause();
    return () => host.resume();
  }

  cut(source: string, target: string): Undo {
    const handle = this.world.partitionOneWay(this.hostName(source), this.hostName(target));
    return () => handle.remove();
  }

  hold(source: string, target: string): Undo {
    const handle = this.world.holdOneWay(this.hostName(source), this.hostName(target));
    return () => handle.remove();
  }

  resetPeer(a: string, b: string): void {
    this.world.resetConnections(this.hostName(a), this.hostName(b));
  }

  latency(a: string, b: string, fault: LatencyFault): Undo {
    const jitter = fault.jitterMs ?? 0;
    const range = {
      latencyMsMin: Math.max(0, fault.latencyMs - jitter),
      latencyMsMax: fault.latencyMs + jitter,
    };
    return this.layer(`latency ${this.linkKey(a, b)}`, range, (active) =>
      this.world.setLatency(
        this.hostName(a),
        this.hostName(b),
        active ?? NETWORK_LATENCY_MS_DEFAULT,
      ),
    );
  }

  bandwidth(a: string, b: string, bytesPerSec: number): Undo {
    return this.layer(`bandwidth ${this.linkKey(a, b)}`, bytesPerSec, (active) =>
      this.world.setBandwidth(this.hostName(a), this.hostName(b), active),
    );
  }

  disk(name: string, fault: DiskFault): Undo {
    const disk = this.node(name).host.disk;
    const key = `disk ${name}`;
    if (!this.diskBase.has(key)) this.diskBase.set(key, disk.faults);
    const base = this.diskBase.get(key) ?? disk.faults;
    const settings = {
      ...(fault.full === true ? { spaceBytesMax: disk.usedBytes() } : {}),
      ...(fault.writeErrorChance === undefined ? {} : { writeErrorChance: fault.writeErrorChance }),
      ...(fault.fsyncErrorChance === undefined ? {} : { fsyncErrorChance: fault.fsyncErrorChance }),
      ...(fault.fsyncMs === undefined
        ? {}
        : { fsyncLatencyMsMin: fault.fsyncMs, fsyncLatencyMsMax: fault.fsyncMs }),
      ...(fault.latencyMs === undefined
        ? {}
        : { latencyMsMin: fault.latencyMs, latencyMsMax: fault.latencyMs }),
    };
    return this.layers(key, settings, (active) => {
      disk.setFaults(Object.assign({}, base, ...active));
    });
  }

  /**
   * Faults of one kind on one target stack: each undo removes its own layer and the target returns
   * to what the remaining layers make it (the last one wins), not to the state before that fault.
   */
  private layer<T>(key: string, value: T, apply: (active: T | undefined) => void): Undo {
    return this.layers(key, value, (active) => apply(active.at(-1)));
  }

  private layers<T>(key: string, value: T, apply: (active: readonly T[]) => void): Undo {
    const stack = (this.faultLayers.get(key) ?? []) as { id: number; value: T }[];
    this.faultLayers.set(key, stack);
    const id = this.layerIdNext++;
    stack.push({ id, value });
    apply(stack.map((entry) => entry.value));
    return () => {
      const index = stack.findIndex((entry) => entry.id === id);
      if (index < 0) return;
      stack.splice(index, 1);
      apply(stack.map((entry) => entry.value));
    };
  }

  private linkKey(a: string, b: string): string {
    return [a, b].sort().join('|');
  }

  crashAfterNextRename(name: string): Undo {
    this.node(name);
    this.crashArmed.add(name);
    return () => {
      this.crashArmed.delete(name);
    };
  }

  clockJump(name: string, ms: number): void {
    const host = this.node(name).host;
    host.setWallSkew(host.wallSkewMs + Math.round(ms));
  }

  // --- Internals ----------------------------------------------------------------------------------

  private node(name: string): SimNode {
    const node = this.nodes.get(name);
    assert(node !== undefined, `unknown node ${name}`);
    return node;
  }

  private hostName(name: string): string {
    return name === CLIENTS ? this.clientHost.name : this.node(name).host.name;
  }

  private scheduleSample(): void {
    this.samplerTimer = this.timers.after(OFFSET_SAMPLE_EVERY_MS, () => {
      this.sampleOffsets();
      this.scheduleSample();
    });
  }

  /** Records an `offset` event for every serving node whose sample changed since the last one. */
  private sampleOffsets(): void {
    for (const name of this.nodes.keys()) {
      const state = this.state(name);
      if (state === undefined || !state.serving) continue;
      const data = offsetSampleOf(state, (host) => this.nodeOfHost(host));
      const key = offsetSampleKey(data);
      if (this.offsetSamples.get(name) === key) continue;
      this.offsetSamples.set(name, key);
      this.event(name, 'offset', `${state.role} offset ${state.offset}`, data);
    }
  }

  private nodeOfHost(host: string): string | undefined {
    for (const [name, node] of this.nodes) if (node.host.address === host) return name;
    return undefined;
  }

  private onLog(name: string, line: string): void {
    const event = eventOfLogLine(line);
    if (event === undefined) return;
    let data = event.data ?? {};
    if (event.kind === 'bgsave-start') {
      // The snapshot point, exactly: the replication offset at the instant the BGSAVE began.
      const server = this.nodes.get(name)?.node;
      if (server !== undefined) data = { ...data, offset: server.repl.masterReplOffset };
    }
    this.event(name, event.kind, logMessage(line), data);
  }

  private event(
    node: string,
    kind: Parameters<History['event']>[1],
    text: string,
    data?: Parameters<History['event']>[3],
  ): void {
    this.history?.event(node, kind, text, data);
  }
}
