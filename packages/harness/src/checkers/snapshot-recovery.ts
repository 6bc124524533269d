/**
 * Crash recovery of an RDB node: after a crash, kill or shutdown, the node comes back holding exactly
 * one complete snapshot, the dataset as it was at that snapshot's point, and nothing else.
 *
 * Which snapshot? The last one whose file was durably in place when the process died:
 * - power loss (`crash`): a snapshot counts once its rename was made durable by the directory
 *   fsync. In the window between the rename and that fsync either the old or the new file may
 *   survive (Redis 7.0's rdbSave fsyncs the directory after the rename), so either is allowed there;
 *   a mix of the two never is.
 * - process death (`kill`, `shutdown`): the page cache survives, so a snapshot counts once renamed.
 * Without rename events (a backend that cannot see the disk), a snapshot counts once its BGSAVE
 * ended with success. With no snapshot since the last boot the node must hold what it held then
 * (empty on a fresh disk): that is the "master without persistence" story.
 *
 * The check runs for nodes that took client writes and never synced from a master (a replica's data
 * and snapshot point come from its master's stream, not from its own clients' ops); it stops for a
 * node at its first sync. It judges the first complete read-all of the node after its restart.
 */
import type { NodeEvent, Op } from '../history/op.js';
import type { Finding } from './finding.js';
import { candidatesFrom, type KeyWrite, keyWrites, mismatches } from './register-model.js';

export const SNAPSHOT_RECOVERY = 'snapshot-recovery';

const SYNCS = new Set(['fullresync', 'continue', 'transfer-end', 'link-up', 'psync']);

interface Snapshot {
  readonly label: string;
  /** The snapshot point: the index of its start event (or -1 for the empty disk). */
  readonly point: number;
  readonly eventIndex: number;
  /**
   * What the node held when this incarnation booted (the snapshots allowed at that restart) and the
   * index of that boot: the snapshot is that dataset plus the writes since.
   */
  readonly bases: readonly Snapshot[];
  readonly bootIndex: number;
  renamedAt?: number;
  durableAt?: number;
  endedOkAt?: number;
}

const EMPTY: Snapshot = {
  label: 'the empty dataset of a fresh disk',
  point: -1,
  eventIndex: -1,
  bases: [],
  bootIndex: -1,
};

/** The values `key` may have in `snapshot`. */
function candidatesIn(
  snapshot: Snapshot,
  writes: readonly KeyWrite[],
): ReadonlySet<string | undefined> {
  if (snapshot.bases.length === 0)
    return candidatesFrom(new Set([undefined]), writes, snapshot.bootIndex, snapshot.point);
  const starts = new Set<string | undefined>();
  for (const base of snapshot.bases)
    for (const value of candidatesIn(base, writes)) starts.add(value);
  return candidatesFrom(starts, writes, snapshot.bootIndex, snapshot.point);
}

export function checkSnapshotRecovery(ops: readonly Op[], events: readonly NodeEvent[]): Finding[] {
  const findings: Finding[] = [];
  const writeNodes = new Set(
    ops.filter((op) => op.f === 'write' || op.f === 'incr' || op.f === 'del').map((op) => op.node),
  );
  for (const node of writeNodes) findings.push(...checkNode(node, ops, events));
  return findings;
}

