/**
 * One incarnation of a simulated host: the boot-to-crash span in which its software runs.
 *
 * Why it exists: a crash must silence a host completely. Every callback into host code (a timer, a
 * data chunk, a disk completion, an accepted connection) is scheduled through the Life of the host's
 * current incarnation, which remembers the pending events. `kill()` cancels all of them at once, so
 * nothing the old software asked for ever runs after the crash, and calls it makes on its stale Env
 * are ignored. A restart creates a new Life (and a new Env) for the new software.
 *
 * `pause()` is SIGSTOP: the incarnation stays alive (its sockets stay open, peers keep sending and
 * the bytes wait in the kernel), but none of its callbacks runs. Events that come due while paused
 * are kept in the order they came due and run, in that order, right after `resume()` (SIGCONT), as
 * overdue timers and buffered reads do in a process that was stopped. A kept event can still be
 * cancelled by its id, before or after the resume, until it has run (a cancelled timer of a stopped
 * process never fires).
 */
import type { EventId, Scheduler } from './scheduler.js';

export class Life {
  readonly hostName: string;
  /** 1 for the first boot, then one more per restart. */
  readonly incarnation: number;
  private readonly scheduler: Scheduler;
  /** Events this incarnation scheduled that have not run yet; the iteration order is unused. */
  private readonly pending = new Set<EventId>();
  private aliveFlag = true;
  private pausedFlag = false;
  /** Callbacks that came due while paused, in the order they came due, with their event ids. */
  private readonly deferred: { readonly id: EventId; readonly fn: () => void }[] = [];
  /** Ids of deferred callbacks that have not run and were not cancelled. */
  private readonly deferredIds = new Set<EventId>();
  /** Moves once before and once after every callback run (see `callbacksRun`). */
  private callbacksRunCount = 0;

  constructor(scheduler: Scheduler, hostName: string, incarnation: number) {
    this.scheduler = scheduler;
    this.hostName = hostName;
    this.incarnation = incarnation;
  }

  get alive(): boolean {
    return this.aliveFlag;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  now(): number {
    return this.scheduler.now();
  }

  /**
   * A counter that moves before and after every callback this incarnation runs. Every callback
   * into the host's code goes through here, so while it stands still the software has not run and
   * its state is what it was: an observer can cache what it reads from the software (the harness
   * reads every node's state after every simulated event) and read again only when it moved.
   */
  get callbacksRun(): number {
    return this.callbacksRunCount;
  }

  /**
   * Schedules a callback into this incarnation's code, labelled `<host>:<label>` in the trace.
   * Returns undefined (and schedules nothing) once the incarnation is dead.
   */
  schedule(delayMs: number, label: string, fn: () => void): EventId | undefined {
    if (!this.aliveFlag) return undefined;
    const id = this.scheduler.schedule(delayMs, `${this.hostName}:${label}`, () => {
      this.pending.delete(id);
      if (this.pausedFlag) {
        this.deferred.push({ id, fn });
        this.deferredIds.add(id);
        return;
      }
      // Before and after: a read made inside the callback is not reused once it has finished.
      this.callbacksRunCount += 1;
      fn();
      this.callbacksRunCount += 1;
    });
    this.pending.add(id);
    return id;
  }

  /**
   * Cancels an event this incarnation scheduled, also one that came due while paused and waits for
   * (or was rescheduled by) `resume`; ignores ids it does not own and events that already ran.
   */
  cancel(id: EventId): void {
    if (this.pending.delete(id)) {
      this.scheduler.cancel(id);
      return;
    }
    this.deferredIds.delete(id);
  }

  /** SIGSTOP: callbacks that come due wait until `resume`. */
  pause(): void {
    this.pausedFlag = true;
  }

  /** SIGCONT: what came due while paused runs now, in order, then the incarnation runs normally. */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    for (const { id, fn } of this.deferred.splice(0)) {
      this.schedule(0, 'resume', () => {
        // Cancelled since it came due (cancel(id) removed it): it does not run.
        if (this.deferredIds.delete(id)) fn();
      });
    }
  }

  /** Ends the incarnation: cancels everything it scheduled and refuses new work. */
  kill(): void {
    this.aliveFlag = false;
    this.pausedFlag = false;
    this.deferred.length = 0;
    this.deferredIds.clear();
    for (const id of this.pending) this.scheduler.cancel(id);
    this.pending.clear();
  }
}
