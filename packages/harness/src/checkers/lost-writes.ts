/**
 * The lost-write ledger: every acknowledged write that is gone at the end of the run, with the
 * event that destroyed it and whether the configuration permitted that loss.
 *
 * "Gone" is judged on the last complete read-all of the final master (the node every final sample
 * follows; else the last node read). For each key, the writes are replayed in order and matched
 * against the value read: the acknowledged writes after the last one the value can be explained by
 * are lost (for a counter, the last INCRs beyond its value).
 *
 * The destroyer is the first event after the write's acknowledgement that can take writes away:
 * the power loss, kill or shutdown of the node that acknowledged it (before a snapshot holding it
 * was durable), a failover to another node, or a full resync of that node from a master that lacked
 * it. Losses of asynchronous replication and snapshotting are permitted; a write that a later
 * `WAIT n` on the same connection vouched for (it returned k >= 1) is lost legitimately only if at
 * least k replicas themselves lost data afterwards (crash, kill, restart, full resync); otherwise
 * the loss is a violation.
 */
import type { NodeEvent, Op } from '../history/op.js';
import type { Finding } from './finding.js';
import { type KeyWrite, keyWrites } from './register-model.js';
import { seconds } from './snapshot-recovery.js';

export const LOST_WRITES = 'lost-writes';

const DESTROYERS = new Set(['crash', 'kill', 'shutdown', 'failover', 'fullresync', 'restart']);
const REPLICA_LOSSES = new Set(['crash', 'kill', 'restart', 'fullresync']);

export interface LostWrite {
  readonly write: KeyWrite;
  readonly destroyer: NodeEvent | undefined;
  readonly permitted: boolean;
  readonly why: string;
}

export function checkLostWrites(ops: readonly Op[], events: readonly NodeEvent[]): Finding[] {
  const read = finalRead(ops, events);
  if (read === undefined) return [];
  const dataset = (
    typeof read.value === 'object' && read.value !== null ? read.value : {}
  ) as Record<string, string>;
  const lost: LostWrite[] = [];
  const writesByKey = keyWrites(ops);
  for (const [key, writes] of writesByKey) {
    for (const write of lostOf(writes, dataset[key])) lost.push(attribute(write, ops, events));
  }
  lost.sort((a, b) => a.write.okIndex - b.write.okIndex);
  const acknowledged = [...writesByKey.values()]
    .flat()
    .filter((write) => write.acknowledged).length;
  if (lost.length === 0) {
    return [
      {
        checker: LOST_WRITES,
        severity: 'held',
        phase: 'safety',
        text: `no acknowledged write was lost (${acknowledged} checked against ${read.node}'s final dataset)`,
        ops: [read.index],
      },
    ];
  }
  return lost.map((entry) => ({
    checker: LOST_WRITES,
    severity: entry.permitted ? 'permitted' : 'violation',
    phase: 'safety',
    text: `${describeWrite(entry.write)} was lost ${entry.why}`,
    ops: [entry.write.op.index],
    ...(entry.destroyer === undefined ? {} : { events: [entry.destroyer.index] }),
  }));
}

/** The last complete read-all of the final master, or of any node. */
function finalRead(ops: readonly Op[], events: readonly NodeEvent[]): Op | undefined {
  const finals = events.filter((event) => event.kind === 'state' && event.data?.['final'] === true);
  const master = finals.find((event) => event.data?.['role'] === 'master')?.node;
  const reads = ops.filter((op) => op.f === 'read-all' && op.type === 'ok');
  return reads.filter((op) => op.node === master).at(-1) ?? reads.at(-1);
}

/**
 * The acknowledged writes to one key that the final value cannot include: those after the last
 * write that explains the value (a SET of that value, an INCR whose reply was that value, a DEL for
 * a missing key). A SET never answered may explain it too: it happened after all.
 */
function lostOf(writes: readonly KeyWrite[], actual: string | undefined): KeyWrite[] {
  const position = (write: KeyWrite): number =>
    write.acknowledged ? write.okIndex : write.invokeIndex;
  const ordered = [...writes].sort((a, b) => position(a) - position(b));
  let explainer = -1;
  ordered.forEach((write, index) => {
    const result =
      write.kind === 'del'
        ? undefined
        : write.kind === 'incr'
          ? write.acknowledged && typeof write.op.value === 'number'
            ? String(write.op.value)
            : null
          : write.value;
    if (result !== null && result === actual && (write.acknowledged || write.kind === 'set'))
      explainer = index;
  });
  if (explainer < 0 && actual !== undefined) {
    // Nothing explains it: a counter below its acknowledged increments (an unanswered INCR may
    // account for the value), or a value no write wrote (every acknowledged write is then lost).
    const numeric = Number(actual);
    return ordered.filter(
      (write) =>
        write.acknowledged &&
        write.kind !== 'del' &&
        (write.kind !== 'incr' || !Number.isFinite(numeric) || Number(write.op.value) > numeric),
    );
  }
  return ordered.slice(explainer + 1).filter((write) => write.acknowledged && write.kind !== 'del');
}

/**
 * Why an acknowledged write is gone, by the ledger's rule: its destroyer, and whether the loss is
 * permitted. The list-append checker judges lost appends with the same rule.
 */
export function attributeLoss(
  write: KeyWrite,
  ops: readonly Op[],
  events: readonly NodeEvent[],
): LostWrite {
  return attribute(write, ops, events);
}

