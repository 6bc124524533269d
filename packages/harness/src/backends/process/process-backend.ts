/**
 * The process backend: a cluster of real server processes on loopback, each node a replisim-server
 * or a redis-server (7.0, from PATH or a given path) in its own temporary `dir`, on a port the OS
 * picked, with every link between them and to the clients carried by a fault proxy
 * (fault-proxy.ts). It implements the same Backend as the simulator, so a scenario runs unchanged:
 *
 * - Time is real: `runFor` sleeps, `runUntil` polls its predicate every few ms. Workload timers are
 *   real timers, so workloads run in the background while a scenario waits.
 * - State: `state(name)` answers from a cache that an INFO poller refreshes every 20 ms
 *   (info-poller.ts); node events come from each process's log (stdout) through eventOfLogLine,
 *   exactly as on the sim backend.
 * - Links: one proxy per ordered pair of nodes (`a -> b` carries the connections a opens to b:
 *   replication, REPLICAOF after a failover) and one per node for the clients (`clients -> b`).
 *   A replica is started with `--replicaof 127.0.0.1 <its proxy to the master>` and
 *   `--replica-announce-ip/port` of its own address, so the master's INFO names the replica, not
 *   the proxy. `address(name, from)` is the proxy port `from -> name`.
 * - Faults: kill = SIGKILL, shutdown = SIGTERM, pause = SIGSTOP/SIGCONT, restart = the same
 *   command on the same dir (and port); cut and hold = a `hold` toxic on the directions that carry
 *   source -> target bytes; latency = Toxiproxy's latency toxic both ways; resetPeer = a reset of
 *   every connection of the pair.
 * - Power loss (`crash`) is modelled only where it is honest. Redis (and replisim) writes an RDB as
 *   a temp file, fsyncs it, renames it over dump.rdb and fsyncs the directory, so for a node with
 *   RDB snapshots only (`appendonly no`) every state a SIGKILL leaves on disk is also a state a
 *   power loss may leave: crash is SIGKILL there. With `appendonly yes` the unsynced tail of the AOF
 *   would be lost on a power loss and a SIGKILL keeps it, so `crash` refuses (UnsupportedFault).
 * - Disk faults and clock jumps need the simulated disk and clock: refused with UnsupportedFault.
 *
 * `close()` kills every process, closes every proxy and client and removes every node's dir; the
 * CLI calls it on SIGINT too, and server-process.ts kills children if the harness dies first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, type Connection, createRandom, type Random, type Timers } from '@replisim/base';
import { createRealNetwork, createRealTimers } from '@replisim/base/real';
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
import { bytePlacements, linkName } from '../container/plan.js';
import { FaultProxy } from './fault-proxy.js';
import { InfoPoller } from './info-poller.js';
import { IoredisChannel } from './ioredis-channel.js';
import { type Exit, pickFreePort, type ServerCommand, ServerProcess } from './server-process.js';
import type { Toxic } from './toxics.js';
import { RUN_UNTIL_STEP_MS, sleep, WallClockRun } from './wall-clock-run.js';

export type ServerKind = 'replisim' | 'redis';

/** The pseudo-node for every client, as in the simulator. */
const CLIENTS = 'clients';
const LOOPBACK = '127.0.0.1';
/** How long one boot may take to answer INFO before it counts as failed. */
const BOOT_MS_MAX = 20_000;
/** Boot attempts when the picked port was taken meanwhile. */
const BOOT_ATTEMPTS_MAX = 3;
/** How often `runUntil` evaluates its predicate. */
/** Log lines kept per node for the run folder. */
const LOG_LINES_MAX = 200_000;

/** replisim-server's script in this repository (src/ and dist/ sit at the same depth). */
export const REPLISIM_SERVER_SCRIPT: string = fileURLToPath(
  new URL('../../../../server/bin/replisim-server.js', import.meta.url),
);

