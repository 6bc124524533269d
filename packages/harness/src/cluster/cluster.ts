/**
 * The Cluster: the one API scenarios, workloads and chaos runs use to build a replication cluster,
 * drive it, break it and observe it, whatever backend runs it (backend.ts).
 *
 * - Nodes: `node(spec)` declares one (name, redis-server options, replicaof); `start` boots them.
 * - Clients: `client(node)` connects a recording client (every operation goes into the history);
 *   `call(node, argv)` sends one command and waits for its reply.
 * - Time: `runFor(ms)`; `waitFor(what, predicate, boundMs)` lets time pass until a named condition
 *   holds, and throws WaitTimedOut when it does not (the run makes that an undecided verdict). The
 *   named conditions (`serving`, `replicaOnline`, `offsetsEqual`, ...) read INFO only.
 * - Faults: verbs named after what they do (crash, kill, restart, shutdown, pause, partition,
 *   isolate, split, cut, hold, resetPeer, latency, bandwidth, disk, clockJump, clockDrift, forkPause,
 *   failover), each recorded on the timeline; the ones that last return an Undo, and `heal()`
 *   undoes every fault still in force.
 * - Observation: `state(node)` (INFO as a NodeState), `digest(node)`, `readAll(node)`, and
 *   `sample()`, which records every node's replid, offset and digest as `state` events for the
 *   stream checkers.
 */
import { assert } from '@replisim/base';
import type { RespValue } from '@replisim/protocol';
import type { CommandChannel } from '../client/command-channel.js';
import { RecordingClient } from '../client/recording-client.js';
import { RespClient, replyText } from '../client/resp-client.js';
import type { History } from '../history/history.js';
import type { EventData, NodeEventKind } from '../history/op.js';
import {
  type Backend,
  type DiskFault,
  type LatencyFault,
  type NodeSpec,
  type Undo,
  UnsupportedFault,
} from './backend.js';
import { type NodeState, parseNodeState } from './node-state.js';
import { WAIT_MS_DEFAULT, WaitTimedOut } from './waits.js';

/** Options every harness node gets: DEBUG for DEBUG DIGEST, no protected mode between hosts. */
export const HARNESS_NODE_OPTIONS: readonly string[] = [
  '--enable-debug-command',
  'yes',
  '--protected-mode',
  'no',
];

/** The pseudo-node name for "every client" in link faults. */
export const CLIENTS = 'clients';

/** How many times a final sample is taken before a disagreement is recorded as it is. */
const FINAL_SAMPLE_ATTEMPTS_MAX = 20;
/** Ms between two attempts at a final sample. */
const FINAL_SAMPLE_RETRY_MS = 100;

interface SampleRow {
  readonly name: string;
  readonly role: NodeState['role'];
  readonly replid: string;
  readonly offset: number;
  readonly serving: boolean;
  readonly digest: string | undefined;
}

/** Every row names the same replid and offset. */
function agree(rows: readonly SampleRow[]): boolean {
  return rows.every((row) => row.replid === rows[0]?.replid && row.offset === rows[0]?.offset);
}

/** Batch size of the MGETs behind `readAll`. */
const READ_BATCH = 500;

export class Cluster {
  readonly backend: Backend;
  readonly history: History;
  private readonly specs = new Map<string, NodeSpec>();
  private readonly probes = new Map<string, RecordingClient>();
  private readonly undos = new Map<number, { readonly what: string; readonly undo: Undo }>();
  private undoIdNext = 1;
  private clientIdNext = 1;
  /** Whom each node should follow (undefined: it is the master), as Sentinel would have it. */
  private readonly upstream = new Map<string, string | undefined>();
  private readonly paused = new Set<string>();

  constructor(backend: Backend, history: History) {
    this.backend = backend;
    this.history = history;
    backend.attach(history);
  }

  // --- Nodes --------------------------------------------------------------------------------------

  /** Declares a node; it boots at `start`. */
  node(spec: NodeSpec): this {
    assert(!this.specs.has(spec.name), `duplicate node ${spec.name}`);
    if (spec.replicaOf !== undefined) {
      assert(this.specs.has(spec.replicaOf), `${spec.name} replicates unknown ${spec.replicaOf}`);
    }
    const full: NodeSpec = { ...spec, options: [...HARNESS_NODE_OPTIONS, ...spec.options] };
    this.specs.set(spec.name, full);
    this.upstream.set(spec.name, spec.replicaOf);
    this.backend.addNode(full);
    return this;
  }

