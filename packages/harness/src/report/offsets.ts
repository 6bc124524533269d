/**
 * The offset plot's data: each node's replication offset over time, and the window of offsets the
 * master's backlog holds. A replica whose next offset (its offset + 1) lies inside the window can
 * resume with PSYNC and get +CONTINUE; once the window's lower edge passes it, only a full resync
 * can bring it back. `psyncLost` finds those moments for every replica whose link went down.
 *
 * Points come from `offset` samples (periodic), `state` samples (the scenario's and the final
 * ones), and the offsets that PSYNC and +FULLRESYNC name.
 */
import type { NodeEvent } from '../history/op.js';
import type { Interval } from './model.js';
import type { SyncSession } from './syncs.js';

export interface OffsetPoint {
  readonly t: number;
  readonly offset: number;
}

export interface BacklogPoint {
  readonly t: number;
  readonly node: string;
  /** repl_backlog_first_byte_offset and first + histlen (one past the last byte held). */
  readonly first: number;
  readonly end: number;
}

export interface PsyncLost {
  readonly replica: string;
  readonly t: number;
  /** The offset the replica would ask for (its offset + 1). */
  readonly wanted: number;
  /** The backlog's first offset at that moment. */
  readonly first: number;
}

export interface OffsetSeries {
  /** One polyline per node and up-interval, so a restart does not draw a line through the gap. */
  readonly lines: ReadonlyMap<string, readonly (readonly OffsetPoint[])[]>;
  readonly backlog: readonly BacklogPoint[];
  readonly psyncLost: readonly PsyncLost[];
  readonly offsetMax: number;
}

export function buildOffsetSeries(
  events: readonly NodeEvent[],
  lanes: readonly string[],
  up: ReadonlyMap<string, readonly Interval[]>,
  sessions: readonly SyncSession[],
): OffsetSeries {
  const lines = new Map<string, OffsetPoint[][]>();
  let offsetMax = 0;
  for (const node of lanes) {
    const points: OffsetPoint[] = [];
    for (const event of events) {
      if (event.node !== node) continue;
      const offset = event.data?.['offset'];
      if (typeof offset !== 'number') continue;
      if (event.kind === 'offset' || event.kind === 'state' || event.kind === 'fullresync') {
        points.push({ t: event.time, offset });
      } else if (event.kind === 'psync') {
        points.push({ t: event.time, offset: offset - 1 });
      }
    }
    for (const point of points) offsetMax = Math.max(offsetMax, point.offset);
    lines.set(
      node,
      (up.get(node) ?? [])
        .map((interval) => points.filter((p) => p.t >= interval.t0 && p.t <= interval.t1))
        .filter((line) => line.length > 0),
    );
  }
  const backlog: BacklogPoint[] = [];
  for (const event of events) {
    if (event.kind !== 'offset' || event.data?.['role'] !== 'master') continue;
    const first = event.data['backlogFirst'];
    const histlen = event.data['backlogHistlen'];
    if (typeof first !== 'number' || typeof histlen !== 'number' || histlen <= 0) continue;
    backlog.push({ t: event.time, node: event.node, first, end: first + histlen });
  }
  return { lines, backlog, psyncLost: psyncLostOf(sessions, backlog), offsetMax };
}

/**
 * For each replication stream that ended, the first moment its master's backlog no longer held the
 * replica's next offset (before the replica came back, if it did).
 */
function psyncLostOf(
  sessions: readonly SyncSession[],
  backlog: readonly BacklogPoint[],
): PsyncLost[] {
  const found: PsyncLost[] = [];
  for (const session of sessions) {
    const stream = session.stream;
    if (stream?.end === undefined || stream.offset1 === undefined) continue;
    const wanted = stream.offset1 + 1;
    const back = sessions.find(
      (later) =>
        later.replica === session.replica &&
        later.tRequest > stream.t1 &&
        later.reply !== undefined,
    );
    const until = back?.reply?.tRecv ?? Number.POSITIVE_INFINITY;
    const point = backlog.find(
      (p) => p.node === session.master && p.t >= stream.t1 && p.t <= until && p.first > wanted,
    );
    if (point !== undefined) {
      found.push({ replica: session.replica, t: point.t, wanted, first: point.first });
    }
  }
  return found;
}