export interface ProcessBackendOptions {
  readonly seed: number;
  readonly server: ServerKind;
  /** redis-server's path (default `redis-server` from PATH), or replisim-server's script. */
  readonly serverPath?: string;
  /** A command without a reply by then is recorded as info (outcome unknown). */
  readonly commandTimeoutMs?: number;
}

interface NodeEntry {
  readonly spec: NodeSpec;
  readonly dir: string;
  readonly poller: InfoPoller;
  readonly logs: string[];
  port: number | undefined;
  process: ServerProcess | undefined;
  /** The harness ended this incarnation itself (kill, crash, close): its exit is no event. */
  killed: boolean;
}

export class ProcessBackend implements Backend {
  readonly kind = 'process' as const;
  readonly server: ServerKind;
  readonly random: Random;
  readonly timers: Timers;
  private readonly command: ServerCommand;
  private readonly commandTimeoutMs: number | undefined;
  private readonly originMs = performance.now();
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly proxies = new Map<string, FaultProxy>();
  private readonly channels = new Set<CommandChannel>();
  private readonly proxyRandom: Random;
  private history: History | undefined;
  /** Background work (proxies, boots) in order; a failure stops the run at the next wait. */
  private work: Promise<void> = Promise.resolve();
  /** Waits in wall-clock time; background failures and aborts stop the run (wall-clock-run.ts). */
  private readonly run = new WallClockRun();
  private closed = false;

