/**
 * The Backend: what a cluster needs from the world its nodes run in. The sim backend
 * (backends/sim/) implements it in virtual time inside this process; a process backend (real
 * replisim-server or redis-server processes behind a TCP fault proxy) and a container backend
 * implement the same interface, so one scenario runs unchanged on each.
 *
 * Two rules make that possible:
 * - Everything a scenario observes goes through Redis's own surface: RESP connections, INFO fields
 *   (node-state.ts), log lines (log-events.ts). Only the backend may look inside a node, and only to
 *   report what a real process would also show.
 * - Time passes only inside `runFor`/`runUntil`. In the simulator these run the event queue; on
 *   real processes they sleep and poll. Workloads are callback-driven on the backend's `timers`, so
 *   they run in the background of both.
 */
import type { Connection, Random, Timers } from '@replisim/base';
import type { CommandChannel } from '../client/command-channel.js';
import type { History } from '../history/history.js';
import type { NodeState } from './node-state.js';

/** One node of a cluster, as a scenario describes it. */
export interface NodeSpec {
  /** The node's name on the timeline: `master`, `replica-a`, ... */
  readonly name: string;
  /** redis-server option words, e.g. ['--save', '', '--repl-backlog-size', '65536']. */
  readonly options: readonly string[];
  /** The node this one replicates from at boot (`--replicaof`), by name. */
  readonly replicaOf?: string;
}

/** Undoes a fault. Calling it twice is harmless. */
export type Undo = () => void;

/** Link faults, in Toxiproxy's vocabulary where it has a word. */
export interface LatencyFault {
  /** Added delay, ms. */
  readonly latencyMs: number;
  /** Up to this many ms more or less, drawn per chunk. */
  readonly jitterMs?: number;
}

/** The disk faults a backend may support (the simulator supports them all). */
export interface DiskFault {
  /** The disk is full from now on: writes fail with ENOSPC. */
  readonly full?: boolean;
  /** Probability that a write fails with EIO. */
  readonly writeErrorChance?: number;
  /** Probability that an fsync fails with EIO. */
  readonly fsyncErrorChance?: number;
  /** fsync takes this many ms (a slow disk). */
  readonly fsyncMs?: number;
  /** Every disk operation takes this many ms. */
  readonly latencyMs?: number;
}

/** Why a backend cannot do a fault: it says so instead of pretending. */
export class UnsupportedFault extends Error {}

/**
 * The run was stopped from outside (a per-run time limit): a real backend throws it from its next
 * wait, so the run ends undecided with what it gathered, and cleans up as after any other end.
 */
export class RunAborted extends Error {}

export interface Backend {
  readonly kind: 'sim' | 'process' | 'container';
  /** The seeded random source of the run (workloads fork it). */
  readonly random: Random;
  /** Timers for workloads; they fire while `runFor`/`runUntil` lets time pass. */
  readonly timers: Timers;
  /** Milliseconds since the run started (virtual time in the simulator). */
  now(): number;
  /** The history the backend appends node events to. */
  attach(history: History): void;

  /** Creates a node (not started). Its address is the backend's business. */
  addNode(spec: NodeSpec): void;
  /** Boots the node; it serves once loaded (see NodeState.serving). */
  start(name: string): void;
  /**
   * The node's address as node `from` reaches it, for REPLICAOF (default: as clients reach it). The
   * sim has one address per node; the process backend has one fault-proxy port per link.
   */
  address(name: string, from?: string): { readonly host: string; readonly port: number };
  /** A client connection to the node, or undefined if refused. */
  connect(name: string, done: (connection: Connection | undefined) => void): void;
  /**
   * The backend's own client for the node, if it has one (the process backend's ioredis client);
   * without it the cluster runs the harness's RespClient over `connect`.
   */
  openChannel?(name: string, done: (channel: CommandChannel | undefined) => void): void;
  /** Every log line the node wrote so far (all incarnations), for the run folder. */
  logs(name: string): readonly string[];
  /** What INFO says about the node right now; undefined while it is down. */
  state(name: string): NodeState | undefined;

  /** Lets time pass. */
  runFor(ms: number): Promise<void>;
  /** Lets time pass until `predicate` holds or `boundMs` passed; says whether it held. */
  runUntil(predicate: () => boolean, boundMs: number): Promise<boolean>;
  /** A fingerprint of everything that happened (the simulator's trace hash). */
  traceHash(): string;
  /** Stops every node and frees every resource. */
  close(): Promise<void>;

  // --- Faults -------------------------------------------------------------------------------------
  /** Power loss: the process dies and unsynced disk writes are lost. */
  crash(name: string): void;
  /** Process death (kill -9): the page cache survives. */
  kill(name: string): void;
  /** Boots a crashed or killed node again on the same disk. */
  restart(name: string): void;
  /** SIGTERM: the node's own shutdown (it saves if it has save rules). */
  shutdown(name: string): void;
  /** SIGSTOP / SIGCONT. */
  pause(name: string): Undo;
  /** Cuts traffic from `source` to `target` (node names, or `clients`). */
  cut(source: string, target: string): Undo;
  /** Holds traffic from `source` to `target` until undone, then delivers it. */
  hold(source: string, target: string): Undo;
  /** Resets every connection between two nodes (Toxiproxy reset_peer). */
  resetPeer(a: string, b: string): void;
  /** Limits both directions between two nodes to `bytesPerSec` (Toxiproxy bandwidth). */
  bandwidth(a: string, b: string, bytesPerSec: number): Undo;
  /** Adds latency both ways between two nodes. */
  latency(a: string, b: string, fault: LatencyFault): Undo;
  /** Changes a node's disk. */
  disk(name: string, fault: DiskFault): Undo;
  /**
   * Power loss at the instant the node next renames a temp file into place, before the directory
   * fsync that makes the rename durable (simulator only: the window is microseconds on a real
   * machine). Undo disarms it if it has not fired.
   */
  crashAfterNextRename?(name: string): Undo;
  /** Steps a node's wall clock by `ms` (negative: back). */
  clockJump(name: string, ms: number): void;
}