function checkNode(node: string, ops: readonly Op[], allEvents: readonly NodeEvent[]): Finding[] {
  const events = allEvents.filter((event) => event.node === node);
  const seesRenames = events.some((event) => event.kind === 'rename');
  const findings: Finding[] = [];
  let allowed: Snapshot[] = [EMPTY];
  let snapshots: Snapshot[] = [];
  /** The current incarnation's starting point: what it booted with, and when. */
  let bases: readonly Snapshot[] = [];
  let bootIndex = -1;
  let open: Snapshot | undefined;
  let death: NodeEvent | undefined;
  const writes = keyWrites(ops, node);
  for (const event of events) {
    if (SYNCS.has(event.kind)) break;
    switch (event.kind) {
      case 'bgsave-start':
        if (event.data?.['target'] === 'socket') break;
        open = {
          label: `the BGSAVE started at ${seconds(event.time)}`,
          point: event.index,
          eventIndex: event.index,
          bases,
          bootIndex,
        };
        snapshots.push(open as Snapshot);
        break;
      case 'save':
        if (open === undefined) {
          const save: Snapshot = {
            label: `the SAVE at ${seconds(event.time)}`,
            point: event.index,
            eventIndex: event.index,
            bases,
            bootIndex,
            endedOkAt: event.index,
            renamedAt: event.index,
            durableAt: event.index,
          };
          snapshots.push(save);
        }
        break;
      case 'rename':
        if (open !== undefined && String(event.data?.['path'] ?? '').includes('temp-'))
          open.renamedAt = event.index;
        break;
      case 'fsync-dir':
        if (open?.renamedAt !== undefined && open.durableAt === undefined)
          open.durableAt = event.index;
        break;
      case 'bgsave-end':
        if (open !== undefined && event.data?.['ok'] === true) open.endedOkAt = event.index;
        open = undefined;
        break;
      case 'crash':
      case 'kill':
      case 'shutdown': {
        if (death !== undefined) break;
        death = event;
        const powerLoss = event.kind === 'crash';
        const counts = (snapshot: Snapshot): boolean =>
          seesRenames
            ? (powerLoss ? snapshot.durableAt : snapshot.renamedAt) !== undefined
            : snapshot.endedOkAt !== undefined;
        const last = snapshots.filter(counts).at(-1);
        const next: Snapshot[] = last === undefined ? [...allowed] : [last];
        if (powerLoss && seesRenames) {
          for (const snapshot of snapshots) {
            if (snapshot.renamedAt !== undefined && snapshot.durableAt === undefined)
              next.push(snapshot);
          }
        }
        allowed = next;
        snapshots = [];
        open = undefined;
        break;
      }
      case 'restart': {
        if (death === undefined) break;
        bases = allowed;
        bootIndex = event.index;
        const read = ops.find(
          (op) =>
            op.node === node && op.f === 'read-all' && op.type === 'ok' && op.index > event.index,
        );
        const writeBefore = ops.find(
          (op) =>
            op.node === node &&
            op.type === 'invoke' &&
            op.f !== 'read-all' &&
            op.f !== 'admin' &&
            op.f !== 'wait' &&
            op.index > event.index &&
            (read === undefined || op.index < read.index),
        );
        // A node that synced from a master after its restart holds the master's data, not its own.
        const synced = allEvents.some(
          (e) =>
            e.node === node &&
            e.index > event.index &&
            (read === undefined || e.index < read.index) &&
            SYNCS.has(e.kind),
        );
        if (read === undefined || writeBefore !== undefined || synced) {
          death = undefined;
          break;
        }
        findings.push(judge(node, death, read, allowed, writes));
        death = undefined;
        break;
      }
      default:
        break;
    }
  }
  return findings;
}

function judge(
  node: string,
  death: NodeEvent,
  read: Op,
  allowed: readonly Snapshot[],
  writes: ReturnType<typeof keyWrites>,
): Finding {
  const dataset = (
    typeof read.value === 'object' && read.value !== null ? read.value : {}
  ) as Record<string, string>;
  const results = allowed.map((snapshot) => ({
    snapshot,
    mismatches: mismatches(writes, dataset, (key) => candidatesIn(snapshot, writes.get(key) ?? [])),
  }));
  const match = results.find((result) => result.mismatches.length === 0);
  const what = `after the ${death.kind === 'crash' ? 'power loss' : death.kind} at ${seconds(death.time)}`;
  const allowedText = allowed.map((snapshot) => snapshot.label).join(' or ');
  if (match !== undefined) {
    return {
      checker: SNAPSHOT_RECOVERY,
      severity: 'held',
      phase: 'safety',
      text: `${what}, ${node} holds exactly ${match.snapshot.label} at its snapshot point (${Object.keys(dataset).length} keys)${allowed.length > 1 ? `; allowed: ${allowedText}` : ''}`,
      ops: [read.index],
      events: [death.index, ...(match.snapshot.eventIndex >= 0 ? [match.snapshot.eventIndex] : [])],
    };
  }
  const closest = [...results].sort((a, b) => a.mismatches.length - b.mismatches.length)[0];
  return {
    checker: SNAPSHOT_RECOVERY,
    severity: 'violation',
    phase: 'safety',
    text: `${what}, ${node} holds no allowed snapshot (${allowedText}): closest is ${closest?.snapshot.label ?? '?'}, which differs in ${closest?.mismatches.length ?? 0} keys: ${(closest?.mismatches ?? []).slice(0, 3).join('; ')}`,
    ops: [read.index],
    events: [death.index, ...allowed.filter((s) => s.eventIndex >= 0).map((s) => s.eventIndex)],
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}