  constructor(options: ProcessBackendOptions) {
    this.server = options.server;
    const seeded = createRandom(options.seed);
    this.random = seeded.fork();
    this.proxyRandom = seeded.fork();
    this.timers = createRealTimers();
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.command =
      options.server === 'redis'
        ? { file: options.serverPath ?? 'redis-server', prefix: [] }
        : { file: process.execPath, prefix: [options.serverPath ?? REPLISIM_SERVER_SCRIPT] };
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
      dir: mkdtempSync(join(tmpdir(), `replisim-${spec.name}-`)),
      poller: new InfoPoller(),
      logs: [],
      port: undefined,
      process: undefined,
      killed: false,
    });
  }

  start(name: string): void {
    const entry = this.node(name);
    this.event(name, 'boot', `boots (${entry.spec.options.join(' ')})`);
    this.enqueue(async () => {
      await this.ensureLinks();
      await this.boot(entry);
    });
  }

  address(name: string, from: string = CLIENTS): { readonly host: string; readonly port: number } {
    return { host: LOOPBACK, port: this.proxy(from, name).port };
  }

  connect(name: string, done: (connection: Connection | undefined) => void): void {
    const proxy = this.proxies.get(linkName(CLIENTS, name));
    if (proxy === undefined) {
      done(undefined);
      return;
    }
    createRealNetwork().connect(LOOPBACK, proxy.port, (result) =>
      done(result.ok ? result.value : undefined),
    );
  }

  openChannel(name: string, done: (channel: CommandChannel | undefined) => void): void {
    const proxy = this.proxies.get(linkName(CLIENTS, name));
    if (proxy === undefined) {
      done(undefined);
      return;
    }
    IoredisChannel.open(
      LOOPBACK,
      proxy.port,
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
    if (entry.process === undefined || !entry.process.alive || entry.killed) return undefined;
    return entry.poller.state;
  }

  /** The node's own port (not a proxy's), for tools that must bypass the links. */
  nodePort(name: string): number | undefined {
    return this.node(name).port;
  }

  runFor(ms: number): Promise<void> {
    return this.run.runFor(ms);
  }

  runUntil(predicate: () => boolean, boundMs: number): Promise<boolean> {
    return this.run.runUntil(predicate, boundMs);
  }

  traceHash(): string {
    return 'none (real processes do not replay)';
  }

  /**
   * Stops the run from outside (a per-run time limit): the next wait throws RunAborted with
   * `reason`, the run ends undecided, and its caller closes the backend as after any run.
   */
  abort(reason: string): void {
    this.run.abort(reason);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const channel of this.channels) channel.close();
    const exits: Promise<Exit>[] = [];
    for (const entry of this.nodes.values()) {
      entry.killed = true;
      entry.poller.stop();
      if (entry.process !== undefined) exits.push(entry.process.stop());
    }
    await Promise.all(exits);
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
    for (const entry of this.nodes.values()) rmSync(entry.dir, { recursive: true, force: true });
  }

  // --- Faults -------------------------------------------------------------------------------------

  crash(name: string): void {
    const entry = this.node(name);
    if (optionValue(entry.spec.options, 'appendonly') === 'yes') {
      throw new UnsupportedFault(
        `power loss of ${name}: a real process cannot lose its unsynced AOF tail (appendonly yes); the process backend models power loss only for RDB-only nodes, where SIGKILL leaves a state a power loss may leave`,
      );
    }
    this.kill(name);
  }

  kill(name: string): void {
    const entry = this.node(name);
    entry.killed = true;
    entry.poller.stop();
    void entry.process?.stop();
  }

  restart(name: string): void {
    const entry = this.node(name);
    const previous = entry.process;
    this.event(name, 'boot', `boots again on its dir (${entry.spec.options.join(' ')})`);
    this.enqueue(async () => {
      if (previous !== undefined) await previous.exited();
      await this.boot(entry);
    });
  }

  shutdown(name: string): void {
    this.node(name).process?.signal('SIGTERM');
  }

  pause(name: string): Undo {
    const process = this.node(name).process;
    process?.signal('SIGSTOP');
    return () => process?.signal('SIGCONT');
  }

  cut(source: string, target: string): Undo {
    return this.onBytes(source, target, { type: 'hold' });
  }

  hold(source: string, target: string): Undo {
    return this.onBytes(source, target, { type: 'hold' });
  }

  resetPeer(a: string, b: string): void {
    this.proxies.get(linkName(a, b))?.resetAll();
    this.proxies.get(linkName(b, a))?.resetAll();
  }

  latency(a: string, b: string, fault: LatencyFault): Undo {
    const toxic: Toxic = {
      type: 'latency',
      latencyMs: fault.latencyMs,
      ...(fault.jitterMs === undefined ? {} : { jitterMs: fault.jitterMs }),
    };
    const undos = [this.onBytes(a, b, toxic), this.onBytes(b, a, toxic)];
    return () => {
      for (const undo of undos) undo();
    };
  }

  bandwidth(a: string, b: string, bytesPerSec: number): Undo {
    const toxic: Toxic = { type: 'bandwidth', rateKbps: bytesPerSec / 1000 };
    const undos = [this.onBytes(a, b, toxic), this.onBytes(b, a, toxic)];
    return () => {
      for (const undo of undos) undo();
    };
  }

  disk(name: string, _fault: DiskFault): Undo {
    throw new UnsupportedFault(
      `disk faults on ${name}: a real process's disk cannot be made slow, full or failing from the harness; run this scenario on the sim backend`,
    );
  }

  clockJump(name: string, _ms: number): void {
    throw new UnsupportedFault(
      `clock jump on ${name}: a real process reads the machine's clock; run this scenario on the sim backend`,
    );
  }

  // --- Internals ----------------------------------------------------------------------------------

  private node(name: string): NodeEntry {
    const entry = this.nodes.get(name);
    assert(entry !== undefined, `unknown node ${name}`);
    return entry;
  }

  private proxy(source: string, target: string): FaultProxy {
    const proxy = this.proxies.get(linkName(source, target));
    assert(proxy !== undefined, `no link ${linkName(source, target)} (is ${target} started?)`);
    return proxy;
  }

  /** Adds `toxic` on every direction that carries bytes from `source` to `target`. */
  private onBytes(source: string, target: string, toxic: Toxic): Undo {
    const undos = bytePlacements(source, target)
      .map(({ link, direction }) => this.proxies.get(link)?.addToxic(direction, toxic))
      .filter((undo): undo is Undo => undo !== undefined);
    assert(undos.length > 0, `no link carries ${source} -> ${target}`);
    return () => {
      for (const undo of undos) undo();
    };
  }

  /** One proxy per ordered pair of nodes and one per node for the clients. */
  private async ensureLinks(): Promise<void> {
    const names = [...this.nodes.keys()];
    for (const target of names) {
      for (const source of [CLIENTS, ...names]) {
        if (source === target || this.proxies.has(linkName(source, target))) continue;
        const proxy = await FaultProxy.start({
          name: linkName(source, target),
          random: () => this.proxyRandom.float(),
        });
        this.proxies.set(linkName(source, target), proxy);
        const port = this.nodes.get(target)?.port;
        if (port !== undefined) proxy.setUpstream({ host: LOOPBACK, port });
      }
    }
  }

  /** Starts the node's process and waits until it answers INFO (or gives up with a failure). */
  private async boot(entry: NodeEntry): Promise<void> {
    const name = entry.spec.name;
    for (let attempt = 1; attempt <= BOOT_ATTEMPTS_MAX; attempt++) {
      if (this.closed) return;
      const port = entry.port ?? (await pickFreePort());
      entry.port = port;
      entry.killed = false;
      const args = this.argsOf(entry, port);
      const child = new ServerProcess(
        this.command,
        args,
        entry.dir,
        (line) => this.onLine(entry, line),
        (exit) => this.onExit(entry, child, exit),
      );
      entry.process = child;
      for (const [link, proxy] of this.proxies) {
        if (link.endsWith(`->${name}`)) proxy.setUpstream({ host: LOOPBACK, port });
      }
      entry.poller.start(port);
      const deadline = performance.now() + BOOT_MS_MAX;
      while (child.alive && entry.poller.state === undefined && performance.now() < deadline) {
        await sleep(RUN_UNTIL_STEP_MS);
      }
      if (entry.poller.state !== undefined || entry.killed) return;
      const tail = entry.logs.slice(-5).join(' | ');
      entry.poller.stop();
      await child.stop();
      if (/Address already in use/i.test(tail) && attempt < BOOT_ATTEMPTS_MAX) {
        entry.port = undefined;
        continue;
      }
      throw new Error(`${name} (${this.command.file}) did not start: ${tail || 'no output'}`);
    }
  }

  private argsOf(entry: NodeEntry, port: number): string[] {
    const master = entry.spec.replicaOf;
    return [
      ...entry.spec.options,
      '--port',
      String(port),
      '--bind',
      LOOPBACK,
      '--dir',
      entry.dir,
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--replica-announce-ip',
      LOOPBACK,
      '--replica-announce-port',
      String(port),
      ...(master === undefined
        ? []
        : ['--replicaof', LOOPBACK, String(this.proxy(entry.spec.name, master).port)]),
    ];
  }

  private onLine(entry: NodeEntry, line: string): void {
    if (entry.logs.length < LOG_LINES_MAX) entry.logs.push(line);
    const event = eventOfLogLine(line);
    if (event !== undefined)
      this.event(entry.spec.name, event.kind, logMessage(line), event.data ?? undefined);
  }

  private onExit(entry: NodeEntry, child: ServerProcess, exit: Exit): void {
    if (entry.process !== child) return;
    entry.poller.stop();
    if (entry.killed || this.closed) return;
    const how = exit.code === null ? `by signal ${exit.signal ?? '?'}` : `with code ${exit.code}`;
    this.event(entry.spec.name, 'shutdown', `exited ${how}`, { code: exit.code ?? -1 });
  }

  private enqueue(step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => {
      this.run.fail(error);
    });
  }

  private event(node: string, kind: NodeEventKind, text: string, data?: EventData): void {
    this.history?.event(node, kind, text, data);
  }
}

/** The value of `--name value` in option words (the last one wins, as in redis-server). */
function optionValue(options: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  options.forEach((word, index) => {
    if (word === `--${name}`) value = options[index + 1];
  });
  return value;
}
