/**
 * The list-append workload, as Jepsen's Redis tests run it: clients send transactions of one to
 * LIST_APPEND_OPS_MAX micro-ops over a few active list keys (a window that slides to fresh keys
 * every APPENDS_PER_KEY appends, so lists stay short), each transaction one MULTI ... EXEC, where `append k v`
 * is RPUSH k v (v unique in the run) and `r k` is LRANGE k 0 -1. Lists record their whole history
 * in order, so a read shows exactly which appends a node holds and where: the list-append checker
 * (checkers/list-append.ts) finds lost, duplicated, reordered, torn and phantom appends from it.
 *
 * Each transaction is one `txn` op in the history (history/op.ts): `ok` with the EXEC results (the
 * length each RPUSH returned, the list each LRANGE read); `fail` when EXEC was refused with an
 * error (EXECABORT: nothing ran); `info` when no reply came in time or the connection died, or any
 * reply says part of it may have run without the rest (it may or may not have happened).
 *
 * A WAIT follows every `waitEvery` acknowledged transactions that appended, on the same connection,
 * so the lost-write rule (checkers/lost-writes.ts) can vouch for them. A client whose connection
 * dies reconnects to the cluster's master of the moment as a new process, as the register writer
 * does (resilient-writer.ts).
 */
import { assert, type Random, type Timers } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import type { RecordingClient } from '../client/recording-client.js';
import { replyText } from '../client/resp-client.js';
import type { Cluster } from '../cluster/cluster.js';
import type { MicroOp } from '../history/op.js';
import { uniqueIds } from './unique-values.js';

/** Micro-ops per transaction at most (Jepsen's default). */
export const LIST_APPEND_OPS_MAX = 4;
/** A transaction with no EXEC reply after this long is given up: `info`, and the link is closed. */
export const TXN_TIMEOUT_MS = 1_000;
/** How long a client waits before reconnecting, ms. */
const RECONNECT_MS = 100;
/**
 * Appends a key takes on average before it retires (Jepsen's max-writes-per-key): lists stay short,
 * so reads stay cheap and many keys see a failover halfway through their life.
 */
export const APPENDS_PER_KEY = 20;

/**
 * The keys the clients of one run share: a window of `active` keys that slides one key forward
 * every APPENDS_PER_KEY appends (by any client), as Jepsen rotates keys. `used` is how many keys
 * were ever in the window: the final read reads them all.
 */
export class ListKeys {
  private appended = 0;
  private readonly active: number;

  constructor(active: number) {
    assert(active >= 1, 'list-append needs a key');
    this.active = active;
  }

  private get base(): number {
    return Math.floor(this.appended / APPENDS_PER_KEY);
  }

  get used(): number {
    return this.base + this.active;
  }

  pick(random: Random): string {
    return listKey(this.base + random.int(this.active));
  }

  noteAppend(): void {
    this.appended++;
  }
}

export interface ListAppendOptions {
  /** The keys, shared by every client of the run. */
  readonly keys: ListKeys;
  /** Ms between a reply and the next transaction. */
  readonly intervalMs: number;
  /** A WAIT after every this many acknowledged appending transactions; 0 sends none. */
  readonly waitEvery: number;
  readonly waitReplicas: number;
  readonly waitTimeoutMs: number;
}

export function listKey(index: number): string {
  return `list:${index}`;
}

/** The command of a micro-op inside MULTI. */
function commandOf(op: MicroOp): string[] {
  return op.f === 'append' ? ['RPUSH', op.key, op.value] : ['LRANGE', op.key, '0', '-1'];
}

/** One list as LRANGE replied, or undefined if the reply is not a list. */
function listOf(reply: RespValue | undefined): string[] | undefined {
  if (reply?.kind !== 'array') return undefined;
  const items: string[] = [];
  for (const item of reply.items) {
    const text = replyText(item);
    if (text === undefined || item.kind === 'error') return undefined;
    items.push(text);
  }
  return items;
}

