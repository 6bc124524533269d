/**
 * A simulated host's Clock and Timers, both read from the world's scheduler.
 *
 * Monotonic time is virtual time itself. Wall time is the world's start instant plus virtual time plus
 * a per-host skew the harness can change at any moment (a step, as NTP or an operator would), so TTL
 * and LASTSAVE behaviour under clock skew can be shown. Timers are events of the host's current
 * incarnation, so a crash drops them (see life.ts).
 */
import { assert } from '../assert.js';
import type { Clock, TimerId, Timers } from '../env.js';
import type { Life } from './life.js';
import type { Scheduler } from './scheduler.js';

export function createSimClock(scheduler: Scheduler, wallMs: () => number): Clock {
  return {
    monotonicMs: () => scheduler.now(),
    wallMs,
  };
}

/** Timers whose callbacks are events of `life`; fractional delays round up to whole milliseconds. */
export function createSimTimers(life: Life): Timers {
  return {
    after(ms: number, fn: () => void): TimerId {
      assert(Number.isFinite(ms), 'timer delay must be finite');
      assert(ms >= 0, 'timer delay must be >= 0');
      // A dead incarnation gets an id that matches nothing: its timers never run.
      const id = life.schedule(Math.ceil(ms), 'timer', fn) ?? 0;
      return id as TimerId;
    },
    cancel(id: TimerId): void {
      life.cancel(id);
    },
  };
}
