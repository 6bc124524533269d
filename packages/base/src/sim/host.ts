/**
 * A simulated machine: a name, an address, a disk that survives crashes, and the Env its software
 * of the current incarnation runs on (turmoil's Host).
 *
 * Lifecycle: a host boots up at `addHost`. `crash()` kills the incarnation (its timers, pending
 * callbacks and disk completions never run; see life.ts), resets its connections (peers see
 * ECONNRESET), closes its listeners and applies the disk's crash semantics (sim-disk.ts). `restart()`
 * boots a new incarnation with a fresh `env`; the caller builds new software on it. The old Env stays
 * inert, so stale software cannot act after its crash.
 *
 * Two lesser deaths: `kill()` is a process death (kill -9) on a machine that stays up, so the page
 * cache survives and every write the software made is still there at the restart, synced or not;
 * `pause()`/`resume()` are SIGSTOP/SIGCONT (life.ts).
 *
 * Time: monotonic time is the world's virtual time; wall time is the world's start instant plus
 * virtual time plus this host's skew, which the harness may set or step at any moment.
 */
import { assert } from '../assert.js';
import type { Clock, Env, Random } from '../env.js';
import { Life } from './life.js';
import type { Scheduler } from './scheduler.js';
import { SimDisk, type SimDiskOptions } from './sim-disk.js';
import { createSimDiskEnv } from './sim-disk-env.js';
import type { SimNetwork } from './sim-network.js';
import { createSimClock, createSimTimers } from './sim-time.js';

export interface SimHostOptions {
  /** Added to this host's wall clock, in ms (negative = behind); default 0. */
  readonly wallSkewMs?: number;
  readonly disk?: SimDiskOptions;
}

/** What a host receives from its world; built by `SimWorld.addHost`. */
export interface SimHostInit {
  readonly name: string;
  readonly address: string;
  readonly scheduler: Scheduler;
  readonly network: SimNetwork;
  /** The host's own sub-stream of the world's Random. */
  readonly random: Random;
  readonly wallStartMs: number;
  readonly options: SimHostOptions;
}

export class SimHost {
  readonly name: string;
  readonly address: string;
  /** The host's disk; it outlives crashes. Its `...Sync` helpers let the harness plant and inspect files. */
  readonly disk: SimDisk;
  readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly network: SimNetwork;
  private readonly random: Random;
  private wallSkew: number;
  private life: Life;
  private envCurrent: Env;
  private upFlag = true;

  constructor(init: SimHostInit) {
    this.name = init.name;
    this.address = init.address;
    this.scheduler = init.scheduler;
    this.network = init.network;
    this.random = init.random;
    this.wallSkew = init.options.wallSkewMs ?? 0;
    assert(Number.isInteger(this.wallSkew), 'wallSkewMs must be an integer');
    // Forks are drawn in a fixed order: the disk's stream first, then one per incarnation.
    this.disk = new SimDisk(this.random.fork(), init.options.disk);
    const wallStartMs = init.wallStartMs;
    this.clock = createSimClock(
      this.scheduler,
      () => wallStartMs + this.scheduler.now() + this.wallSkew,
    );
    this.life = new Life(this.scheduler, this.name, 1);
    this.network.attachHost(this.name, this.address, this.life);
    this.envCurrent = this.buildEnv();
  }

  /** The Env of the current incarnation. Read it again after `restart()`. */
  get env(): Env {
    return this.envCurrent;
  }

  get up(): boolean {
    return this.upFlag;
  }

  /** 1 for the first boot, then one more per restart. */
  get incarnation(): number {
    return this.life.incarnation;
  }

  /**
   * Moves whenever the current incarnation's software runs (life.ts `callbacksRun`); starts again
   * with each incarnation, so pair it with `incarnation` (or the software object) as a cache key.
   */
  get callbacksRun(): number {
    return this.life.callbacksRun;
  }

  get wallSkewMs(): number {
    return this.wallSkew;
  }

  /** Sets the wall clock skew; a change is a step of the host's wall clock at this instant. */
  setWallSkew(skewMs: number): void {
    assert(Number.isInteger(skewMs), 'wall skew must be an integer number of ms');
    this.wallSkew = skewMs;
  }

  /** Power loss: the software stops, connections reset, unsynced disk state is lost. */
  crash(): void {
    assert(this.upFlag, `crash: host ${this.name} is already down`);
    this.upFlag = false;
    this.life.kill();
    this.network.crashHost(this.name);
    this.disk.crash();
  }

  /**
   * Process death without power loss (kill -9): the software stops and its connections reset, but
   * the disk keeps everything written, synced or not, because the OS's page cache survives.
   */
  kill(): void {
    assert(this.upFlag, `kill: host ${this.name} is already down`);
    this.upFlag = false;
    this.life.kill();
    this.network.crashHost(this.name);
  }

  get paused(): boolean {
    return this.life.paused;
  }

  /** SIGSTOP: nothing runs, sockets stay open (life.ts). */
  pause(): void {
    assert(this.upFlag, `pause: host ${this.name} is down`);
    this.life.pause();
  }

  /** SIGCONT. */
  resume(): void {
    this.life.resume();
  }

  /** Boots a new incarnation and returns its Env (also `host.env` from now on). */
  restart(): Env {
    assert(!this.upFlag, `restart: host ${this.name} is up; crash it first`);
    this.life = new Life(this.scheduler, this.name, this.life.incarnation + 1);
    this.network.restartHost(this.name, this.life);
    this.envCurrent = this.buildEnv();
    this.upFlag = true;
    return this.envCurrent;
  }

  /** `crash()` then `restart()` in the same instant. */
  bounce(): Env {
    this.crash();
    return this.restart();
  }

  private buildEnv(): Env {
    const life = this.life;
    const bootMs = this.clock.monotonicMs();
    return {
      cpuUsage: () => ({
        userSeconds: (this.clock.monotonicMs() - bootMs) / 1000,
        systemSeconds: 0,
      }),
      clock: this.clock,
      timers: createSimTimers(life),
      network: this.network.networkFor(this.name, life),
      disk: createSimDiskEnv(this.disk, life),
      random: this.random.fork(),
    };
  }
}
