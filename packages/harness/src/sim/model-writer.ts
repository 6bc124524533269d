/**
 * A writer client whose acknowledged writes are the model of the dataset: a scenario's ground truth.
 *
 * One request is in flight at a time, so the order of the replies is the order in which the master
 * applied the writes. A write enters the model only when its reply arrives without an error: a write
 * with no reply (the connection died) may or may not have happened, so the model never guesses.
 *
 * Every `waitEvery` writes the writer sends `WAIT <replicas> <timeout>` on the same connection, as an
 * application that wants to know how far its writes have been copied would. WAIT's reply is the
 * number of replicas that acknowledged every write sent before it (Redis: the client's woff), so the
 * list of outcomes says, write by write, how many copies the master could vouch for at the time.
 */
import type { Env, Random } from '@replisim/base';
import type { ReplyHandler, RespClient } from './resp-client.js';

export interface ModelWriterOptions {
  /** Writes go to `user:0` .. `user:<keys * 1.1>` (some new keys), and ten counters. */
  readonly keys: number;
  /** Simulated ms between a reply and the next request. */
  readonly intervalMs: number;
  /** A WAIT after every this many acknowledged writes; 0 sends none. */
  readonly waitEvery: number;
  readonly waitReplicas: number;
  readonly waitTimeoutMs: number;
}

/** One WAIT: after which acknowledged write, when (simulated ms), and how many replicas it counted. */
export interface WaitOutcome {
  readonly afterWrite: number;
  readonly atMs: number;
  readonly replicas: number;
}

/** What `interpose` tells its caller: when the command goes out, and its reply. */
export interface InterposeHandlers {
  readonly onSend?: () => void;
  readonly onReply: ReplyHandler;
}

export class ModelWriter {
  /** The dataset the acknowledged writes made, key -> value (counters as decimal strings). */
  readonly model: Map<string, string> = new Map();
  readonly waits: WaitOutcome[] = [];
  /** Writes the master acknowledged, in order; the n-th is "write #n". */
  acked = 0;
  /** Writes answered with an error, or left without a reply by a dead connection. */
  unacknowledged = 0;
  private readonly env: Env;
  private readonly client: RespClient;
  private readonly random: Random;
  private readonly options: ModelWriterOptions;
  private running = false;
  private inFlight = false;
  /** Commands to send between two writes (see `interpose`), oldest first. */
  private readonly interposed: {
    readonly argv: readonly string[];
    readonly handlers: InterposeHandlers;
  }[] = [];

  constructor(env: Env, client: RespClient, random: Random, options: ModelWriterOptions) {
    this.env = env;
    this.client = client;
    this.random = random;
    this.options = options;
  }

  /** Starts writing; the first request goes out now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.inFlight) this.sendNext();
  }

  /** Sends nothing new; a request in flight still gets its reply (see `idle`). */
  stop(): void {
    this.running = false;
  }

  /**
   * The MSET commands (`batch` keys each) that load `user:0` .. `user:<keys - 1>` before the story
   * starts. Their values go into the model now: the scenario sends them and waits for the replies
   * before starting the writer, so the load is where the model begins.
   */
  initialLoad(batch: number): string[][] {
    const { keys } = this.options;
    const commands: string[][] = [];
    for (let first = 0; first < keys; first += batch) {
      const argv = ['MSET'];
      for (let i = first; i < Math.min(keys, first + batch); i++) {
        const key = `user:${i}`;
        const value = `profile-${i}-${this.random.hex(8)}`;
        argv.push(key, value);
        this.model.set(key, value);
      }
      commands.push(argv);
    }
    return commands;
  }

  /**
   * Sends `argv` on the writer's connection right after the write in flight (or now, if none): its
   * place in the stream of writes is exact, after write #acked and before the next one. A BGSAVE
   * sent this way has a snapshot point the model can name.
   */
  interpose(argv: readonly string[], handlers: InterposeHandlers): void {
    this.interposed.push({ argv, handlers });
    if (this.running && !this.inFlight) this.sendNext();
  }

  /** Stopped, with no request waiting for its reply: the model is final. */
  get idle(): boolean {
    return !this.running && !this.inFlight;
  }

  private scheduleNext(): void {
    if (this.running) this.env.timers.after(this.options.intervalMs, () => this.sendNext());
  }

  private sendNext(): void {
    if (!this.running || this.inFlight) return;
    const interposed = this.interposed.shift();
    if (interposed !== undefined) {
      this.inFlight = true;
      interposed.handlers.onSend?.();
      this.client.send(interposed.argv, (reply) => {
        this.inFlight = false;
        interposed.handlers.onReply(reply);
        if (reply === undefined) this.running = false;
        else this.scheduleNext();
      });
      return;
    }
    const { waitEvery } = this.options;
    const lastWait = this.waits[this.waits.length - 1];
    if (waitEvery > 0 && this.acked > 0 && this.acked % waitEvery === 0) {
      if (lastWait === undefined || lastWait.afterWrite !== this.acked) {
        this.sendWait();
        return;
      }
    }
    this.sendWrite();
  }

  private sendWait(): void {
    const { waitReplicas, waitTimeoutMs } = this.options;
    const afterWrite = this.acked;
    this.inFlight = true;
    this.client.send(['WAIT', String(waitReplicas), String(waitTimeoutMs)], (reply) => {
      this.inFlight = false;
      if (reply === undefined) {
        this.running = false;
        return;
      }
      const replicas = reply.kind === 'integer' ? Number(reply.value) : -1;
      this.waits.push({ afterWrite, atMs: this.env.clock.monotonicMs(), replicas });
      this.scheduleNext();
    });
  }

  private sendWrite(): void {
    const random = this.random;
    const roll = random.int(10);
    const keys = this.options.keys;
    const key = roll < 2 ? `counter:${random.int(10)}` : `user:${random.int(keys + keys / 10)}`;
    const argv =
      roll < 2
        ? ['INCR', key]
        : roll < 3
          ? ['DEL', key]
          : ['SET', key, `v${this.acked + 1}-${random.hex(6)}`];
    this.inFlight = true;
    this.client.send(argv, (reply) => {
      this.inFlight = false;
      if (reply === undefined || reply.kind === 'error') {
        this.unacknowledged++;
        if (reply === undefined) this.running = false;
        else this.scheduleNext();
        return;
      }
      this.acked++;
      this.apply(argv, key);
      this.scheduleNext();
    });
  }

  /** The write's effect on the model, computed from the request alone (not from the reply). */
  private apply(argv: readonly string[], key: string): void {
    if (argv[0] === 'DEL') this.model.delete(key);
    else if (argv[0] === 'INCR')
      this.model.set(key, String(Number(this.model.get(key) ?? '0') + 1));
    else this.model.set(key, argv[2] ?? '');
  }
}
