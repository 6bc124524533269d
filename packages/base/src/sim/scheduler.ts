/**
 * The discrete-event scheduler: the single source of time and order in a simulated run.
 *
 * Every callback of a simulation (a timer, a network chunk, a disk completion, an accepted connection)
 * is an event in one queue ordered by (virtual time ms, sequence number). Events run one at a time and
 * to completion; virtual time jumps to each event's time, so an hour of idle cluster costs nothing.
 * The sequence number is assigned at scheduling, so events due at the same millisecond run in the
 * order they were scheduled. Nothing else in src/sim/ keeps time.
 *
 * Each event carries a short label. The scheduler folds (time, seq, label) of every event it runs into
 * a running 64-bit hash: two runs of the same seed must end with the same hash (the determinism
 * self-check), and an optional trace listener can print one line per event (TigerBeetle's
 * testing.md style) to find where two runs diverge.
 */
import { assert } from '../assert.js';
import { EventHeap } from './event-heap.js';
import { TraceHash } from './trace-hash.js';

/** Identifies a scheduled event, for `cancel`. Sequence numbers start at 1 and are never reused. */
export type EventId = number;

export interface TraceEntry {
  readonly timeMs: number;
  readonly seq: number;
  readonly label: string;
}

/** What a bounded run did: how many events ran and whether it stopped because of the limit. */
export interface RunResult {
  readonly events: number;
  readonly limitReached: boolean;
}

interface ScheduledEvent {
  readonly timeMs: number;
  readonly seq: number;
  readonly label: string;
  /** Cleared on cancel; the heap entry is then skipped when it surfaces (lazy deletion). */
  fn: (() => void) | undefined;
}

/** The default event budget of `runUntil`/`runFor`, so a livelocked run ends instead of spinning. */
export const SCHEDULER_EVENTS_MAX_DEFAULT = 10_000_000;

export class Scheduler {
  private readonly heap = new EventHeap<ScheduledEvent>();
  /** Events scheduled and not yet run or cancelled, by sequence number. */
  private readonly pendingBySeq = new Map<number, ScheduledEvent>();
  private readonly hash = new TraceHash();
  private timeMs = 0;
  private seqLast = 0;
  private eventsRunCount = 0;
  private traceListener: ((entry: TraceEntry) => void) | undefined;

  /** The current virtual time in milliseconds; starts at 0. */
  now(): number {
    return this.timeMs;
  }

  /** Schedules `fn` `delayMs` from now; a delay of 0 runs it after the events already due now. */
  schedule(delayMs: number, label: string, fn: () => void): EventId {
    assert(Number.isInteger(delayMs), 'delayMs must be an integer (round before scheduling)');
    assert(delayMs >= 0, 'delayMs must be >= 0');
    return this.scheduleAt(this.timeMs + delayMs, label, fn);
  }

  /** Schedules `fn` at virtual time `timeMs`, which must not be in the past. */
  scheduleAt(timeMs: number, label: string, fn: () => void): EventId {
    assert(Number.isSafeInteger(timeMs), 'timeMs must be a safe integer');
    assert(timeMs >= this.timeMs, 'cannot schedule an event in the past');
    this.seqLast += 1;
    const event: ScheduledEvent = { timeMs, seq: this.seqLast, label, fn };
    this.heap.push(event);
    this.pendingBySeq.set(event.seq, event);
    return event.seq;
  }

  /** Cancels a pending event; a no-op if it already ran or was cancelled. */
  cancel(id: EventId): void {
    const event = this.pendingBySeq.get(id);
    if (event === undefined) return;
    event.fn = undefined;
    this.pendingBySeq.delete(id);
  }

  /** True if `id` is scheduled and has neither run nor been cancelled. */
  isPending(id: EventId): boolean {
    return this.pendingBySeq.has(id);
  }

  /** How many events are waiting. */
  pendingCount(): number {
    return this.pendingBySeq.size;
  }

  /** The time of the next event, or undefined when idle. */
  nextTimeMs(): number | undefined {
    return this.peekLive()?.timeMs;
  }

  /** Runs the next event, advancing time to it. Returns false if there was none. */
  step(): boolean {
    const event = this.peekLive();
    if (event === undefined) return false;
    this.heap.pop();
    const fn = event.fn;
    assert(fn !== undefined, 'peekLive returns live events only');
    assert(event.timeMs >= this.timeMs, 'virtual time never goes backwards');
    this.pendingBySeq.delete(event.seq);
    event.fn = undefined;
    this.timeMs = event.timeMs;
    this.eventsRunCount += 1;
    this.hash.uint(event.timeMs);
    this.hash.uint(event.seq);
    this.hash.text(event.label);
    if (this.traceListener !== undefined) {
      this.traceListener({ timeMs: event.timeMs, seq: event.seq, label: event.label });
    }
    fn();
    return true;
  }

  /**
   * Runs every event due at or before `timeMs`, then sets the clock to `timeMs`. Stops early, with the
   * clock at the last event run, if `eventsMax` events ran first.
   */
  runUntil(timeMs: number, eventsMax: number = SCHEDULER_EVENTS_MAX_DEFAULT): RunResult {
    assert(Number.isSafeInteger(timeMs), 'runUntil timeMs must be a safe integer');
    assert(timeMs >= this.timeMs, 'runUntil cannot go back in time');
    assert(eventsMax >= 0, 'eventsMax must be >= 0');
    let events = 0;
    for (;;) {
      const nextMs = this.nextTimeMs();
      if (nextMs === undefined || nextMs > timeMs) break;
      if (events >= eventsMax) return { events, limitReached: true };
      this.step();
      events += 1;
    }
    this.timeMs = timeMs;
    return { events, limitReached: false };
  }

  /** `runUntil(now + durationMs)`. */
  runFor(durationMs: number, eventsMax: number = SCHEDULER_EVENTS_MAX_DEFAULT): RunResult {
    assert(durationMs >= 0, 'runFor durationMs must be >= 0');
    return this.runUntil(this.timeMs + durationMs, eventsMax);
  }

  /** Runs until no event is left or `eventsMax` events ran; `limitReached` tells which. */
  runUntilIdle(eventsMax: number): RunResult {
    assert(eventsMax >= 0, 'eventsMax must be >= 0');
    let events = 0;
    while (this.peekLive() !== undefined) {
      if (events >= eventsMax) return { events, limitReached: true };
      this.step();
      events += 1;
    }
    return { events, limitReached: false };
  }

  /** How many events have run since the scheduler was created. */
  eventsRun(): number {
    return this.eventsRunCount;
  }

  /** The running hash of (time, seq, label) over every event run so far, as 16 hex digits. */
  traceHash(): string {
    return this.hash.hex();
  }

  /** Installs (or, with undefined, removes) a listener called before each event runs. */
  setTraceListener(listener: ((entry: TraceEntry) => void) | undefined): void {
    this.traceListener = listener;
  }

  /** The earliest event that was not cancelled; cancelled ones on top are dropped on the way. */
  private peekLive(): ScheduledEvent | undefined {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined) return undefined;
      if (top.fn !== undefined) return top;
      this.heap.pop();
    }
  }
}
