/**
 * Replication links as the message diagram draws them, derived from node events only (Redis's own
 * log lines; see cluster/log-events.ts). One SyncSession per attempt of a replica to sync:
 *
 *   replica                              master
 *   link-up ── PSYNC <replid> <offset> ──▶ sync-request | continue | psync-refused
 *           ◀── +FULLRESYNC <replid> <off> (sent when the BGSAVE for it starts: its snapshot point)
 *   transfer-start ◀══ RDB payload ══ (writes after the snapshot point are buffered meanwhile)
 *   transfer-end   ◀── the stream (buffered writes first), REPLCONF ACK every second ──▶
 *   ...until a link-down, a crash or a new attempt.
 *   (or  ◀── +CONTINUE: the backlog bytes from the requested offset, then the stream)
 *
 * An attempt that gets no reply (the master unreachable) is kept as a failed attempt. A replica's
 * address (boot events) ties the master's log lines, which name replicas by address, to its lane.
 */
import type { NodeEvent } from '../history/op.js';
import type { RunModel } from './model.js';

export interface SyncReply {
  readonly kind: 'fullresync' | 'continue';
  /** When the master sent it (a full resync: when the BGSAVE for it started). */
  readonly tSend: number;
  /** When the replica read it. */
  readonly tRecv: number;
  readonly replid: string | undefined;
  readonly offset: number | undefined;
  /** +CONTINUE: the backlog bytes sent. */
  readonly backlogBytes: number | undefined;
  /** The replica's log line of the answer, and for +CONTINUE the master's. */
  readonly event: NodeEvent;
  readonly masterEvent: NodeEvent | undefined;
}

export interface SyncTransfer {
  readonly t0: number;
  readonly t1: number | undefined;
  readonly bytes: number | undefined;
  readonly diskless: boolean;
}

export interface SyncStream {
  readonly t0: number;
  readonly t1: number;
  /** What ended it (undefined: the run ended with the link up). */
  readonly end: NodeEvent | undefined;
  /** Times the master saw a new acknowledged offset from this replica (REPLCONF ACK). */
  readonly acks: readonly number[];
  readonly offset0: number | undefined;
  readonly offset1: number | undefined;
}

export interface SyncSession {
  readonly replica: string;
  readonly master: string | undefined;
  /** When the replica started the attempt, and the PSYNC it sent. */
  readonly tRequest: number;
  readonly request: string;
  /** When and how the master took the request. */
  readonly received: NodeEvent | undefined;
  readonly refused: NodeEvent | undefined;
  readonly reply: SyncReply | undefined;
  readonly transfer: SyncTransfer | undefined;
  readonly stream: SyncStream | undefined;
}

const MASTER_SIDE = new Set(['sync-request', 'continue', 'psync-refused']);
const ENDS_LINK = new Set(['link-down', 'link-up', 'crash', 'kill', 'restart', 'shutdown']);

export function buildSyncSessions(events: readonly NodeEvent[], model: RunModel): SyncSession[] {
  const addressOf = new Map([...model.nodeOfAddress].map(([address, node]) => [node, address]));
  const sessions: SyncSession[] = [];
  for (const replica of model.lanes) {
    const own = events.filter((event) => event.node === replica);
    const starts = own.filter((event) => event.kind === 'link-up');
    starts.forEach((start, position) => {
      const next = starts[position + 1];
      const until = next?.index ?? Number.POSITIVE_INFINITY;
      const inAttempt = own.filter((e) => e.index > start.index && e.index < until);
      sessions.push(
        sessionOf(replica, addressOf.get(replica), start, until, inAttempt, events, model.endMs),
      );
    });
  }
  return sessions.sort((a, b) => a.tRequest - b.tRequest);
}

