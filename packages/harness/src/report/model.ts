/**
 * The report's model of a run: what each node lane shows, worked out from the history alone (ops,
 * node events, the summary), so a run of real servers draws the same way as a simulated one.
 *
 * - lanes: the nodes, in the order they booted;
 * - up: when each node's process ran (boot or restart until crash, kill or exit);
 * - roles: role and replid over time, from the offset and state samples (history/op.ts);
 * - lineage: each replid, who created it and when, and what it continued (a promotion keeps the
 *   old replid as replid2, so the new history continues the old one up to the promotion offset);
 * - bgsaves: each BGSAVE from start to end, with its snapshot point;
 * - faults: lasting faults as intervals on the lanes they touch, instant ones as marks;
 * - marks: crashes, kills, restarts, shutdowns, failovers, loads.
 */
import type { NodeEvent } from '../history/op.js';

export interface Interval {
  readonly t0: number;
  readonly t1: number;
}

export interface RoleSegment extends Interval {
  readonly node: string;
  readonly role: 'master' | 'replica';
  readonly replid: string;
}

export interface Bgsave extends Interval {
  readonly node: string;
  /** The snapshot point (replication offset at the start), when recorded. */
  readonly offset: number | undefined;
  readonly by: string;
  /** false: failed; undefined: did not end (the node died, or the run ended). */
  readonly ok: boolean | undefined;
  readonly start: NodeEvent;
}

export interface FaultSpan extends Interval {
  readonly nodes: readonly string[];
  readonly label: string;
  readonly kind: string;
  readonly event: NodeEvent;
  /** When it was healed; undefined = still in force at the end of the run. */
  readonly healed: NodeEvent | undefined;
}

/** A replica's link to its master, from the offset samples: up, down, or syncing. */
export interface LinkSegment extends Interval {
  readonly node: string;
  readonly state: string;
}

export interface LineageEntry {
  readonly replid: string;
  readonly node: string;
  readonly time: number;
  /** The replid this one continues (a promoted replica's old master replid). */
  readonly continues: string | undefined;
}

/** Events drawn as marks on a lane. */
const MARK_KINDS = new Set(['crash', 'kill', 'restart', 'shutdown', 'failover', 'load', 'save']);
/** Faults with no duration. */
const INSTANT_FAULTS = new Set(['reset_peer', 'clock-jump', 'fork-pause']);

export interface RunModel {
  readonly lanes: readonly string[];
  readonly endMs: number;
  readonly up: ReadonlyMap<string, readonly Interval[]>;
  readonly roles: readonly RoleSegment[];
  readonly links: readonly LinkSegment[];
  readonly lineage: readonly LineageEntry[];
  readonly bgsaves: readonly Bgsave[];
  readonly faults: readonly FaultSpan[];
  readonly marks: readonly NodeEvent[];
  readonly linkDowns: readonly NodeEvent[];
  /** Node name of each address (host:port) from boot events. */
  readonly nodeOfAddress: ReadonlyMap<string, string>;
}

export function buildRunModel(events: readonly NodeEvent[], endMs: number): RunModel {
  const lanes = lanesOf(events);
  const laneSet = new Set(lanes);
  const nodeOfAddress = new Map<string, string>();
  for (const event of events) {
    const address = event.data?.['address'];
    if (event.kind === 'boot' && typeof address === 'string')
      nodeOfAddress.set(address, event.node);
  }
  const up = new Map(lanes.map((lane) => [lane, upIntervals(lane, events, endMs)]));
  const roles = roleSegments(lanes, events, up);
  return {
    lanes,
    endMs,
    up,
    roles,
    links: linkSegments(lanes, events, up),
    lineage: lineageOf(roles, events),
    bgsaves: bgsavesOf(events, endMs),
    faults: faultsOf(events, lanes, endMs),
    marks: events.filter((event) => MARK_KINDS.has(event.kind) && laneSet.has(event.node)),
    linkDowns: events.filter((event) => event.kind === 'link-down' && laneSet.has(event.node)),
    nodeOfAddress,
  };
}

