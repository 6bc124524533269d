/**
 * The simulated network fabric: hosts' listeners and connections, links and their faults.
 *
 * It plays the kernels and the wire between them. `networkFor(host, life)` gives a host's software
 * its `Network` (listen, connect); the world's fault controls land here through the link table.
 * Connection set-up is modelled as TCP does it:
 * - the SYN reaches the target after one latency; no listener there means ECONNREFUSED, reported to
 *   the client at that moment; a listener gets the server end (its own event) and the client gets
 *   its end one more latency later (the SYN-ACK);
 * - a crashed host refuses like a host whose server process died (its kernel answers the SYN);
 * - a blocked link either way, or an unknown address, loses the SYN: it is retried every `synRetryMs`
 *   until `connectTimeoutMs`, then the client gets ETIMEDOUT. A link repaired within the window
 *   carries the retried SYN, as TCP's SYN retransmission does;
 * - loopback addresses (127.0.0.1, localhost, ::1) reach the host itself and no fault applies to them.
 * Every iteration below runs over insertion-ordered collections filled by deterministic events.
 */
import { assert } from '../assert.js';
import type {
  Connection,
  Listener,
  ListenOptions,
  NetError,
  NetResult,
  Network,
  Random,
} from '../env.js';
import { randomBetween } from '../random/create-random.js';
import type { Life } from './life.js';
import { type FaultHandle, type LatencyRange, type Link, LinkTable } from './links.js';
import type { Pipe, PipeContext } from './pipe.js';
import { PortTable } from './ports.js';
import type { Scheduler } from './scheduler.js';
import { SimConnection } from './sim-connection.js';

export interface SimNetworkOptions {
  /** Smallest one-way latency in ms; default 1. */
  readonly latencyMsMin: number;
  /** Largest one-way latency in ms; default 10. Each segment draws from [min, max]. */
  readonly latencyMsMax: number;
  /** Probability that a delivery is cut at a random point instead of taking all arrived bytes; 0.3. */
  readonly fragmentChance: number;
  /** Largest chunk handed to `onData`, like a socket read buffer; default 65536. */
  readonly chunkBytesMax: number;
  /** How long a SYN is retried through a blocked link or to a down host; default 10000. */
  readonly connectTimeoutMs: number;
  /** The SYN retransmission interval; default 1000. */
  readonly synRetryMs: number;
}

export const SIM_NETWORK_DEFAULTS: SimNetworkOptions = {
  latencyMsMin: 1,
  latencyMsMax: 10,
  fragmentChance: 0.3,
  chunkBytesMax: 65536,
  connectTimeoutMs: 10_000,
  synRetryMs: 1_000,
};

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);
const WILDCARD_NAMES: ReadonlySet<string> = new Set(['0.0.0.0', '::']);
const LOOPBACK_ADDRESS = '127.0.0.1';

interface ListenerState {
  readonly port: number;
  readonly life: Life;
  readonly loopbackOnly: boolean;
  readonly onConnection: (connection: Connection) => void;
  open: boolean;
}

/** What the fabric keeps per host; `life` changes on restart, the rest is reset by a crash. */
interface NetHost {
  readonly name: string;
  readonly address: string;
  life: Life;
  ports: PortTable;
  readonly listeners: Map<number, ListenerState>;
  /** Open connection ends on this host, in creation order. */
  readonly endpoints: Set<SimConnection>;
}

export class SimNetwork implements PipeContext {
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly options: SimNetworkOptions;
  readonly links: LinkTable;
  private readonly hostsByName = new Map<string, NetHost>();
  private readonly hostsByAddress = new Map<string, NetHost>();
  private connectionIdLast = 0;
  private wireObserver: ((source: string, target: string, data: Buffer) => void) | undefined;
  /** Pipes waiting for a blocked link, in the order they stalled. */
  private readonly stalledPipes = new Set<Pipe>();