  /** The node that should be the master now: the first declared master, or the last promoted. */
  get master(): string {
    const master = [...this.upstream.entries()].find(([, upstream]) => upstream === undefined)?.[0];
    assert(master !== undefined, 'a cluster has a master');
    return master;
  }

  /**
   * Points every serving node at the node it should follow (REPLICAOF), as Sentinel reconfigures a
   * cluster: a restarted old master becomes a replica of the promoted one, a replica left pointing
   * elsewhere is repointed. Returns how many nodes it changed.
   */
  async reconcile(): Promise<number> {
    let changed = 0;
    for (const [name, upstream] of this.upstream) {
      const state = this.state(name);
      if (state === undefined || !state.serving) continue;
      if (upstream === undefined) {
        if (state.role === 'replica') {
          await this.call(name, ['REPLICAOF', 'NO', 'ONE']);
          changed++;
        }
        continue;
      }
      const { host, port } = this.backend.address(upstream, name);
      if (state.role === 'master' || state.masterHost !== host) {
        await this.call(name, ['REPLICAOF', host, String(port)]);
        changed++;
      }
    }
    if (changed > 0)
      this.history.event(
        'cluster',
        'note',
        `reconfigured ${changed} node(s) to follow ${this.master}`,
      );
    return changed;
  }

  /** Node names in declaration order. */
  get names(): string[] {
    return [...this.specs.keys()];
  }

  spec(name: string): NodeSpec {
    const spec = this.specs.get(name);
    assert(spec !== undefined, `unknown node ${name}`);
    return spec;
  }

  /** Boots the named nodes (default: all) and waits until each serves. */
  async start(...names: string[]): Promise<void> {
    const targets = names.length > 0 ? names : this.names;
    for (const name of targets) this.backend.start(name);
    for (const name of targets) await this.waitFor(`${name} serving`, () => this.serving(name));
  }

  // --- Clients ------------------------------------------------------------------------------------

  /** Connects a recording client to `node` in the background; `done` gets it or undefined. */
  connectClient(node: string, done: (client: RecordingClient | undefined) => void): void {
    const opened = (channel: CommandChannel | undefined): void => {
      done(
        channel === undefined
          ? undefined
          : new RecordingClient(this.clientIdNext++, node, channel, this.history),
      );
    };
    // A backend may bring its own client (the process backend's ioredis); else RESP over a socket.
    if (this.backend.openChannel !== undefined) this.backend.openChannel(node, opened);
    else {
      this.backend.connect(node, (connection) =>
        opened(connection === undefined ? undefined : new RespClient(connection)),
      );
    }
  }

  /** A new recording client connected to `node`. */
  async client(node: string): Promise<RecordingClient> {
    let answered = false;
    let client: RecordingClient | undefined;
    this.connectClient(node, (connected) => {
      answered = true;
      client = connected;
    });
    await this.waitFor(`a connection to ${node}`, () => answered);
    if (client === undefined)
      throw new WaitTimedOut(`a connection to ${node} (refused)`, 0, this.backend.now());
    return client;
  }

  /** Sends one command on `client` as an `admin` op and waits for the reply (undefined: none). */
  async request(
    client: RecordingClient,
    argv: readonly string[],
    boundMs: number = WAIT_MS_DEFAULT,
  ): Promise<RespValue | undefined> {
    let done = false;
    let reply: RespValue | undefined;
    client.op('admin', argv, {}, (value) => {
      done = true;
      reply = value;
    });
    await this.waitFor(
      `the reply to ${argv[0] ?? 'a command'} from ${client.node}`,
      () => done,
      boundMs,
    );
    return reply;
  }

  /** `request` on the node's own probe client (made on first use, reconnected after a crash). */
  async call(
    node: string,
    argv: readonly string[],
    boundMs: number = WAIT_MS_DEFAULT,
  ): Promise<RespValue | undefined> {
    const probe = await this.probe(node);
    return this.request(probe, argv, boundMs);
  }