/** Nodes that booted, in boot order; else every node named by a node event. */
function lanesOf(events: readonly NodeEvent[]): string[] {
  const booted = [...new Set(events.filter((e) => e.kind === 'boot').map((e) => e.node))];
  if (booted.length > 0) return booted;
  const notNodes = new Set(['cluster', 'narrator', 'faults', 'writer']);
  return [
    ...new Set(events.filter((e) => e.kind !== 'note' && !notNodes.has(e.node)).map((e) => e.node)),
  ];
}

function upIntervals(node: string, events: readonly NodeEvent[], endMs: number): Interval[] {
  const intervals: Interval[] = [];
  let since: number | undefined;
  for (const event of events) {
    if (event.node !== node) continue;
    if ((event.kind === 'boot' || event.kind === 'restart') && since === undefined) {
      since = event.time;
    } else if (
      (event.kind === 'crash' ||
        event.kind === 'kill' ||
        (event.kind === 'shutdown' && event.data?.['code'] !== undefined)) &&
      since !== undefined
    ) {
      intervals.push({ t0: since, t1: event.time });
      since = undefined;
    }
  }
  if (since !== undefined) intervals.push({ t0: since, t1: endMs });
  return intervals;
}

/** Role and replid from every sample of a node, cut where the node is down. */
function roleSegments(
  lanes: readonly string[],
  events: readonly NodeEvent[],
  up: ReadonlyMap<string, readonly Interval[]>,
): RoleSegment[] {
  const segments: RoleSegment[] = [];
  for (const node of lanes) {
    const samples = events.filter(
      (e) =>
        e.node === node &&
        (e.kind === 'offset' || e.kind === 'state') &&
        typeof e.data?.['replid'] === 'string',
    );
    for (const interval of up.get(node) ?? []) {
      let open: { role: 'master' | 'replica'; replid: string; t0: number } | undefined;
      for (const sample of samples) {
        if (sample.time < interval.t0 || sample.time > interval.t1) continue;
        const role = sample.data?.['role'] === 'replica' ? 'replica' : 'master';
        const replid = String(sample.data?.['replid']);
        if (open !== undefined && open.role === role && open.replid === replid) continue;
        if (open !== undefined) segments.push({ node, ...open, t1: sample.time });
        open = { role, replid, t0: sample.time };
      }
      if (open !== undefined) segments.push({ node, ...open, t1: interval.t1 });
    }
  }
  return segments;
}

/** Where a replica's sampled link was not up (down or syncing), cut where the node is down. */
function linkSegments(
  lanes: readonly string[],
  events: readonly NodeEvent[],
  up: ReadonlyMap<string, readonly Interval[]>,
): LinkSegment[] {
  const segments: LinkSegment[] = [];
  for (const node of lanes) {
    const samples = events.filter((e) => e.node === node && e.kind === 'offset');
    for (const interval of up.get(node) ?? []) {
      let open: { state: string; t0: number } | undefined;
      for (const sample of samples) {
        if (sample.time < interval.t0 || sample.time > interval.t1) continue;
        const link = sample.data?.['link'];
        const state = typeof link === 'string' ? link : 'master';
        if (open?.state === state) continue;
        if (open !== undefined && open.state !== 'up' && open.state !== 'master') {
          segments.push({ node, state: open.state, t0: open.t0, t1: sample.time });
        }
        open = { state, t0: sample.time };
      }
      if (open !== undefined && open.state !== 'up' && open.state !== 'master') {
        segments.push({ node, state: open.state, t0: open.t0, t1: interval.t1 });
      }
    }
  }
  return segments;
}

/**
 * Each replid's first appearance as a master's; a node that was a replica of replid A and next
 * masters replid B continued A's history (Redis keeps A as replid2).
 */
