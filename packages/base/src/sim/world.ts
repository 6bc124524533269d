/**
 * The simulated world: the top object of a deterministic run (turmoil's World and Sim in one).
 *
 * A world is created from a seed and owns everything that makes a run reproducible: the scheduler
 * (the only clock), the root Random (each host and the network get their own fork of it, drawn in
 * creation order), the network fabric and the hosts. Its methods are the harness's controls: add
 * hosts, run virtual time, and inject faults by turmoil's names. A run is a pure function of the seed
 * and the sequence of calls made on the world, which `traceHash()` summarises.
 *
 * Hosts are named by their name or address (or passed as the SimHost itself).
 */
import { assert } from '../assert.js';
import type { Random } from '../env.js';
import { createRandom, type Seed } from '../random/create-random.js';
import { SimHost, type SimHostOptions } from './host.js';
import { combineFaults, type FaultHandle, type LatencyRange } from './links.js';
import {
  type RunResult,
  SCHEDULER_EVENTS_MAX_DEFAULT,
  Scheduler,
  type TraceEntry,
} from './scheduler.js';
import { SimNetwork, type SimNetworkOptions } from './sim-network.js';

export interface SimWorldOptions {
  readonly seed: Seed;
  readonly network?: Partial<SimNetworkOptions>;
  /** The wall clock at virtual time 0, in ms since the epoch; default 2024-01-01T00:00:00Z. */
  readonly wallStartMs?: number;
}

export type HostRef = string | SimHost;

/** 2024-01-01T00:00:00Z: a fixed, recognisable start so runs print the same dates. */
export const WALL_START_MS_DEFAULT = 1_704_067_200_000;

export class SimWorld {
  readonly seed: Seed;
  readonly scheduler: Scheduler;
  /** The root stream; hosts and the network use forks of it. */
  readonly random: Random;
  readonly network: SimNetwork;
  readonly wallStartMs: number;
  private readonly hostsByName = new Map<string, SimHost>();
  private readonly hostsByAddress = new Map<string, SimHost>();

  constructor(options: SimWorldOptions) {
    this.seed = options.seed;
    this.scheduler = new Scheduler();
    this.random = createRandom(options.seed);
    this.network = new SimNetwork(this.scheduler, this.random.fork(), options.network);
    this.wallStartMs = options.wallStartMs ?? WALL_START_MS_DEFAULT;
    assert(Number.isSafeInteger(this.wallStartMs), 'wallStartMs must be a safe integer');
  }

  // --- Hosts --------------------------------------------------------------------------------------

  /** Boots a new host; its software starts from `host.env`. */
  addHost(name: string, address: string, options: SimHostOptions = {}): SimHost {
    assert(!this.hostsByName.has(name), `duplicate host name ${name}`);
    assert(!this.hostsByAddress.has(address), `duplicate host address ${address}`);
    const host = new SimHost({
      name,
      address,
      scheduler: this.scheduler,
      network: this.network,
      random: this.random.fork(),
      wallStartMs: this.wallStartMs,
      options,
    });
    this.hostsByName.set(name, host);
    this.hostsByAddress.set(address, host);
    return host;
  }

  /** The host with this name or address; asserts it exists. */
  host(ref: HostRef): SimHost {
    if (typeof ref !== 'string') return ref;
    const host = this.hostsByName.get(ref) ?? this.hostsByAddress.get(ref);
    assert(host !== undefined, `unknown host ${ref}`);
    return host;
  }

  /** All hosts, in the order they were added. */
  hosts(): SimHost[] {
    return [...this.hostsByName.values()];
  }

  crash(ref: HostRef): void {
    this.host(ref).crash();
  }

  restart(ref: HostRef): void {
    this.host(ref).restart();
  }

  bounce(ref: HostRef): void {
    this.host(ref).bounce();
  }

  /** Process death without power loss: the disk keeps unsynced writes (host.ts). */
  kill(ref: HostRef): void {
    this.host(ref).kill();
  }

  /** SIGSTOP / SIGCONT (life.ts). */
  pause(ref: HostRef): void {
    this.host(ref).pause();
  }

  resume(ref: HostRef): void {
    this.host(ref).resume();
  }

  // --- Time ---------------------------------------------------------------------------------------

