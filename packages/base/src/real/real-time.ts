/**
 * The real Clock and Timers: the only place replisim reads the system clocks or starts a timer.
 *
 * Monotonic time comes from performance.now() (never adjusted by NTP), wall time from Date.now().
 * The monotonic reading is checked against the previous one, as TigerBeetle's TimeOS does: a clock
 * that goes backwards is a broken platform, not something the server could reason about.
 * Timers wrap setTimeout; a 0 ms timer still runs in a later macrotask, never synchronously.
 */
import { performance } from 'node:perf_hooks';
import { assert } from '../assert.js';
import type { Clock, TimerId, Timers } from '../env.js';

export function createRealClock(): Clock {
  let monotonicLastMs = 0;
  return {
    monotonicMs(): number {
      const nowMs = performance.now();
      assert(nowMs >= monotonicLastMs, 'the monotonic clock went backwards');
      monotonicLastMs = nowMs;
      return nowMs;
    },
    wallMs(): number {
      return Date.now();
    },
  };
}

export function createRealTimers(): Timers {
  const pending = new Map<number, NodeJS.Timeout>();
  let idLast = 0;
  return {
    after(ms: number, fn: () => void): TimerId {
      assert(Number.isFinite(ms), 'timer delay must be finite');
      assert(ms >= 0, 'timer delay must be >= 0');
      idLast += 1;
      const id = idLast;
      const handle = setTimeout(() => {
        pending.delete(id);
        fn();
      }, ms);
      pending.set(id, handle);
      return id as TimerId;
    },
    cancel(id: TimerId): void {
      const handle = pending.get(id);
      if (handle === undefined) return;
      clearTimeout(handle);
      pending.delete(id);
    },
  };
}
