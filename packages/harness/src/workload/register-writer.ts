/**
 * The register workload: one client writing registers (SET with unique values, INCR on counters,
 * DEL) with one request in flight, so its acknowledged writes, in order, are the model of the
 * dataset: the ground truth scenarios and checkers compare nodes with.
 *
 * A write enters the model only when its reply arrives without an error: a write with no reply (the
 * connection died) may or may not have happened, so the model never guesses (the history records
 * it as `info`). Every `waitEvery` writes it sends `WAIT <replicas> <timeout>`, as an application
 * that wants to know how far its writes have been copied would; the history keeps each WAIT's reply.
 *
 * `interpose` sends another command (BGSAVE, say) between two writes: its place in the stream of
 * writes is exact, which gives a snapshot an exact point.
 */
import type { Random, Timers } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import type { RecordingClient } from '../client/recording-client.js';
import type { ReplyHandler } from '../client/resp-client.js';
import { uniqueIds } from './unique-values.js';

export interface RegisterWriterOptions {
  /** Writes go to `user:0` .. `user:<keys * 1.1>` (some new keys), and ten counters. */
  readonly keys: number;
  /** Ms between a reply and the next request. */
  readonly intervalMs: number;
  /** A WAIT after every this many acknowledged writes; 0 sends none. */
  readonly waitEvery?: number;
  readonly waitReplicas?: number;
  readonly waitTimeoutMs?: number;
}

/** One WAIT: after which acknowledged write, when, and how many replicas it counted. */
export interface WaitOutcome {
  readonly afterWrite: number;
  readonly atMs: number;
  readonly replicas: number;
}

export interface InterposeHandlers {
  readonly onSend?: () => void;
  readonly onReply: ReplyHandler;
}

export class RegisterWriter {
  /** The dataset the acknowledged writes made, key -> value (counters as decimal strings). */
  readonly model: Map<string, string> = new Map();
  readonly waits: WaitOutcome[] = [];
  /** Writes acknowledged, in order; the n-th is "write #n". */
  acked = 0;
  /** Writes answered with an error, or left without a reply. */
  unacknowledged = 0;
  private readonly client: RecordingClient;
  private readonly timers: Timers;
  private readonly random: Random;
  private readonly options: RegisterWriterOptions;
  private readonly nextId: () => string;
  private readonly now: () => number;
  private running = false;
  private inFlight = false;
  private readonly interposed: {
    readonly argv: readonly string[];
    readonly handlers: InterposeHandlers;
  }[] = [];

  constructor(
    client: RecordingClient,
    timers: Timers,
    random: Random,
    now: () => number,
    options: RegisterWriterOptions,
  ) {
    this.client = client;
    this.timers = timers;
    this.random = random;
    this.now = now;
    this.options = options;
    this.nextId = uniqueIds(random);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.inFlight) this.sendNext();
  }

  /** Sends nothing new; a request in flight still gets its reply (see `idle`). */
  stop(): void {
    this.running = false;
  }

  /** Stopped, with no request waiting for its reply: the model is final. */
  get idle(): boolean {
    return !this.running && !this.inFlight;
  }

  /**
   * Loads `user:0` .. `user:<keys - 1>` with MSETs of `batch` keys, one after another, each a
   * multi-key `write` op in the history; `done` runs after the last reply. The loaded values are
   * the model's start.
   */
  load(batch: number, done: (ok: boolean) => void): void {
    const { keys } = this.options;
    const next = (first: number): void => {
      if (first >= keys) {
        done(true);
        return;
      }
      const argv = ['MSET'];
      const values: Record<string, string> = {};
      for (let i = first; i < Math.min(keys, first + batch); i++) {
        const key = `user:${i}`;
        const value = `profile-${i}-${this.nextId()}`;
        argv.push(key, value);
        values[key] = value;
      }
      this.client.op('write', argv, { value: values }, (reply) => {
        if (reply === undefined || reply.kind === 'error') {
          done(false);
          return;
        }
        for (const [key, value] of Object.entries(values)) this.model.set(key, value);
        next(first + batch);
      });
    };
    next(0);
  }

  /** Sends `argv` right after the write in flight (or now): after write #acked, before the next. */
  interpose(argv: readonly string[], handlers: InterposeHandlers): void {
    this.interposed.push({ argv, handlers });
    if (this.running && !this.inFlight) this.sendNext();
  }

  private scheduleNext(): void {
    if (this.running) this.timers.after(this.options.intervalMs, () => this.sendNext());
  }

  private sendNext(): void {
    if (!this.running || this.inFlight) return;
    const interposed = this.interposed.shift();
    if (interposed !== undefined) {
      this.inFlight = true;
      interposed.handlers.onSend?.();
      this.client.op('admin', interposed.argv, {}, (reply) => {
        this.inFlight = false;
        interposed.handlers.onReply(reply);
        if (reply === undefined) this.running = false;
        else this.scheduleNext();
      });
      return;
    }
    const waitEvery = this.options.waitEvery ?? 0;
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
    const replicas = this.options.waitReplicas ?? 1;
    const timeoutMs = this.options.waitTimeoutMs ?? 100;
    const afterWrite = this.acked;
    this.inFlight = true;
    this.client.op(
      'wait',
      ['WAIT', String(replicas), String(timeoutMs)],
      { value: replicas, resultOf: (reply) => integerOf(reply) },
      (reply) => {
        this.inFlight = false;
        if (reply === undefined) {
          this.running = false;
          return;
        }
        this.waits.push({ afterWrite, atMs: this.now(), replicas: integerOf(reply) ?? -1 });
        this.scheduleNext();
      },
    );
  }

  private sendWrite(): void {
    const random = this.random;
    const roll = random.int(10);
    const keys = this.options.keys;
    const key =
      roll < 2 ? `counter:${random.int(10)}` : `user:${random.int(Math.ceil(keys * 1.1))}`;
    const value = roll >= 3 ? `v${this.acked + 1}-${this.nextId()}` : undefined;
    const f = roll < 2 ? 'incr' : roll < 3 ? 'del' : 'write';
    const argv =
      f === 'incr' ? ['INCR', key] : f === 'del' ? ['DEL', key] : ['SET', key, value ?? ''];
    this.inFlight = true;
    this.client.op(
      f,
      argv,
      {
        key,
        ...(value === undefined ? {} : { value }),
        ...(f === 'incr' ? { resultOf: (reply: RespValue) => integerOf(reply) } : {}),
        ...(f === 'del' ? { resultOf: () => null } : {}),
      },
      (reply) => {
        this.inFlight = false;
        if (reply === undefined || reply.kind === 'error') {
          this.unacknowledged++;
          if (reply === undefined) this.running = false;
          else this.scheduleNext();
          return;
        }
        this.acked++;
        if (f === 'del') this.model.delete(key);
        else if (f === 'incr') this.model.set(key, String(Number(this.model.get(key) ?? '0') + 1));
        else this.model.set(key, value ?? '');
        this.scheduleNext();
      },
    );
  }
}

function integerOf(reply: RespValue): number | undefined {
  return reply.kind === 'integer' ? Number(reply.value) : undefined;
}