  constructor(scheduler: Scheduler, random: Random, options: Partial<SimNetworkOptions> = {}) {
    this.scheduler = scheduler;
    this.random = random;
    this.options = { ...SIM_NETWORK_DEFAULTS, ...options };
    checkLatency(this.options);
    assert(
      this.options.fragmentChance >= 0 && this.options.fragmentChance <= 1,
      'fragmentChance in [0, 1]',
    );
    assert(this.options.chunkBytesMax >= 1, 'chunkBytesMax must be >= 1');
    assert(this.options.synRetryMs >= 1, 'synRetryMs must be >= 1');
    this.links = new LinkTable((link) => this.linkOpened(link));
  }

  /**
   * Sets (or clears) the one observer of every write between hosts (host names, the bytes as
   * written). It only watches: it draws no random number and schedules nothing, so a run with an
   * observer has the same trace as one without.
   */
  setWireObserver(
    observer: ((source: string, target: string, data: Buffer) => void) | undefined,
  ): void {
    this.wireObserver = observer;
  }

  observeWrite(source: string, target: string, data: Buffer): void {
    this.wireObserver?.(source, target, data);
  }

  get fragmentChance(): number {
    return this.options.fragmentChance;
  }

  get chunkBytesMax(): number {
    return this.options.chunkBytesMax;
  }

  // --- Hosts --------------------------------------------------------------------------------------

  attachHost(name: string, address: string, life: Life): void {
    assert(!this.hostsByName.has(name), `duplicate host name ${name}`);
    assert(!this.hostsByAddress.has(address), `duplicate host address ${address}`);
    assert(
      !LOOPBACK_NAMES.has(address) && !WILDCARD_NAMES.has(address),
      'a host needs a routable address',
    );
    const host: NetHost = {
      name,
      address,
      life,
      ports: new PortTable(),
      listeners: new Map(),
      endpoints: new Set(),
    };
    this.hostsByName.set(name, host);
    this.hostsByAddress.set(address, host);
  }

  /** The host crashed: its listeners vanish, its connections reset, its port table is gone. */
  crashHost(name: string): void {
    const host = this.host(name);
    for (const listener of host.listeners.values()) listener.open = false;
    host.listeners.clear();
    for (const endpoint of [...host.endpoints]) endpoint.crash();
    assert(host.endpoints.size === 0, 'crash closes every endpoint');
    host.ports = new PortTable();
  }

  /** The host booted a new incarnation. */
  restartHost(name: string, life: Life): void {
    const host = this.host(name);
    assert(host.listeners.size === 0, 'a restarted host starts without listeners');
    host.life = life;
  }

  /** The `Network` a host's software of incarnation `life` uses. */
  networkFor(name: string, life: Life): Network {
    const host = this.host(name);
    return {
      listen: (options, onConnection, done) => this.listen(host, life, options, onConnection, done),
      connect: (target, port, done) => this.connect(host, life, target, port, done),
    };
  }

  // --- Faults -------------------------------------------------------------------------------------

  /** Resets every connection between hosts `a` and `b`; returns how many streams were reset. */
  resetConnections(a: string, b: string): number {
    const hostA = this.host(a);
    this.host(b);
    let streams = 0;
    for (const endpoint of [...hostA.endpoints]) {
      if (endpoint.peerHostName !== b || endpoint.isClosed()) continue;
      streams += 1;
      endpoint.resetNow();
    }
    // Closing an end leaves its peer open, so the b-side ends are reset in a second pass.
    for (const endpoint of [...this.host(b).endpoints]) {
      if (endpoint.peerHostName === a) endpoint.resetNow();
    }
    return streams;
  }

  setLatency(source: string, target: string, latency: LatencyRange | undefined): void {
    if (latency !== undefined) checkLatency(latency);
    this.links.link(this.host(source).name, this.host(target).name).latency = latency;
  }