  now(): number {
    return this.scheduler.now();
  }

  step(): boolean {
    return this.scheduler.step();
  }

  runUntil(timeMs: number, eventsMax: number = SCHEDULER_EVENTS_MAX_DEFAULT): RunResult {
    return this.scheduler.runUntil(timeMs, eventsMax);
  }

  runFor(durationMs: number, eventsMax: number = SCHEDULER_EVENTS_MAX_DEFAULT): RunResult {
    return this.scheduler.runFor(durationMs, eventsMax);
  }

  runUntilIdle(eventsMax: number): RunResult {
    return this.scheduler.runUntilIdle(eventsMax);
  }

  /**
   * Runs event by event until `predicate()` holds, for at most `durationMsMax` simulated ms; returns
   * whether it held. Nodes keep cron timers, so a world with a node is never idle: tests and
   * scenarios wait for what they expect instead, with a bound so an impossible wait ends.
   */
  runUntilTrue(predicate: () => boolean, durationMsMax: number): boolean {
    const deadline = this.now() + durationMsMax;
    while (!predicate()) {
      const next = this.scheduler.nextTimeMs();
      if (next === undefined || next > deadline) {
        this.runUntil(deadline);
        return predicate();
      }
      this.step();
    }
    return true;
  }

  traceHash(): string {
    return this.scheduler.traceHash();
  }

  setTraceListener(listener: ((entry: TraceEntry) => void) | undefined): void {
    this.scheduler.setTraceListener(listener);
  }

  // --- Network faults (turmoil's names) ---------------------------------------------------------------

  /** Cuts both directions between `a` and `b`; bytes are held until repair. */
  partition(a: HostRef, b: HostRef): FaultHandle {
    return combineFaults([this.partitionOneWay(a, b), this.partitionOneWay(b, a)]);
  }

  /** Cuts `source` -> `target` only. */
  partitionOneWay(source: HostRef, target: HostRef): FaultHandle {
    return this.network.partitionOneWay(this.host(source).name, this.host(target).name);
  }

  /** Lifts every partition between `a` and `b`, both directions. */
  repair(a: HostRef, b: HostRef): void {
    const nameA = this.host(a).name;
    const nameB = this.host(b).name;
    this.network.links.clear(nameA, nameB, 'partition');
    this.network.links.clear(nameB, nameA, 'partition');
  }

  /** Holds traffic both ways between `a` and `b` until `release`. */
  hold(a: HostRef, b: HostRef): FaultHandle {
    return combineFaults([this.holdOneWay(a, b), this.holdOneWay(b, a)]);
  }

  holdOneWay(source: HostRef, target: HostRef): FaultHandle {
    return this.network.holdOneWay(this.host(source).name, this.host(target).name);
  }

  /** Lifts every hold between `a` and `b`, both directions. */
  release(a: HostRef, b: HostRef): void {
    const nameA = this.host(a).name;
    const nameB = this.host(b).name;
    this.network.links.clear(nameA, nameB, 'hold');
    this.network.links.clear(nameB, nameA, 'hold');
  }

  /** Kills every connection between `a` and `b` (both sides see ECONNRESET); returns how many. */
  resetConnections(a: HostRef, b: HostRef): number {
    return this.network.resetConnections(this.host(a).name, this.host(b).name);
  }

  /** Limits both directions between `a` and `b` to `bytesPerSec`; undefined lifts the limit. */
  setBandwidth(a: HostRef, b: HostRef, bytesPerSec: number | undefined): void {
    const nameA = this.host(a).name;
    const nameB = this.host(b).name;
    this.network.setBandwidth(nameA, nameB, bytesPerSec);
    this.network.setBandwidth(nameB, nameA, bytesPerSec);
  }

  /** Sets the latency range both ways between `a` and `b`; undefined restores the default. */
  setLatency(a: HostRef, b: HostRef, latency: LatencyRange | undefined): void {
    const nameA = this.host(a).name;
    const nameB = this.host(b).name;
    this.network.setLatency(nameA, nameB, latency);
    this.network.setLatency(nameB, nameA, latency);
  }
}

/** `new SimWorld(options)`, for call sites that prefer a factory. */
export function createSimWorld(options: SimWorldOptions): SimWorld {
  return new SimWorld(options);
}