/** The EXEC reply's results given to the micro-ops, or undefined if one is not what it must be. */
function completed(ops: readonly MicroOp[], exec: RespValue): MicroOp[] | undefined {
  if (exec.kind !== 'array' || exec.items.length !== ops.length) return undefined;
  const out: MicroOp[] = [];
  for (const [index, op] of ops.entries()) {
    const reply = exec.items[index];
    if (op.f === 'append') {
      if (reply?.kind !== 'integer') return undefined;
      out.push({ ...op, length: Number(reply.value) });
    } else {
      const list = listOf(reply);
      if (list === undefined) return undefined;
      out.push({ ...op, value: list });
    }
  }
  return out;
}

/**
 * Sends `ops` as one MULTI ... EXEC on `client`, recorded as one `txn` op; `done` gets whether the
 * connection is still usable. The commands go out pipelined, as a client library sends them.
 */
export function sendTransaction(
  client: RecordingClient,
  timers: Timers,
  ops: readonly MicroOp[],
  done: (outcome: 'ok' | 'fail' | 'info') => void,
): void {
  assert(ops.length >= 1, 'a transaction needs a micro-op');
  const argvs = [['MULTI'], ...ops.map(commandOf), ['EXEC']];
  client.record('invoke', 'txn', {
    value: ops,
    command: argvs.map((argv) => argv.join(' ')),
  });
  let finished = false;
  let partial: string | undefined;
  const finish = (
    outcome: 'ok' | 'fail' | 'info',
    fields: Parameters<RecordingClient['record']>[2],
  ) => {
    if (finished) return;
    finished = true;
    client.record(outcome, 'txn', fields);
    done(outcome);
  };
  const timer = timers.after(TXN_TIMEOUT_MS, () => {
    if (finished) return;
    finish('info', { value: ops, error: `no EXEC reply within ${TXN_TIMEOUT_MS} ms` });
    client.close();
  });
  argvs.forEach((argv, index) => {
    const last = index === argvs.length - 1;
    client.sendUnrecorded(argv, (reply) => {
      if (reply === undefined) {
        timers.cancel(timer);
        finish('info', { value: ops, error: 'no reply: the connection closed' });
        return;
      }
      // A refused MULTI would let the commands run one by one: the outcome is then unknown.
      if (index === 0 && reply.kind === 'error') partial = `MULTI refused: ${reply.value}`;
      if (!last) return;
      timers.cancel(timer);
      if (partial !== undefined) {
        finish('info', { value: ops, error: partial });
      } else if (reply.kind === 'error') {
        finish('fail', { value: ops, error: reply.value });
      } else if (reply.kind === 'null') {
        finish('fail', { value: ops, error: 'EXEC aborted (null reply)' });
      } else {
        const results = completed(ops, reply);
        if (results === undefined) {
          finish('info', {
            value: ops,
            error: `unexpected EXEC reply: ${replyText(reply) ?? reply.kind}`,
          });
        } else finish('ok', { value: results });
      }
    });
  });
}

/** One connection's client: transactions one after another, with a WAIT now and then. */
class ListAppendClient {
  private readonly client: RecordingClient;
  private readonly timers: Timers;
  private readonly random: Random;
  private readonly options: ListAppendOptions;
  private readonly nextId: () => string;
  private running = false;
  private inFlight = false;
  /** Acknowledged transactions that appended, since the last WAIT. */
  private appendedSinceWait = 0;
  /** Appends numbered per client, so a value also says who wrote it (its id makes it unique). */
  private appendCount = 0;

  constructor(client: RecordingClient, timers: Timers, random: Random, options: ListAppendOptions) {
    this.client = client;
    this.timers = timers;
    this.random = random;
    this.options = options;
    this.nextId = uniqueIds(random);
  }

  get idle(): boolean {
    return !this.running && !this.inFlight;
  }

  /** The connection died: a new client must take over. */
  get dead(): boolean {
    return this.client.closed && !this.inFlight;
  }

  start(): void {
    this.running = true;
    this.next();
  }

  stop(): void {
    this.running = false;
  }

  private later(): void {
    if (this.running) this.timers.after(this.options.intervalMs, () => this.next());
  }