  /** Limits `source` -> `target` to `bytesPerSec`; undefined lifts the limit. */
  setBandwidth(source: string, target: string, bytesPerSec: number | undefined): void {
    assert(bytesPerSec === undefined || bytesPerSec > 0, 'bandwidth must be positive');
    this.links.link(this.host(source).name, this.host(target).name).bandwidthBytesPerSec =
      bytesPerSec;
  }

  partitionOneWay(source: string, target: string): FaultHandle {
    return this.links.install(this.host(source).name, this.host(target).name, 'partition');
  }

  holdOneWay(source: string, target: string): FaultHandle {
    return this.links.install(this.host(source).name, this.host(target).name, 'hold');
  }

  // --- PipeContext ----------------------------------------------------------------------------------

  bandwidthBytesPerSec(source: string, target: string): number | undefined {
    return this.links.bandwidth(source, target);
  }

  latencyMs(source: string, target: string): number {
    const range = this.links.latency(source, target) ?? this.options;
    return randomBetween(this.random, range.latencyMsMin, range.latencyMsMax);
  }

  isBlocked(source: string, target: string): boolean {
    return this.links.isBlocked(source, target);
  }

  pipeStalled(pipe: Pipe): void {
    this.stalledPipes.add(pipe);
  }

  /** Connection ends open on a host: what a real host would count as socket descriptors. */
  openConnectionCount(hostName: string): number {
    return this.host(hostName).endpoints.size;
  }

  // --- Internals ----------------------------------------------------------------------------------

  private host(name: string): NetHost {
    const host = this.hostsByName.get(name);
    assert(host !== undefined, `unknown host ${name}`);
    return host;
  }

  /** Resumes the pipes stalled on `link`, including those of ends already closed (their RSTs). */
  private linkOpened(link: Link): void {
    for (const pipe of [...this.stalledPipes]) {
      if (pipe.source !== link.source || pipe.target !== link.target) continue;
      this.stalledPipes.delete(pipe);
      pipe.resume();
    }
  }

  private listen(
    host: NetHost,
    life: Life,
    options: ListenOptions,
    onConnection: (connection: Connection) => void,
    done: (result: NetResult<Listener>) => void,
  ): void {
    if (!life.alive) return;
    assert(Number.isInteger(options.port), 'listen port must be an integer');
    assert(options.port >= 0 && options.port <= 65535, 'listen port must be in 0..65535');
    const loopbackOnly = LOOPBACK_NAMES.has(options.host);
    const bindable =
      loopbackOnly || WILDCARD_NAMES.has(options.host) || options.host === host.address;
    if (!bindable) {
      const error = netError(
        'EADDRNOTAVAIL',
        `listen EADDRNOTAVAIL ${options.host}:${options.port}`,
      );
      life.schedule(0, 'listen-failed', () => done(error));
      return;
    }
    let port: number | undefined = options.port;
    if (options.port === 0) port = host.ports.allocate();
    else if (!host.ports.reserve(options.port)) port = undefined;
    if (port === undefined) {
      const error = netError(
        'EADDRINUSE',
        `listen EADDRINUSE: address already in use ${options.host}:${options.port}`,
      );
      life.schedule(0, 'listen-failed', () => done(error));
      return;
    }
    const state: ListenerState = { port, life, loopbackOnly, onConnection, open: true };
    host.listeners.set(port, state);
    const listener: Listener = {
      host: options.host,
      port,
      close: () => {
        if (!state.open) return;
        state.open = false;
        host.listeners.delete(port);
        host.ports.release(port);
      },
    };
    life.schedule(0, `listening :${port}`, () => done({ ok: true, value: listener }));
  }