  /** The node's own probe client: made on first use, made again after its connection died. */
  private async probe(node: string): Promise<RecordingClient> {
    let probe = this.probes.get(node);
    if (probe === undefined || probe.closed) {
      probe = await this.client(node);
      this.probes.set(node, probe);
    }
    return probe;
  }

  /** True while `node` is paused (SIGSTOP): a call to it would wait for the resume. */
  isPaused(node: string): boolean {
    return this.paused.has(node);
  }

  /** DEBUG DIGEST of a node (40 hex digits). */
  async digest(node: string): Promise<string> {
    return replyText(await this.call(node, ['DEBUG', 'DIGEST'])) ?? '';
  }

  /**
   * The node's whole dataset (db 0, string values) as one read-all op in the history: the checkers'
   * view of what a node holds. Keys come from KEYS *, values from MGET in batches; the op's invoke
   * precedes the KEYS and its ok follows the last MGET.
   */
  async readAll(node: string): Promise<Map<string, string>> {
    const client = await this.client(node);
    client.record('invoke', 'read-all', { command: ['KEYS', '*', '+ MGET'] });
    const fetched = async (argv: readonly string[]): Promise<RespValue | undefined> => {
      let done = false;
      let reply: RespValue | undefined;
      client.sendUnrecorded(argv, (value) => {
        done = true;
        reply = value;
      });
      await this.waitFor(`the reply to ${argv[0] ?? ''} from ${node}`, () => done);
      return reply;
    };
    const keysReply = await fetched(['KEYS', '*']);
    const keys =
      keysReply?.kind === 'array'
        ? keysReply.items.map((item) => replyText(item) ?? '').sort()
        : [];
    const dataset = new Map<string, string>();
    let complete = keysReply?.kind === 'array';
    for (let i = 0; complete && i < keys.length; i += READ_BATCH) {
      const batch = keys.slice(i, i + READ_BATCH);
      const reply = await fetched(['MGET', ...batch]);
      if (reply?.kind !== 'array') complete = false;
      const values = reply?.kind === 'array' ? reply.items : [];
      batch.forEach((key, index) => {
        const value = replyText(values[index]);
        if (value !== undefined) dataset.set(key, value);
      });
    }
    if (complete) client.record('ok', 'read-all', { value: Object.fromEntries(dataset) });
    else client.record('info', 'read-all', { error: 'the read did not complete' });
    client.close();
    return dataset;
  }

  // --- State and waits ----------------------------------------------------------------------------

  state(node: string): NodeState | undefined {
    return this.backend.state(node);
  }

  serving(node: string): boolean {
    return this.state(node)?.serving === true;
  }

  async runFor(ms: number): Promise<void> {
    await this.backend.runFor(ms);
  }

  /** Lets time pass until `predicate` holds; throws WaitTimedOut after `boundMs`. */
  async waitFor(
    what: string,
    predicate: () => boolean,
    boundMs: number = WAIT_MS_DEFAULT,
  ): Promise<void> {
    if (!(await this.backend.runUntil(predicate, boundMs))) {
      throw new WaitTimedOut(what, boundMs, this.backend.now());
    }
  }

  /** Like waitFor, but says whether it held instead of throwing. */
  async waitUntil(predicate: () => boolean, boundMs: number): Promise<boolean> {
    return this.backend.runUntil(predicate, boundMs);
  }

  /** A replica whose link is up and whose offset equals its master's. */
  caughtUp(replica: string, master: string): boolean {
    const r = this.state(replica);
    const m = this.state(master);
    return r !== undefined && m !== undefined && r.serving && r.linkUp && r.offset === m.offset;
  }

  async waitCaughtUp(replicas: readonly string[], master: string, boundMs?: number): Promise<void> {
    await this.waitFor(
      `${replicas.join(', ')} caught up with ${master}`,
      () => replicas.every((replica) => this.caughtUp(replica, master)),
      boundMs,
    );
  }

  async waitBgsave(node: string, running: boolean, boundMs?: number): Promise<void> {
    await this.waitFor(
      `${node}'s BGSAVE ${running ? 'running' : 'finished'}`,
      () => this.state(node)?.bgsaveInProgress === running,
      boundMs,
    );
  }

  async waitLinkDown(replica: string, boundMs?: number): Promise<void> {
    await this.waitFor(
      `${replica}'s link down`,
      () => this.state(replica)?.linkUp === false,
      boundMs,
    );
  }

