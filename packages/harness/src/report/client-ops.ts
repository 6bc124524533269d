/**
 * Client operations for the message diagram: one lane per client (Jepsen's process), each
 * operation from its invoke to its completion. A lane with more than OPS_DRAWN_MAX operations is
 * collapsed into time buckets (a band whose shade says how busy the client was, with the count of
 * ok, fail and info in each); failed and unknown operations are still drawn one by one, up to
 * OPS_FLAGGED_MAX, because those are what a reader looks for.
 */
import type { Op, OpType } from '../history/op.js';

/** Operations drawn one by one in a lane; past this the lane becomes buckets. */
export const OPS_DRAWN_MAX = 300;
/** Failed or unknown operations drawn one by one in a collapsed lane. */
export const OPS_FLAGGED_MAX = 200;
/** Buckets of a collapsed lane over the run. */
export const OPS_BUCKETS = 240;
/** Client lanes drawn; the rest are summed into the last lane's caption. */
export const CLIENT_LANES_MAX = 8;

export interface ClientOp {
  readonly invoke: Op;
  /** undefined: no completion was recorded (the run ended first). */
  readonly done: Op | undefined;
  readonly t0: number;
  readonly t1: number;
  readonly type: OpType;
}

export interface OpBucket {
  readonly t0: number;
  readonly t1: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

export interface ClientLane {
  readonly process: number;
  readonly node: string;
  readonly count: number;
  readonly counts: Readonly<Record<'ok' | 'fail' | 'info' | 'open', number>>;
  readonly functions: readonly string[];
  /** Operations drawn one by one (all of them, or in a collapsed lane the failed/unknown ones). */
  readonly drawn: readonly ClientOp[];
  /** Set when the lane is collapsed. */
  readonly buckets: readonly OpBucket[] | undefined;
}

export interface ClientLanes {
  readonly lanes: readonly ClientLane[];
  /** Clients not drawn (past CLIENT_LANES_MAX, busiest first). */
  readonly hidden: number;
}

export function buildClientLanes(ops: readonly Op[], endMs: number): ClientLanes {
  const byProcess = new Map<number, ClientOp[]>();
  const pending = new Map<number, Op[]>();
  for (const op of ops) {
    if (op.type === 'invoke') {
      const queue = pending.get(op.process) ?? [];
      queue.push(op);
      pending.set(op.process, queue);
      continue;
    }
    const invoke = pending.get(op.process)?.shift();
    if (invoke === undefined) continue;
    const list = byProcess.get(op.process) ?? [];
    list.push({ invoke, done: op, t0: invoke.time, t1: op.time, type: op.type });
    byProcess.set(op.process, list);
  }
  for (const [process, queue] of pending) {
    const list = byProcess.get(process) ?? [];
    for (const invoke of queue) {
      list.push({ invoke, done: undefined, t0: invoke.time, t1: endMs, type: 'info' });
    }
    byProcess.set(process, list);
  }
  const all = [...byProcess.entries()]
    .map(([process, list]) => laneOf(process, list, endMs))
    .sort((a, b) => b.count - a.count || a.process - b.process);
  const lanes = all.slice(0, CLIENT_LANES_MAX).sort((a, b) => a.process - b.process);
  return { lanes, hidden: all.length - lanes.length };
}

function laneOf(process: number, list: ClientOp[], endMs: number): ClientLane {
  list.sort((a, b) => a.t0 - b.t0);
  const counts = { ok: 0, fail: 0, info: 0, open: 0 };
  for (const op of list) {
    if (op.done === undefined) counts.open++;
    else if (op.type === 'ok') counts.ok++;
    else if (op.type === 'fail') counts.fail++;
    else counts.info++;
  }
  const functions = [...new Set(list.map((op) => op.invoke.f))];
  const node = list[0]?.invoke.node ?? '';
  if (list.length <= OPS_DRAWN_MAX) {
    return {
      process,
      node,
      count: list.length,
      counts,
      functions,
      drawn: list,
      buckets: undefined,
    };
  }
  const width = Math.max(1, endMs / OPS_BUCKETS);
  const buckets = new Map<number, { ok: number; fail: number; info: number }>();
  for (const op of list) {
    const slot = Math.min(OPS_BUCKETS - 1, Math.floor(op.t0 / width));
    const bucket = buckets.get(slot) ?? { ok: 0, fail: 0, info: 0 };
    if (op.type === 'ok') bucket.ok++;
    else if (op.type === 'fail') bucket.fail++;
    else bucket.info++;
    buckets.set(slot, bucket);
  }
  return {
    process,
    node,
    count: list.length,
    counts,
    functions,
    drawn: list.filter((op) => op.type !== 'ok').slice(0, OPS_FLAGGED_MAX),
    buckets: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([slot, bucket]) => ({ t0: slot * width, t1: (slot + 1) * width, ...bucket })),
  };
}