function sessionOf(
  replica: string,
  address: string | undefined,
  start: NodeEvent,
  until: number,
  inAttempt: readonly NodeEvent[],
  events: readonly NodeEvent[],
  endMs: number,
): SyncSession {
  const lost = inAttempt.find((e) => ENDS_LINK.has(e.kind));
  const live = inAttempt.filter((e) => lost === undefined || e.index < lost.index);
  const psync = live.find((e) => e.kind === 'psync');
  const replyEvent = live.find((e) => e.kind === 'fullresync' || e.kind === 'continue');
  const replyIndex = replyEvent?.index ?? lost?.index ?? until;
  const masterSide = events.filter(
    (e) =>
      MASTER_SIDE.has(e.kind) &&
      e.index > start.index &&
      e.index < replyIndex &&
      address !== undefined &&
      e.data?.['replica'] === address,
  );
  const received = masterSide.find((e) => e.kind !== 'psync-refused') ?? masterSide[0];
  const master = received?.node;
  // Redis names the replica in a refusal for lack of backlog, not in a replid or offset mismatch:
  // that one is the master's next refusal after it took this request.
  const refused =
    masterSide.find((e) => e.kind === 'psync-refused') ??
    (received === undefined
      ? undefined
      : events.find(
          (e) =>
            e.kind === 'psync-refused' &&
            e.node === master &&
            e.index > received.index &&
            e.index < replyIndex &&
            e.data?.['replica'] === undefined,
        ));
  const request =
    psync === undefined
      ? 'PSYNC ? -1 (no cached master: a full sync)'
      : `PSYNC ${String(psync.data?.['replid'] ?? '?')} ${String(psync.data?.['offset'] ?? '?')}`;
  const tRequest = psync?.time ?? start.time;
  if (replyEvent === undefined) {
    return {
      replica,
      master,
      tRequest,
      request,
      received,
      refused,
      reply: undefined,
      transfer: undefined,
      stream: undefined,
    };
  }
  const accepted = masterSide.find((e) => e.kind === 'continue');
  const reply = replyOf(replyEvent, received, accepted, master, events);
  const transferStart = live.find((e) => e.kind === 'transfer-start' && e.index > replyEvent.index);
  const transferEnd = live.find((e) => e.kind === 'transfer-end' && e.index > replyEvent.index);
  let transfer: SyncTransfer | undefined;
  if (reply.kind === 'fullresync' && transferStart !== undefined) {
    const renamed = live.find(
      (e) =>
        e.kind === 'rename' &&
        e.index > transferStart.index &&
        (transferEnd === undefined || e.index < transferEnd.index),
    );
    const declared = transferStart.data?.['bytes'];
    const bytes = typeof declared === 'number' ? declared : renamed?.data?.['bytes'];
    transfer = {
      t0: transferStart.time,
      t1: transferEnd?.time,
      bytes: typeof bytes === 'number' ? bytes : undefined,
      diskless: transferStart.data?.['streamed'] === true,
    };
  }
  const streamT0 = reply.kind === 'continue' ? reply.tRecv : transferEnd?.time;
  let stream: SyncStream | undefined;
  if (streamT0 !== undefined) {
    const masterLost = events.find(
      (e) =>
        e.node === master &&
        e.index > (transferEnd ?? replyEvent).index &&
        ((e.kind === 'link-down' && e.data?.['replica'] === address) ||
          e.kind === 'crash' ||
          e.kind === 'kill' ||
          e.kind === 'shutdown'),
    );
    const end = [lost, masterLost]
      .filter((e): e is NodeEvent => e !== undefined)
      .sort((a, b) => a.index - b.index)[0];
    const t1 = end?.time ?? endMs;
    stream = {
      t0: streamT0,
      t1,
      end,
      acks: ackTimes(events, master, replica, streamT0, t1),
      offset0: offsetNear(events, replica, streamT0, 'after'),
      offset1: offsetNear(events, replica, t1, 'before'),
    };
  }
  return { replica, master, tRequest, request, received, refused, reply, transfer, stream };
}

function replyOf(
  event: NodeEvent,
  received: NodeEvent | undefined,
  accepted: NodeEvent | undefined,
  master: string | undefined,
  events: readonly NodeEvent[],
): SyncReply {
  if (event.kind === 'continue') {
    const bytes = accepted?.data?.['bytes'];
    return {
      kind: 'continue',
      tSend: accepted?.time ?? received?.time ?? event.time,
      tRecv: event.time,
      replid: undefined,
      offset: undefined,
      backlogBytes: typeof bytes === 'number' ? bytes : undefined,
      event,
      masterEvent: accepted,
    };
  }
  const offset = event.data?.['offset'];
  const snapshot = events
    .filter(
      (e) =>
        e.kind === 'bgsave-start' &&
        e.node === master &&
        e.index < event.index &&
        (received === undefined || e.index > received.index || e.data?.['offset'] === offset),
    )
    .at(-1);
  return {
    kind: 'fullresync',
    tSend: snapshot?.time ?? received?.time ?? event.time,
    tRecv: event.time,
    replid: typeof event.data?.['replid'] === 'string' ? event.data['replid'] : undefined,
    offset: typeof offset === 'number' ? offset : undefined,
    backlogBytes: undefined,
    event,
    masterEvent: snapshot,
  };
}

/** Times in [t0, t1] at which the master's sampled `ack:<replica>` changed. */
function ackTimes(
  events: readonly NodeEvent[],
  master: string | undefined,
  replica: string,
  t0: number,
  t1: number,
): number[] {
  const times: number[] = [];
  let last: unknown;
  for (const event of events) {
    if (event.kind !== 'offset' || event.node !== master) continue;
    const ack = event.data?.[`ack:${replica}`];
    if (ack === undefined) continue;
    if (event.time >= t0 && event.time <= t1 && last !== undefined && ack !== last) {
      times.push(event.time);
    }
    last = ack;
  }
  return times;
}

/** The replica's sampled offset nearest `t`, from the first sample after or the last before. */
function offsetNear(
  events: readonly NodeEvent[],
  node: string,
  t: number,
  side: 'before' | 'after',
): number | undefined {
  const samples = events.filter(
    (e) =>
      e.node === node &&
      (e.kind === 'offset' || e.kind === 'state') &&
      typeof e.data?.['offset'] === 'number',
  );
  const pick =
    side === 'after' ? samples.find((e) => e.time >= t) : samples.filter((e) => e.time <= t).at(-1);
  const offset = pick?.data?.['offset'];
  return typeof offset === 'number' ? offset : undefined;
}
