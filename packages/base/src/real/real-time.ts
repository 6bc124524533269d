/**
 * The real Clock and Timers: the only place replisim reads the system clocks or starts a timer.
 *
 * Monotonic time comes from performance.now() (never adjusted by NTP), wall time from Date.now().
 * The monotonic reading is checked against the previous one, as TigerBeetle's TimeOS does: a clock
 * that goes backwards is a broken platform, not something the server could reason about.
 * Timers wrap setTimeout; a 0 ms timer uses setImmediate instead, which runs after pending I/O
 * without setTimeout's 1 ms floor: long jobs that yield between slices (a BGSAVE, a load) use it, so
 * they neither starve clients nor idle a millisecond per slice. It never runs synchronously.
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
  const pending = new Map<number, { readonly cancel: () => void }>();
  let idLast = 0;
  return {
    after(ms: number, fn: () => void): TimerId {
      assert(Number.isFinite(ms), 'timer delay must be finite');
      assert(ms >= 0, 'timer delay must be >= 0');
      idLast += 1;
      const id = idLast;
      const run = (): void => {
        pending.delete(id);
        fn();
      };
      if (ms === 0) {
        const handle = setImmediate(run);
        pending.set(id, { cancel: () => clearImmediate(handle) });
      } else {
        const handle = setTimeout(run, ms);
        pending.set(id, { cancel: () => clearTimeout(handle) });
      }
      return id as TimerId;
    },
    cancel(id: TimerId): void {
      const handle = pending.get(id);
      if (handle === undefined) return;
      handle.cancel();
      pending.delete(id);
    },
  };
}
