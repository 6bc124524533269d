/**
 * The scheduler is the root of determinism: events must run in (time, sequence) order, ties in
 * scheduling order, cancelled events never, and the trace hash must depend on exactly what ran.
 * Method: small hand-built schedules, plus a randomised comparison of the heap against a sort.
 */
import { describe, expect, it } from 'vitest';
import { AssertionError } from '../assert.js';
import { createRandom } from '../random/create-random.js';
import { Scheduler } from './scheduler.js';

describe('Scheduler', () => {
  it('runs events by time, then by scheduling order for ties', () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    scheduler.schedule(5, 'c', () => order.push('c@5'));
    scheduler.schedule(1, 'a', () => order.push('a@1'));
    scheduler.schedule(5, 'd', () => order.push('d@5'));
    scheduler.schedule(1, 'b', () => order.push('b@1'));
    scheduler.schedule(0, 'z', () => order.push('z@0'));
    expect(scheduler.runUntilIdle(100)).toEqual({ events: 5, limitReached: false });
    expect(order).toEqual(['z@0', 'a@1', 'b@1', 'c@5', 'd@5']);
    expect(scheduler.now()).toBe(5);
  });

  it('runs a 0 ms event scheduled by an event after the events already due at that time', () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    scheduler.schedule(1, 'first', () => {
      order.push('first');
      scheduler.schedule(0, 'nested', () => order.push('nested'));
    });
    scheduler.schedule(1, 'second', () => order.push('second'));
    scheduler.runUntilIdle(100);
    expect(order).toEqual(['first', 'second', 'nested']);
  });

  it('never runs a cancelled event, and cancel after run is a no-op', () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    const a = scheduler.schedule(1, 'a', () => order.push('a'));
    const b = scheduler.schedule(2, 'b', () => order.push('b'));
    scheduler.cancel(b);
    expect(scheduler.isPending(b)).toBe(false);
    expect(scheduler.pendingCount()).toBe(1);
    scheduler.runUntilIdle(10);
    scheduler.cancel(a);
    expect(order).toEqual(['a']);
    expect(scheduler.pendingCount()).toBe(0);
  });

  it('runUntil runs events up to and including the time, then sets the clock', () => {
    const scheduler = new Scheduler();
    const ran: number[] = [];
    for (const time of [3, 10, 11]) scheduler.scheduleAt(time, `t${time}`, () => ran.push(time));
    expect(scheduler.runUntil(10)).toEqual({ events: 2, limitReached: false });
    expect(ran).toEqual([3, 10]);
    expect(scheduler.now()).toBe(10);
    scheduler.runFor(5);
    expect(scheduler.now()).toBe(15);
    expect(ran).toEqual([3, 10, 11]);
  });

  it('stops at the event limit and says so', () => {
    const scheduler = new Scheduler();
    const tick = (): void => {
      scheduler.schedule(1, 'tick', tick);
    };
    tick();
    expect(scheduler.runUntilIdle(50)).toEqual({ events: 50, limitReached: true });
    expect(scheduler.now()).toBe(50);
    expect(scheduler.runUntil(1000, 10)).toEqual({ events: 10, limitReached: true });
    expect(scheduler.now()).toBe(60);
  });

  it('step reports whether it ran something', () => {
    const scheduler = new Scheduler();
    expect(scheduler.step()).toBe(false);
    scheduler.schedule(2, 'x', () => {});
    expect(scheduler.step()).toBe(true);
    expect(scheduler.now()).toBe(2);
    expect(scheduler.eventsRun()).toBe(1);
  });

  it('refuses to schedule into the past or with a fractional delay', () => {
    const scheduler = new Scheduler();
    scheduler.runUntil(10);
    expect(() => scheduler.scheduleAt(5, 'past', () => {})).toThrow(AssertionError);
    expect(() => scheduler.schedule(0.5, 'frac', () => {})).toThrow(AssertionError);
  });

  it('orders thousands of random events exactly like a sort by (time, seq)', () => {
    const random = createRandom(1);
    const scheduler = new Scheduler();
    const expected: { timeMs: number; seq: number }[] = [];
    const ran: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const timeMs = random.int(200);
      const seq = scheduler.scheduleAt(timeMs, 'e', () => ran.push(seq));
      if (random.chance(0.1)) scheduler.cancel(seq);
      else expected.push({ timeMs, seq });
    }
    expected.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
    scheduler.runUntilIdle(10_000);
    expect(ran).toEqual(expected.map((event) => event.seq));
  });

  it('hashes (time, seq, label): equal runs agree, any difference shows', () => {
    const run = (labels: string[], times: number[]): string => {
      const scheduler = new Scheduler();
      labels.forEach((label, index) => {
        scheduler.schedule(times[index] ?? 0, label, () => {});
      });
      scheduler.runUntilIdle(100);
      return scheduler.traceHash();
    };
    const base = run(['a', 'b', 'c'], [1, 2, 3]);
    expect(run(['a', 'b', 'c'], [1, 2, 3])).toBe(base);
    expect(run(['a', 'b', 'd'], [1, 2, 3])).not.toBe(base);
    expect(run(['a', 'b', 'c'], [1, 2, 4])).not.toBe(base);
    expect(run(['ab', '', 'c'], [1, 2, 3])).not.toBe(run(['a', 'b', 'c'], [1, 2, 3]));
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });

  it('calls the trace listener once per event, before it runs', () => {
    const scheduler = new Scheduler();
    const lines: string[] = [];
    scheduler.setTraceListener((entry) =>
      lines.push(`${entry.timeMs} ${entry.seq} ${entry.label}`),
    );
    scheduler.schedule(4, 'disk write', () => lines.push('ran'));
    scheduler.runUntilIdle(10);
    expect(lines).toEqual(['4 1 disk write', 'ran']);
  });
});
