/**
 * The register model the checkers share: from the history's write ops (SET/MSET, DEL, INCR), what
 * value may a key hold at a given point of the timeline?
 *
 * A write that completed (ok) before the point is in; a write invoked after it is out; a write in
 * flight at the point (invoked before, completed after, or never answered: `info`) may be either
 * way, as a linearizable register allows. Writes with an error reply (`fail`) never happened. The
 * candidates are the value after every completed write, then after each prefix of the in-flight
 * ones in invoke order: exact for one writer per key, which the register workload is.
 */
import type { Op } from '../history/op.js';

/** A write on one key, with where it sits on the timeline. */
export interface KeyWrite {
  readonly key: string;
  readonly invokeIndex: number;
  /** The ok's index, or Infinity when no reply came (info). */
  readonly okIndex: number;
  readonly acknowledged: boolean;
  readonly kind: 'set' | 'del' | 'incr';
  /** The value a set wrote. */
  readonly value: string | undefined;
  /** The ok op (the invoke op when unacknowledged). */
  readonly op: Op;
}

/** Every write per key, in invoke order; failed writes are left out. */
export function keyWrites(ops: readonly Op[], node?: string): Map<string, KeyWrite[]> {
  const invokes = new Map<number, Op>();
  const byKey = new Map<string, KeyWrite[]>();
  const add = (write: KeyWrite): void => {
    const list = byKey.get(write.key);
    if (list === undefined) byKey.set(write.key, [write]);
    else list.push(write);
  };
  const pending = new Map<number, Op>();
  for (const op of ops) {
    if (op.f !== 'write' && op.f !== 'del' && op.f !== 'incr') continue;
    if (node !== undefined && op.node !== node) continue;
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      pending.set(op.process, op);
      continue;
    }
    const invoke = invokes.get(op.process);
    pending.delete(op.process);
    if (invoke === undefined || op.type === 'fail') continue;
    const acknowledged = op.type === 'ok';
    for (const write of writesOf(
      invoke,
      acknowledged ? op.index : Number.POSITIVE_INFINITY,
      acknowledged,
      acknowledged ? op : invoke,
    ))
      add(write);
  }
  // Writes still in flight at the end of the history: never answered.
  for (const invoke of pending.values()) {
    for (const write of writesOf(invoke, Number.POSITIVE_INFINITY, false, invoke)) add(write);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.invokeIndex - b.invokeIndex);
  return byKey;
}

function writesOf(invoke: Op, okIndex: number, acknowledged: boolean, op: Op): KeyWrite[] {
  const base = { invokeIndex: invoke.index, okIndex, acknowledged, op };
  if (
    invoke.f === 'write' &&
    invoke.key === undefined &&
    typeof invoke.value === 'object' &&
    invoke.value !== null
  ) {
    return Object.entries(invoke.value).map(([key, value]) => ({
      ...base,
      key,
      kind: 'set' as const,
      value,
    }));
  }
  if (invoke.key === undefined) return [];
  const kind = invoke.f === 'del' ? 'del' : invoke.f === 'incr' ? 'incr' : 'set';
  const value = kind === 'set' && typeof invoke.value === 'string' ? invoke.value : undefined;
  return [{ ...base, key: invoke.key, kind, value }];
}

/**
 * The value a write leaves. An acknowledged INCR's reply says exactly what it left (so a counter that
 * lost increments elsewhere is still followed); an unanswered one is assumed to add one.
 */
export function applyWrite(previous: string | undefined, write: KeyWrite): string | undefined {
  if (write.kind === 'del') return undefined;
  if (write.kind === 'incr') {
    const result = write.acknowledged ? write.op.value : undefined;
    return typeof result === 'number' ? String(result) : String(Number(previous ?? '0') + 1);
  }
  return write.value;
}

/** The values `key` may hold at timeline index `point`, starting empty. */
export function candidatesAt(writes: readonly KeyWrite[], point: number): Set<string | undefined> {
  return candidatesFrom(new Set([undefined]), writes, -1, point);
}

/**
 * The values a key may hold at `point` if it held one of `starts` at `from` (a restart) and then
 * took the writes invoked after `from`.
 */
export function candidatesFrom(
  starts: ReadonlySet<string | undefined>,
  writes: readonly KeyWrite[],
  from: number,
  point: number,
): Set<string | undefined> {
  const candidates = new Set<string | undefined>();
  for (const start of starts) {
    let value = start;
    const inFlight: KeyWrite[] = [];
    for (const write of writes) {
      if (write.invokeIndex <= from) continue;
      if (write.okIndex < point) value = applyWrite(value, write);
      else if (write.invokeIndex < point) inFlight.push(write);
    }
    candidates.add(value);
    for (const write of inFlight) {
      value = applyWrite(value, write);
      candidates.add(value);
    }
  }
  return candidates;
}

/** The keys whose value in `dataset` the model does not allow, as readable lines. */
export function mismatches(
  writes: ReadonlyMap<string, readonly KeyWrite[]>,
  dataset: Readonly<Record<string, string>>,
  candidatesOf: (key: string) => ReadonlySet<string | undefined>,
): string[] {
  const lines: string[] = [];
  const keys = new Set([...writes.keys(), ...Object.keys(dataset)]);
  for (const key of [...keys].sort()) {
    const candidates = candidatesOf(key);
    const actual = dataset[key];
    if (!candidates.has(actual)) {
      const expected = [...candidates].map((value) => value ?? '(none)').join(' or ');
      lines.push(`${key}: expected ${expected}, got ${actual ?? '(none)'}`);
    }
  }
  return lines;
}