  /**
   * Records every serving node's role, replid, offset and (with `digests`) DEBUG DIGEST as `state`
   * events, for the stream checkers. With digests each node is asked MULTI, INFO replication,
   * DEBUG DIGEST, EXEC, so its offset and digest describe the same instant of that node even while
   * writes go on (real Redis answers the same transaction).
   *
   * A `final` sample describes a converged cluster, but its nodes are asked one after another: on
   * real processes a master's PING to its replicas (repl-ping-replica-period) can land between two
   * of them. So a final sample whose nodes disagree on replid or offset is taken again, up to
   * FINAL_SAMPLE_ATTEMPTS_MAX times, FINAL_SAMPLE_RETRY_MS apart; only the last one is recorded.
   */
  async sample(
    options: { readonly digests?: boolean; readonly final?: boolean } = {},
  ): Promise<void> {
    let rows = await this.sampleRows(options.digests === true);
    for (
      let attempt = 1;
      options.final === true && attempt < FINAL_SAMPLE_ATTEMPTS_MAX && !agree(rows);
      attempt++
    ) {
      await this.backend.runFor(FINAL_SAMPLE_RETRY_MS);
      rows = await this.sampleRows(options.digests === true);
    }
    for (const { name, role, replid, offset, serving, digest } of rows) {
      this.history.event(
        name,
        'state',
        `${role} ${replid.slice(0, 8)}:${offset}${digest === undefined ? '' : ` digest ${digest.slice(0, 12)}`}`,
        {
          role,
          replid,
          offset,
          serving,
          ...(digest === undefined ? {} : { digest }),
          ...(options.final === true ? { final: true } : {}),
        },
      );
    }
  }

  private async sampleRows(digests: boolean): Promise<SampleRow[]> {
    const rows: SampleRow[] = [];
    for (const name of this.names) {
      const state = this.state(name);
      if (state === undefined) continue;
      let role = state.role;
      let replid = state.replid;
      let offset = state.offset;
      let digest: string | undefined;
      if (digests && state.serving) {
        const reply = await this.atomically(name, [
          ['INFO', 'replication'],
          ['DEBUG', 'DIGEST'],
        ]);
        const info =
          reply === undefined ? undefined : parseNodeState(replyText(reply[0]) ?? '', true);
        if (info !== undefined) {
          role = info.role;
          replid = info.replid;
          offset = info.offset;
          digest = replyText(reply?.[1]);
        }
      }
      rows.push({ name, role, replid, offset, serving: state.serving, digest });
    }
    return rows;
  }

  /** Runs `commands` in one MULTI/EXEC on the node's probe; their replies, or undefined. */
  private async atomically(
    node: string,
    commands: readonly (readonly string[])[],
  ): Promise<readonly RespValue[] | undefined> {
    const probe = await this.probe(node);
    let exec: RespValue | undefined;
    let done = false;
    probe.sendUnrecorded(['MULTI'], () => {});
    for (const command of commands) probe.sendUnrecorded(command, () => {});
    probe.sendUnrecorded(['EXEC'], (reply) => {
      exec = reply;
      done = true;
    });
    await this.waitFor(`a transaction on ${node}`, () => done);
    const result = exec as RespValue | undefined;
    return result?.kind === 'array' ? result.items : undefined;
  }

  // --- Narration ----------------------------------------------------------------------------------

  /** A line for the reader, on the timeline. */
  narrate(actor: string, text: string, data?: EventData): void {
    this.history.event(actor, 'note', text, data);
  }

  // --- Faults -------------------------------------------------------------------------------------

  /** Power loss: unsynced disk writes are lost, torn tails per the disk model. */
  crash(node: string): void {
    this.record(node, 'crash', 'power loss');
    this.backend.crash(node);
  }

  /**
   * Arms a power loss for the instant `node` next renames a snapshot into place, before the
   * directory fsync: the window in which either the old or the new dump may survive. Undo disarms.
   */
  crashAfterNextRename(node: string): Undo {
    const arm = this.backend.crashAfterNextRename;
    if (arm === undefined) {
      throw new UnsupportedFault(
        `crash after rename on ${node}: only the simulator can time a crash inside a rename`,
      );
    }
    this.record(node, 'fault', 'armed: power loss at the next rename of a snapshot', {
      fault: 'crash-after-rename',
    });
    return this.lasting(`${node} crash-after-rename armed`, node, arm.call(this.backend, node));
  }

