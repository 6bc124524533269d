/**
 * The fault proxy: a userspace TCP proxy on loopback that carries one link of a process cluster
 * (a replica's connection to its master, or the clients' connections to a node) and breaks it on
 * demand, as Toxiproxy does (toxics.ts holds the vocabulary). The kernel here has no `tc netem`,
 * so delay, bandwidth and partitions have to happen in userspace.
 *
 * One FaultProxy listens on one OS-picked port and forwards every accepted connection to its
 * upstream (host, port), which can change while it runs (a node restarted on a new port): each new
 * connection goes to the upstream of that moment; with no upstream, or while the proxy is `down`,
 * an accepted connection is reset at once. Each connection has two directions, `upstream` (client
 * -> server) and `downstream`; a toxic applies to every connection of its direction, open or new,
 * from the moment it is added until its Undo runs.
 *
 * Limits: a direction keeps at most QUEUE_BYTES_MAX bytes scheduled (held or delayed); past that it
 * stops reading its source socket, so the sender feels TCP back-pressure instead of the proxy
 * growing without bound.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { assert } from '@replisim/base';
import type { Undo } from '../../cluster/backend.js';
import { type Piece, schedulePieces, type Toxic, type ToxicDirection } from './toxics.js';

/** Bytes one direction may hold scheduled before it pauses its source. */
export const QUEUE_BYTES_MAX: number = 4 * 1024 * 1024;

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

export interface FaultProxyOptions {
  /** For messages: `replica-a -> master`. */
  readonly name: string;
  readonly upstream?: Upstream;
  /** Floats in [0, 1) for jitter and slice sizes (a seeded source makes the draws repeatable). */
  readonly random?: () => number;
  /** The loopback address to listen on; default 127.0.0.1. */
  readonly host?: string;
}

interface ToxicEntry {
  readonly direction: ToxicDirection;
  readonly toxic: Toxic;
}

export class FaultProxy {
  readonly name: string;
  readonly host: string;
  private readonly server: Server;
  private listenPort = 0;
  private upstreamAddress: Upstream | undefined;
  private readonly random: () => number;
  private readonly toxicEntries = new Map<number, ToxicEntry>();
  private toxicIdNext = 1;
  private readonly open = new Set<ProxiedConnection>();
  private isDown = false;
  private closed = false;

  private constructor(options: FaultProxyOptions, server: Server) {
    this.name = options.name;
    this.host = options.host ?? '127.0.0.1';
    this.upstreamAddress = options.upstream;
    this.random = options.random ?? Math.random;
    this.server = server;
  }

  /** Starts a proxy on an OS-picked port of the loopback address. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) =>
      proxy?.accept(socket),
    );
    proxy = new FaultProxy(options, server);
    const started = proxy;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: started.host, port: 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    assert(typeof address === 'object' && address !== null, 'the proxy has no address');
    started.listenPort = address.port;
    return started;
  }

  /** The port clients of this link connect to. */
  get port(): number {
    return this.listenPort;
  }

  get upstream(): Upstream | undefined {
    return this.upstreamAddress;
  }

  /** Where new connections go (undefined: nowhere; they are reset). Open ones keep theirs. */
  setUpstream(upstream: Upstream | undefined): void {
    this.upstreamAddress = upstream;
  }

  /** Connections open through the proxy right now. */
  get connectionCount(): number {
    return this.open.size;
  }

  /** The toxics in force on `direction`, in the order they were added. */
  toxics(direction: ToxicDirection): Toxic[] {
    return [...this.toxicEntries.values()]
      .filter((entry) => entry.direction === direction)
      .map((entry) => entry.toxic);
  }

  /** Adds a toxic to every connection of `direction`, open and future; the Undo removes it. */
  addToxic(direction: ToxicDirection, toxic: Toxic): Undo {
    const id = this.toxicIdNext++;
    this.toxicEntries.set(id, { direction, toxic });
    for (const connection of this.open) connection.toxicAdded(direction, toxic);
    return () => {
      if (!this.toxicEntries.delete(id)) return;
      for (const connection of this.open) connection.toxicsChanged();
    };
  }

  /** Toxiproxy's `down`: every connection is closed, and new ones are reset until it is up. */
  setDown(down: boolean): void {
    this.isDown = down;
    if (down) this.resetAll();
  }

  get down(): boolean {
    return this.isDown;
  }

  /** Resets every open connection (both sides get ECONNRESET). */
  resetAll(): void {
    for (const connection of [...this.open]) connection.reset();
  }

  /** Stops listening and resets every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = this.upstreamAddress;
    if (this.isDown || this.closed || upstream === undefined) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const connection = new ProxiedConnection(this, client, upstream, this.random);
    this.open.add(connection);
    connection.onDone = () => this.open.delete(connection);
    for (const entry of this.toxicEntries.values())
      connection.toxicAdded(entry.direction, entry.toxic);
  }
}

/**
 * One client connection and its upstream connection, with a Pipe each way. While the upstream
 * direction is held (a partition) at accept time, the upstream connection is not made and the
 * client is not read: as with a SYN lost in a partition, the server sees nothing of a connection
 * attempt that the client gives up on before the partition heals (the kernel accepted the
 * client's handshake, so the client may have written its first command; that is delivered only
 * if the partition heals, followed by whatever the client did since, its FIN included).
 */
class ProxiedConnection {
  onDone: () => void = () => {};
  private readonly proxy: FaultProxy;
  private readonly client: Socket;
  private readonly upstream: Upstream;
  private readonly random: () => number;
  private server: Socket | undefined;
  private up: Pipe | undefined;
  private down: Pipe | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private finished = false;