  private next(): void {
    if (!this.running || this.inFlight || this.client.closed) return;
    const { waitEvery } = this.options;
    if (waitEvery > 0 && this.appendedSinceWait >= waitEvery) {
      this.appendedSinceWait = 0;
      this.inFlight = true;
      const replicas = this.options.waitReplicas;
      this.client.op(
        'wait',
        ['WAIT', String(replicas), String(this.options.waitTimeoutMs)],
        {
          value: replicas,
          resultOf: (reply) => (reply.kind === 'integer' ? Number(reply.value) : undefined),
        },
        (reply) => {
          this.inFlight = false;
          if (reply === undefined) this.running = false;
          else this.later();
        },
      );
      return;
    }
    const ops = this.draw();
    this.inFlight = true;
    sendTransaction(this.client, this.timers, ops, (outcome) => {
      this.inFlight = false;
      if (outcome === 'ok' && ops.some((op) => op.f === 'append')) this.appendedSinceWait++;
      if (this.client.closed) this.running = false;
      else this.later();
    });
  }

  private draw(): MicroOp[] {
    const random = this.random;
    const count = 1 + random.int(LIST_APPEND_OPS_MAX);
    const ops: MicroOp[] = [];
    for (let i = 0; i < count; i++) {
      const key = this.options.keys.pick(random);
      if (random.int(2) === 0) ops.push({ f: 'r', key, value: null });
      else {
        this.appendCount++;
        this.options.keys.noteAppend();
        ops.push({
          f: 'append',
          key,
          value: `${this.client.id}.${this.appendCount}-${this.nextId()}`,
        });
      }
    }
    return ops;
  }
}

/**
 * A list-append client that survives faults: when its connection dies it connects again, as a new
 * process, to whichever node is the master by then. `suspend` holds off new connections while a
 * restarted node is read (the snapshot-recovery checker judges that read).
 */
export class ResilientListAppend {
  private readonly cluster: Cluster;
  private readonly random: Random;
  private readonly options: ListAppendOptions;
  private current: ListAppendClient | undefined;
  private running = false;
  private connecting = false;
  private suspended = false;

  constructor(cluster: Cluster, random: Random, options: ListAppendOptions) {
    this.cluster = cluster;
    this.random = random;
    this.options = options;
  }

  get idle(): boolean {
    return !this.running && (this.current === undefined || this.current.idle) && !this.connecting;
  }

  start(): void {
    this.running = true;
    this.connect();
    this.watch();
  }

  stop(): void {
    this.running = false;
    this.current?.stop();
  }

  suspend(): void {
    this.suspended = true;
  }

  resume(): void {
    this.suspended = false;
  }

  private watch(): void {
    this.cluster.backend.timers.after(RECONNECT_MS, () => {
      if (!this.running) return;
      const gone = this.current === undefined || this.current.idle || this.current.dead;
      if (gone && !this.connecting && !this.suspended) this.connect();
      this.watch();
    });
  }

  private connect(): void {
    this.current?.stop();
    this.current = undefined;
    const master = this.cluster.master;
    if (!this.cluster.isUp(master) || this.cluster.isPaused(master)) return;
    this.connecting = true;
    this.cluster.connectClient(master, (client) => {
      this.connecting = false;
      if (client === undefined || !this.running) {
        client?.close();
        return;
      }
      const next = new ListAppendClient(
        client,
        this.cluster.backend.timers,
        this.random.fork(),
        this.options,
      );
      this.current = next;
      next.start();
    });
  }
}

/**
 * Reads every list ever used on `node` in one read-only MULTI ... EXEC (a `txn` of reads): the
 * liveness phase's final read, which the checker compares across nodes.
 */
export async function readLists(cluster: Cluster, node: string, keys: ListKeys): Promise<void> {
  const client = await cluster.client(node);
  const ops: MicroOp[] = Array.from({ length: keys.used }, (_, i) => ({
    f: 'r' as const,
    key: listKey(i),
    value: null,
  }));
  let finished = false;
  sendTransaction(client, cluster.backend.timers, ops, () => {
    finished = true;
  });
  await cluster.waitFor(`the final list read on ${node}`, () => finished);
  client.close();
}