  /** kill -9: the process dies; the page cache (every write) survives. */
  kill(node: string): void {
    this.record(node, 'kill', 'killed (kill -9)');
    this.backend.kill(node);
  }

  /** Boots a crashed or killed node on its disk and waits until it serves (unless `wait: false`). */
  async restart(node: string, options: { readonly wait?: boolean } = {}): Promise<void> {
    this.record(node, 'restart', 'restarts');
    this.paused.delete(node);
    this.backend.restart(node);
    if (options.wait === false) return;
    await this.waitFor(`${node} serving after its restart`, () => this.serving(node));
  }

  /** The node's process is up (it may still be loading). */
  isUp(node: string): boolean {
    return this.state(node) !== undefined;
  }

  /** SIGTERM: the node shuts down by itself (saving if it has save rules). */
  shutdown(node: string): void {
    // The exit itself is a `shutdown` event from the backend, once the node has saved and stopped.
    this.record(node, 'fault', 'SIGTERM', { fault: 'sigterm' });
    this.backend.shutdown(node);
  }

  /** SIGSTOP until undone (SIGCONT). */
  pause(node: string): Undo {
    this.record(node, 'pause', 'paused (SIGSTOP)');
    return this.lasting(
      `${node} paused`,
      node,
      this.backend.pause(node),
      'resume',
      'resumed (SIGCONT)',
    );
  }

  /** Cuts `source` -> `target` only (node names or CLIENTS). */
  cut(source: string, target: string): Undo {
    this.record('cluster', 'fault', `cut ${source} -> ${target}`, { fault: 'cut', source, target });
    return this.lasting(`cut ${source} -> ${target}`, 'cluster', this.backend.cut(source, target));
  }

  /** Cuts both directions between `a` and `b`. */
  partition(a: string, b: string): Undo {
    this.record('cluster', 'fault', `partition ${a} | ${b}`, { fault: 'partition', a, b });
    const undos = [this.backend.cut(a, b), this.backend.cut(b, a)];
    return this.lasting(`partition ${a} | ${b}`, 'cluster', () => {
      for (const undo of undos) undo();
    });
  }

  /** Cuts every link between the two groups, both ways. */
  split(left: readonly string[], right: readonly string[]): Undo {
    const text = `split [${left.join(' ')}] | [${right.join(' ')}]`;
    this.record('cluster', 'fault', text, { fault: 'split' });
    const undos: Undo[] = [];
    for (const a of left) {
      for (const b of right) undos.push(this.backend.cut(a, b), this.backend.cut(b, a));
    }
    return this.lasting(text, 'cluster', () => {
      for (const undo of undos) undo();
    });
  }

  /** Cuts `node` off every other node (and, with `clients`, off the clients too). */
  isolate(node: string, options: { readonly clients?: boolean } = {}): Undo {
    const others = this.names.filter((name) => name !== node);
    return this.split([node], options.clients === true ? [...others, CLIENTS] : others);
  }

  /** Holds traffic both ways between `a` and `b`; undoing delivers it. */
  hold(a: string, b: string): Undo {
    this.record('cluster', 'fault', `hold ${a} <-> ${b}`, { fault: 'hold', a, b });
    const undos = [this.backend.hold(a, b), this.backend.hold(b, a)];
    return this.lasting(`hold ${a} <-> ${b}`, 'cluster', () => {
      for (const undo of undos) undo();
    });
  }

  /** Resets every connection between `a` and `b` (Toxiproxy reset_peer). */
  resetPeer(a: string, b: string): void {
    this.record('cluster', 'fault', `reset_peer ${a} <-> ${b}`, { fault: 'reset_peer', a, b });
    this.backend.resetPeer(a, b);
  }

  /** Latency (with jitter) both ways between `a` and `b` (Toxiproxy latency). */
  latency(a: string, b: string, fault: LatencyFault): Undo {
    const text = `latency ${a} <-> ${b}: ${fault.latencyMs} ms +- ${fault.jitterMs ?? 0}`;
    this.record('cluster', 'fault', text, { fault: 'latency', a, b, latencyMs: fault.latencyMs });
    return this.lasting(text, 'cluster', this.backend.latency(a, b, fault));
  }