function attribute(write: KeyWrite, ops: readonly Op[], events: readonly NodeEvent[]): LostWrite {
  const node = write.op.node;
  const destroyer = events.find(
    (event) =>
      event.index > write.okIndex &&
      DESTROYERS.has(event.kind) &&
      (event.node === node || event.kind === 'failover'),
  );
  const promotion = destroyer === undefined ? undefined : promotedInstead(destroyer, events);
  if (promotion !== undefined) return attributeTo(write, promotion, ops, events);
  const wiped = destroyer === undefined ? undefined : restartedEmpty(destroyer, events);
  if (wiped !== undefined) return attributeTo(write, wiped, ops, events);
  return attributeTo(write, destroyer, ops, events);
}

/**
 * A dead master replaced by a promotion before it came back: the write survived the death itself
 * (it was in the old master's memory or page cache) and was lost when the cluster moved on to a
 * replica that never received it.
 */
function promotedInstead(death: NodeEvent, events: readonly NodeEvent[]): NodeEvent | undefined {
  if (death.kind !== 'crash' && death.kind !== 'kill' && death.kind !== 'shutdown')
    return undefined;
  const restart = events.find(
    (e) => e.index > death.index && e.node === death.node && e.kind === 'restart',
  );
  return events.find(
    (e) =>
      e.kind === 'failover' &&
      e.index > death.index &&
      (restart === undefined || e.index < restart.index),
  );
}

/**
 * A crash, kill or shutdown followed by a restart that loaded nothing (persistence off): the restart
 * is what wiped the node, and its replicas with it.
 */
function restartedEmpty(death: NodeEvent, events: readonly NodeEvent[]): NodeEvent | undefined {
  if (death.kind !== 'crash' && death.kind !== 'kill' && death.kind !== 'shutdown')
    return undefined;
  const restart = events.find(
    (e) => e.index > death.index && e.node === death.node && e.kind === 'restart',
  );
  if (restart === undefined) return undefined;
  const nextDeath = events.find(
    (e) =>
      e.index > restart.index &&
      e.node === death.node &&
      (e.kind === 'crash' || e.kind === 'kill' || e.kind === 'shutdown'),
  );
  const loaded = events.some(
    (e) =>
      e.index > restart.index &&
      (nextDeath === undefined || e.index < nextDeath.index) &&
      e.node === death.node &&
      e.kind === 'load',
  );
  return loaded ? undefined : restart;
}

function attributeTo(
  write: KeyWrite,
  destroyer: NodeEvent | undefined,
  ops: readonly Op[],
  events: readonly NodeEvent[],
): LostWrite {
  const node = write.op.node;
  const vouching = ops.find(
    (op) =>
      op.f === 'wait' &&
      op.type === 'ok' &&
      op.process === write.op.process &&
      op.index > write.okIndex &&
      (destroyer === undefined || op.index < destroyer.index) &&
      typeof op.value === 'number' &&
      op.value >= 1,
  );
  const how =
    destroyer === undefined
      ? 'with no destroying event recorded'
      : `to ${describeEvent(destroyer)}`;
  if (vouching === undefined) {
    return {
      write,
      destroyer,
      permitted: destroyer !== undefined,
      why: `${how}${destroyer === undefined ? '' : ': permitted (asynchronous replication and snapshots promise no more)'}`,
    };
  }
  const vouched = Number(vouching.value);
  const lostReplicas = new Set(
    events
      .filter(
        (event) =>
          event.index > vouching.index &&
          REPLICA_LOSSES.has(event.kind) &&
          event.node !== node &&
          event.node !== 'cluster',
      )
      .map((event) => event.node),
  );
  const permitted = lostReplicas.size >= vouched;
  return {
    write,
    destroyer,
    permitted,
    why: `${how}, although WAIT returned ${vouched} at ${seconds(vouching.time)}; ${lostReplicas.size} replica(s) lost data afterwards (${[...lostReplicas].join(', ') || 'none'}): ${permitted ? 'permitted' : 'NOT permitted'}`,
  };
}

function describeWrite(write: KeyWrite): string {
  const what =
    write.kind === 'set'
      ? `SET ${write.key} ${write.value ?? ''}`
      : write.kind === 'incr'
        ? `INCR ${write.key}`
        : `DEL ${write.key}`;
  return `${what} (acknowledged by ${write.op.node} at ${seconds(write.op.time)})`;
}

function describeEvent(event: NodeEvent): string {
  switch (event.kind) {
    case 'crash':
      return `the power loss of ${event.node} at ${seconds(event.time)}`;
    case 'kill':
      return `the kill of ${event.node} at ${seconds(event.time)}`;
    case 'shutdown':
      return `the shutdown of ${event.node} at ${seconds(event.time)}`;
    case 'failover':
      return `the promotion of ${event.node} at ${seconds(event.time)}, which never received it`;
    case 'fullresync':
      return `the full resync of ${event.node} at ${seconds(event.time)} from a master that lacked it`;
    case 'restart':
      return `the restart of ${event.node} at ${seconds(event.time)} with nothing to load (no snapshot: persistence off or none taken); its replicas then synced the empty dataset`;
    default:
      return `${event.kind} on ${event.node} at ${seconds(event.time)}`;
  }
}
