/**
 * A run's history: the append-only record of client operations and node events (op.ts), with the
 * one index counter they share. Backends, clients and faults append; checkers and reports read.
 */
import { assert } from '@replisim/base';
import type { EventData, NodeEvent, NodeEventKind, Op, OpFunction, OpType, OpValue } from './op.js';

export interface OpInit {
  readonly type: OpType;
  readonly f: OpFunction;
  readonly process: number;
  readonly node: string;
  readonly key?: string | undefined;
  readonly value?: OpValue | undefined;
  readonly command?: readonly string[] | undefined;
  readonly error?: string | undefined;
}

/** A limit on one history, so a runaway workload ends with a clear assertion, not an OOM. */
export const HISTORY_RECORDS_MAX = 5_000_000;

export class History {
  readonly ops: Op[] = [];
  readonly events: NodeEvent[] = [];
  private readonly now: () => number;
  private indexNext = 0;
  private readonly listeners: ((record: Op | NodeEvent) => void)[] = [];

  /** `now` gives milliseconds since the run started (virtual time in the simulator). */
  constructor(now: () => number) {
    this.now = now;
  }

  /** The index the next record will get. */
  get nextIndex(): number {
    return this.indexNext;
  }

  /** Called with every record as it is appended (the terminal timeline listens). */
  listen(listener: (record: Op | NodeEvent) => void): void {
    this.listeners.push(listener);
  }

  op(init: OpInit): Op {
    const op: Op = {
      index: this.takeIndex(),
      type: init.type,
      f: init.f,
      process: init.process,
      node: init.node,
      time: this.now(),
      ...(init.key === undefined ? {} : { key: init.key }),
      ...(init.value === undefined ? {} : { value: init.value }),
      ...(init.command === undefined ? {} : { command: init.command }),
      ...(init.error === undefined ? {} : { error: init.error }),
    };
    this.ops.push(op);
    for (const listener of this.listeners) listener(op);
    return op;
  }

  event(node: string, kind: NodeEventKind, text: string, data?: EventData): NodeEvent {
    const event: NodeEvent = {
      index: this.takeIndex(),
      time: this.now(),
      node,
      kind,
      text,
      ...(data === undefined ? {} : { data }),
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  private takeIndex(): number {
    assert(this.indexNext < HISTORY_RECORDS_MAX, `history over ${HISTORY_RECORDS_MAX} records`);
    return this.indexNext++;
  }
}