  /** A rate limit both ways between `a` and `b`, in KB/s (Toxiproxy's unit: 1 KB = 1000 bytes). */
  bandwidth(a: string, b: string, kilobytesPerSec: number): Undo {
    const text = `bandwidth ${a} <-> ${b}: ${kilobytesPerSec} KB/s`;
    this.record('cluster', 'fault', text, { fault: 'bandwidth', a, b, kilobytesPerSec });
    return this.lasting(text, 'cluster', this.backend.bandwidth(a, b, kilobytesPerSec * 1000));
  }

  /** Disk faults on a node: full, EIO on write or fsync, slow fsync. */
  disk(node: string, fault: DiskFault): Undo {
    const text = `disk ${Object.entries(fault)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')}`;
    this.record(node, 'fault', text, { fault: 'disk' });
    return this.lasting(`${node} ${text}`, node, this.backend.disk(node, fault));
  }

  /** Steps a node's wall clock (TTLs and PXAT see it; durations do not). */
  clockJump(node: string, ms: number): void {
    this.record(node, 'fault', `wall clock jumps ${ms > 0 ? '+' : ''}${ms} ms`, {
      fault: 'clock-jump',
      ms,
    });
    this.backend.clockJump(node, ms);
  }

  /** Drifts a node's wall clock by `ppm` (steps every second) until undone. */
  clockDrift(node: string, ppm: number): Undo {
    this.record(node, 'fault', `wall clock drifts ${ppm} ppm`, { fault: 'clock-drift', ppm });
    let active = true;
    const step = (): void => {
      if (!active) return;
      this.backend.clockJump(node, ppm / 1000);
      this.backend.timers.after(1000, step);
    };
    this.backend.timers.after(1000, step);
    return this.lasting(`${node} clock drift`, node, () => {
      active = false;
    });
  }

  /** The BGSAVE fork pause (replisim's fork-pause-ms-per-gb), for the latency stories. */
  async forkPause(node: string, msPerGb: number): Promise<void> {
    this.record(node, 'fault', `fork pause ${msPerGb} ms/GB`, { fault: 'fork-pause', msPerGb });
    await this.call(node, ['CONFIG', 'SET', 'fork-pause-ms-per-gb', String(msPerGb)]);
  }

  /**
   * Promotes `replica` as Sentinel does: REPLICAOF NO ONE on it, then every other serving node is
   * pointed at it. Returns once the promotion replied (the others sync in the background).
   */
  async failover(replica: string): Promise<void> {
    this.record(replica, 'failover', `promoted: REPLICAOF NO ONE; the others follow ${replica}`);
    for (const name of this.names) this.upstream.set(name, name === replica ? undefined : replica);
    await this.call(replica, ['REPLICAOF', 'NO', 'ONE']);
    for (const name of this.names) {
      if (name === replica || !this.serving(name) || this.paused.has(name)) continue;
      const { host, port } = this.backend.address(replica, name);
      await this.call(name, ['REPLICAOF', host, String(port)]);
    }
  }

  /** Undoes every fault still in force, in the order they were made. */
  heal(): void {
    if (this.undos.size === 0) return;
    const healed = [...this.undos.values()].map((entry) => entry.what);
    for (const entry of [...this.undos.values()]) entry.undo();
    this.undos.clear();
    this.history.event('cluster', 'heal', `healed: ${healed.join(', ')}`);
  }

  /** Closes every client and stops every node. */
  async close(): Promise<void> {
    for (const probe of this.probes.values()) probe.close();
    await this.backend.close();
  }

  private record(node: string, kind: NodeEventKind, text: string, data?: EventData): void {
    this.history.event(node, kind, text, data);
  }

  /** Registers a lasting fault; the Undo it returns records the heal. */
  private lasting(
    what: string,
    node: string,
    undo: Undo,
    kind: NodeEventKind = 'heal',
    text = `healed: ${what}`,
  ): Undo {
    const id = this.undoIdNext++;
    let undone = false;
    const wrapped: Undo = () => {
      if (undone) return;
      undone = true;
      this.undos.delete(id);
      undo();
      this.history.event(node, kind, text);
    };
    this.undos.set(id, {
      what,
      undo: () => {
        undone = true;
        undo();
      },
    });
    return wrapped;
  }
}