function lineageOf(roles: readonly RoleSegment[], events: readonly NodeEvent[]): LineageEntry[] {
  const lineage: LineageEntry[] = [];
  const seen = new Set<string>();
  const ordered = [...roles].sort((a, b) => a.t0 - b.t0);
  for (const segment of ordered) {
    if (segment.role !== 'master' || seen.has(segment.replid)) continue;
    seen.add(segment.replid);
    const before = ordered.filter((s) => s.node === segment.node && s.t1 <= segment.t0).at(-1);
    const promoted = events.some(
      (e) =>
        e.node === segment.node &&
        (e.kind === 'failover' || e.kind === 'replid-change') &&
        e.time <= segment.t0 &&
        (before === undefined || e.time >= before.t0),
    );
    lineage.push({
      replid: segment.replid,
      node: segment.node,
      time: segment.t0,
      continues:
        before !== undefined && before.replid !== segment.replid && promoted
          ? before.replid
          : undefined,
    });
  }
  return lineage;
}

function bgsavesOf(events: readonly NodeEvent[], endMs: number): Bgsave[] {
  const bgsaves: Bgsave[] = [];
  const open = new Map<string, NodeEvent>();
  const close = (node: string, t1: number, ok: boolean | undefined): void => {
    const start = open.get(node);
    if (start === undefined) return;
    open.delete(node);
    const offset = start.data?.['offset'];
    bgsaves.push({
      node,
      t0: start.time,
      t1,
      offset: typeof offset === 'number' ? offset : undefined,
      by: String(start.data?.['by'] ?? 'bgsave'),
      ok,
      start,
    });
  };
  for (const event of events) {
    if (event.kind === 'bgsave-start') {
      close(event.node, event.time, undefined);
      open.set(event.node, event);
    } else if (event.kind === 'bgsave-end') {
      close(event.node, event.time, event.data?.['ok'] !== false);
    } else if (event.kind === 'crash' || event.kind === 'kill') {
      close(event.node, event.time, undefined);
    }
  }
  for (const node of [...open.keys()]) close(node, endMs, undefined);
  return bgsaves.sort((a, b) => a.t0 - b.t0);
}

/** The nodes a fault touches: its named endpoints, a split's groups, or the node it was on. */
function faultNodes(event: NodeEvent, lanes: readonly string[]): string[] {
  const data = event.data ?? {};
  const named = [data['a'], data['b'], data['source'], data['target']].filter(
    (value): value is string => typeof value === 'string' && lanes.includes(value),
  );
  if (named.length > 0) return named;
  if (data['fault'] === 'split') {
    return lanes.filter((lane) => new RegExp(`[[ ]${escapeRegExp(lane)}[\\] ]`).test(event.text));
  }
  return lanes.includes(event.node) ? [event.node] : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Lasting faults end at the heal that names them (`healed: <text>`, or one heal listing several);
 * a pause ends at its node's resume.
 */
function faultsOf(events: readonly NodeEvent[], lanes: readonly string[], endMs: number) {
  const spans: FaultSpan[] = [];
  events.forEach((event, position) => {
    if (event.kind !== 'fault' && event.kind !== 'pause') return;
    const kind = event.kind === 'pause' ? 'pause' : String(event.data?.['fault'] ?? 'fault');
    const nodes = faultNodes(event, lanes);
    if (INSTANT_FAULTS.has(kind)) {
      spans.push({
        t0: event.time,
        t1: event.time,
        nodes,
        label: event.text,
        kind,
        event,
        healed: undefined,
      });
      return;
    }
    const names = new Set([event.text, `${event.node} ${event.text}`, `${event.node} paused`]);
    const healed = events.slice(position + 1).find((later) => {
      if (event.kind === 'pause' && later.kind === 'resume' && later.node === event.node)
        return true;
      if (later.kind !== 'heal') return false;
      const listed = later.text.replace(/^healed: /, '').split(', ');
      return listed.some((item) => names.has(item));
    });
    spans.push({
      t0: event.time,
      t1: healed?.time ?? endMs,
      nodes,
      label: event.kind === 'pause' ? 'paused (SIGSTOP)' : event.text,
      kind,
      event,
      healed,
    });
  });
  return spans;
}