  private connect(
    host: NetHost,
    life: Life,
    targetName: string,
    port: number,
    done: (result: NetResult<Connection>) => void,
  ): void {
    if (!life.alive) return;
    assert(Number.isInteger(port), 'connect port must be an integer');
    assert(port >= 0 && port <= 65535, 'connect port must be in 0..65535');
    const loopback = LOOPBACK_NAMES.has(targetName);
    const target = loopback
      ? host
      : (this.hostsByAddress.get(targetName) ?? this.hostsByName.get(targetName));
    const localPort = host.ports.allocate();
    if (localPort === undefined) {
      const error = netError('EADDRNOTAVAIL', `connect EADDRNOTAVAIL ${targetName}:${port}`);
      life.schedule(0, 'connect-failed', () => done(error));
      return;
    }
    const startMs = this.scheduler.now();
    const ports = host.ports;
    const fail = (error: { ok: false; error: NetError }): void => {
      ports.release(localPort);
      done(error);
    };
    const attempt = (): void => {
      if (
        target === undefined ||
        this.isBlocked(host.name, target.name) ||
        this.isBlocked(target.name, host.name)
      ) {
        const elapsedMs = this.scheduler.now() - startMs;
        if (elapsedMs + this.options.synRetryMs > this.options.connectTimeoutMs) {
          fail(netError('ETIMEDOUT', `connect ETIMEDOUT ${targetName}:${port}`));
          return;
        }
        life.schedule(this.options.synRetryMs, `syn-retry ${targetName}:${port}`, attempt);
        return;
      }
      const listener = target.listeners.get(port);
      const refused =
        listener === undefined || !target.life.alive || (listener.loopbackOnly && !loopback);
      if (refused) {
        fail(netError('ECONNREFUSED', `connect ECONNREFUSED ${targetName}:${port}`));
        return;
      }
      this.establish(host, life, localPort, target, listener, loopback, done);
    };
    const firstLatencyMs =
      target === undefined ? this.options.latencyMsMin : this.latencyMs(host.name, target.name);
    life.schedule(firstLatencyMs, `syn ${targetName}:${port}`, attempt);
  }

  /** The SYN reached a listener: create both ends, accept on the server, answer the client. */
  private establish(
    client: NetHost,
    clientLife: Life,
    clientPort: number,
    server: NetHost,
    listener: ListenerState,
    loopback: boolean,
    done: (result: NetResult<Connection>) => void,
  ): void {
    this.connectionIdLast += 1;
    const id = this.connectionIdLast;
    const [clientEnd, serverEnd] = SimConnection.pair(
      this,
      id,
      {
        hostName: client.name,
        life: clientLife,
        localAddress: loopback ? LOOPBACK_ADDRESS : client.address,
        localPort: clientPort,
        ownsPort: true,
      },
      {
        hostName: server.name,
        life: listener.life,
        localAddress: loopback ? LOOPBACK_ADDRESS : server.address,
        localPort: listener.port,
        ownsPort: false,
      },
      (endpoint) => this.endpointClosed(endpoint),
    );
    client.endpoints.add(clientEnd);
    server.endpoints.add(serverEnd);
    listener.life.schedule(0, `accept c${id}`, () => {
      // A listener closed between the SYN and the accept refuses the queued connection.
      if (!listener.open) {
        serverEnd.destroy();
        return;
      }
      listener.onConnection(serverEnd);
    });
    const synAckMs = this.latencyMs(server.name, client.name);
    clientLife.schedule(synAckMs, `connected c${id}`, () => done({ ok: true, value: clientEnd }));
  }

  private endpointClosed(endpoint: SimConnection): void {
    const host = this.host(endpoint.hostName);
    if (!host.endpoints.delete(endpoint)) return;
    if (endpoint.ownsPort) host.ports.release(endpoint.localPort);
  }
}

function netError(code: NetError['code'], message: string): { ok: false; error: NetError } {
  return { ok: false, error: { code, message } };
}

function checkLatency(range: LatencyRange): void {
  assert(Number.isInteger(range.latencyMsMin), 'latencyMsMin must be an integer');
  assert(Number.isInteger(range.latencyMsMax), 'latencyMsMax must be an integer');
  assert(range.latencyMsMin >= 0, 'latencyMsMin must be >= 0');
  assert(range.latencyMsMin <= range.latencyMsMax, 'latencyMsMin must be <= latencyMsMax');
}