  constructor(proxy: FaultProxy, client: Socket, upstream: Upstream, random: () => number) {
    this.proxy = proxy;
    this.client = client;
    this.upstream = upstream;
    this.random = random;
    client.setNoDelay(true);
    client.on('error', () => this.reset());
    if (!this.upstreamHeld()) this.connectUpstream();
  }

  /** A toxic that acts on the connection itself (timeout, reset_peer) starts its clock now. */
  toxicAdded(direction: ToxicDirection, toxic: Toxic): void {
    if (toxic.type === 'timeout' && toxic.timeoutMs > 0) {
      this.after(toxic.timeoutMs, () => this.close());
    } else if (toxic.type === 'reset_peer') {
      this.after(toxic.timeoutMs, () => this.reset());
    }
    (direction === 'upstream' ? this.up : this.down)?.pump();
  }

  toxicsChanged(): void {
    if (this.server === undefined && !this.finished && !this.upstreamHeld()) this.connectUpstream();
    this.up?.pump();
    this.down?.pump();
  }

  /** Both sides get a RST. */
  reset(): void {
    if (this.finished) return;
    this.finish();
    this.client.resetAndDestroy();
    this.server?.resetAndDestroy();
  }

  private upstreamHeld(): boolean {
    return this.proxy.toxics('upstream').some((toxic) => toxic.type === 'hold');
  }

  private connectUpstream(): void {
    const server = netConnect({
      host: this.upstream.host,
      port: this.upstream.port,
      allowHalfOpen: true,
      noDelay: true,
    });
    this.server = server;
    server.on('error', () => this.reset());
    const check = (): void => this.check();
    this.up = new Pipe(this.proxy, 'upstream', this.client, server, this.random, check);
    this.down = new Pipe(this.proxy, 'downstream', server, this.client, this.random, check);
    server.once('connect', () => this.client.resume());
  }

  /** Both sides get a FIN and the sockets are released. */
  private close(): void {
    if (this.finished) return;
    this.finish();
    this.client.destroySoon();
    this.server?.destroySoon();
  }

  private finish(): void {
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.up?.stop();
    this.down?.stop();
    this.onDone();
  }

  private check(): void {
    if (this.up?.ended === true && this.down?.ended === true) this.close();
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

/**
 * One direction: bytes from `source` are scheduled by the toxics in force and written to `target`
 * in order when due (and not held); the source's FIN follows the last byte.
 */
class Pipe {
  /** The FIN was written to the target. */
  ended = false;
  private readonly proxy: FaultProxy;
  private readonly direction: ToxicDirection;
  private readonly source: Socket;
  private readonly target: Socket;
  private readonly random: () => number;
  private readonly onEnded: () => void;
  private readonly queue: (Piece | { readonly end: true; readonly dueMs: number })[] = [];
  private queuedBytes = 0;
  private lastDueMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private paused = false;

  constructor(
    proxy: FaultProxy,
    direction: ToxicDirection,
    source: Socket,
    target: Socket,
    random: () => number,
    onEnded: () => void,
  ) {
    this.proxy = proxy;
    this.direction = direction;
    this.source = source;
    this.target = target;
    this.random = random;
    this.onEnded = onEnded;
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('end', () => {
      this.queue.push({ end: true, dueMs: this.lastDueMs });
      this.pump();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  /** Writes every piece that is due, unless a hold is in force; re-arms for the next one. */
  pump(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.proxy.toxics(this.direction).some((toxic) => toxic.type === 'hold')) return;
    const now = performance.now();
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) break;
      if (head.dueMs > now) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(head.dueMs - now));
        break;
      }
      this.queue.shift();
      if ('end' in head) {
        this.target.end();
        this.ended = true;
        this.onEnded();
        return;
      }
      this.queuedBytes -= head.bytes.length;
      this.target.write(head.bytes);
    }
    if (this.paused && this.queuedBytes < QUEUE_BYTES_MAX / 2) {
      this.paused = false;
      this.source.resume();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.stopped) return;
    const now = performance.now();
    const pieces = schedulePieces(
      chunk,
      this.proxy.toxics(this.direction),
      now,
      this.lastDueMs,
      this.random,
    );
    for (const piece of pieces) {
      this.queue.push(piece);
      this.queuedBytes += piece.bytes.length;
      this.lastDueMs = piece.dueMs;
    }
    if (this.queuedBytes > QUEUE_BYTES_MAX && !this.paused) {
      this.paused = true;
      this.source.pause();
    }
    this.pump();
  }
}
