/**
 * A register writer that survives faults: it writes to the cluster's current master through a
 * RegisterWriter and, when its connection dies (a crash, a kill, a failover), connects again to
 * whichever node is the master by then and goes on with a fresh RegisterWriter. Every connection
 * is a new client (a new Jepsen process) in the history, so the checkers see exactly which writes
 * went where. It is what a chaos run's clients do while faults fly.
 */
import type { Random } from '@replisim/base';
import type { Cluster } from '../cluster/cluster.js';
import { RegisterWriter, type RegisterWriterOptions } from './register-writer.js';

/** How long the writer waits before reconnecting, ms. */
const RECONNECT_MS = 100;

export class ResilientWriter {
  private readonly cluster: Cluster;
  private readonly random: Random;
  private readonly options: RegisterWriterOptions;
  private writer: RegisterWriter | undefined;
  private running = false;
  private connecting = false;
  /** While suspended no new connection is made (a node's restart is being checked first). */
  private suspended = false;
  /** Writes acknowledged over all connections. */
  private ackedBefore = 0;

  constructor(cluster: Cluster, random: Random, options: RegisterWriterOptions) {
    this.cluster = cluster;
    this.random = random;
    this.options = options;
  }

  get acked(): number {
    return this.ackedBefore + (this.writer?.acked ?? 0);
  }

  /** Stopped with nothing in flight. */
  get idle(): boolean {
    return !this.running && (this.writer === undefined || this.writer.idle) && !this.connecting;
  }

  start(): void {
    this.running = true;
    this.connect();
    this.watch();
  }

  /** A connection is open and writing. */
  get connected(): boolean {
    return this.writer !== undefined && !this.writer.idle;
  }

  stop(): void {
    this.running = false;
    this.writer?.stop();
  }

  /** Makes no new connection until `resume` (the current one, if alive, goes on). */
  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
  }

  /** Every RECONNECT_MS: a writer whose connection died is replaced. */
  private watch(): void {
    this.cluster.backend.timers.after(RECONNECT_MS, () => {
      if (!this.running) return;
      if (this.writer?.idle !== false && !this.connecting && !this.suspended) this.connect();
      this.watch();
    });
  }

  private connect(): void {
    if (this.writer !== undefined) this.ackedBefore += this.writer.acked;
    this.writer = undefined;
    const master = this.cluster.master;
    if (!this.cluster.isUp(master) || this.cluster.isPaused(master)) return;
    this.connecting = true;
    this.cluster.connectClient(master, (client) => {
      this.connecting = false;
      if (client === undefined || !this.running) {
        client?.close();
        return;
      }
      const writer = new RegisterWriter(
        client,
        this.cluster.backend.timers,
        this.random.fork(),
        () => this.cluster.backend.now(),
        this.options,
      );
      this.writer = writer;
      writer.start();
    });
  }
}
