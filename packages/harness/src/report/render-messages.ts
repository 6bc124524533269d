/**
 * The message diagram: the replication links and the client operations between lanes.
 *
 * For every sync attempt (syncs.ts): the PSYNC arrow from the replica to its master, the master's
 * answer (+FULLRESYNC with the replid and snapshot offset, or +CONTINUE with the backlog bytes) as
 * a `sync-arrow`, the wait for a BGSAVE (newline keepalives) as a dotted stretch, the snapshot
 * transfer as a band from the master lane to the replica lane labelled with its size, the writes the
 * master buffers meanwhile, then the stream as one band on the replica's lane until the link drops,
 * with a tick for each REPLCONF ACK the master saw. Attempts that got no answer are small marks.
 * Link losses are marked on both lanes. Below the nodes, one lane per client: its operations one by
 * one, or collapsed into density buckets when there are many (client-ops.ts).
 */
import type { NodeEvent } from '../history/op.js';
import type { ClientLanes } from './client-ops.js';
import type { LostWrite } from './lost-writes.js';
import type { RunModel } from './model.js';
import { panel, sticky } from './render-timeline.js';
import {
  at,
  bytesText,
  el,
  esc,
  LEFT,
  line,
  poly,
  seconds,
  shortId,
  span,
  type TimeScale,
  text,
  WIDTH,
} from './svg.js';
import type { SyncSession } from './syncs.js';

const NODE_LANE = 64;
const CLIENT_LANE = 30;
const TOP = 28;
/** Lost writes each get a line to their destroying event only up to this many (else a fan). */
const LOST_LINES_MAX = 20;
/** Client lanes with at most this many operations draw each as an arrow to its node. */
const OP_ARROWS_MAX = 40;

export function renderMessages(
  model: RunModel,
  sessions: readonly SyncSession[],
  clients: ClientLanes,
  lost: readonly LostWrite[],
  scale: TimeScale,
): string {
  const nodeY = (node: string): number =>
    TOP + model.lanes.indexOf(node) * NODE_LANE + NODE_LANE / 2;
  const clientTop = TOP + model.lanes.length * NODE_LANE + 10;
  const height = clientTop + clients.lanes.length * CLIENT_LANE + 20;
  const labels: string[] = [];
  const parts: string[] = [];
  for (const lane of model.lanes) {
    const y = nodeY(lane);
    labels.push(text(10, y + 4, lane, 'lane-label'));
    labels.push(el('line', { x1: LEFT, x2: WIDTH, y1: y, y2: y, class: 'lane-line' }));
  }
  for (const session of sessions) parts.push(renderSession(session, scale, nodeY));
  for (const event of model.linkDowns) {
    const y = nodeY(event.node);
    parts.push(
      at(
        scale,
        event.time,
        `<path d="M-5 ${y - 5} l10 10 m0 -10 l-10 10" class="link-down"/>`,
        'ev link-lost',
        `${seconds(event.time)} ${event.node}: link lost\n${event.text}`,
      ),
    );
  }
  clients.lanes.forEach((lane, index) => {
    const y = clientTop + index * CLIENT_LANE + CLIENT_LANE / 2;
    const caption = `client ${lane.process} → ${lane.node}`;
    labels.push(text(10, y + 4, caption, 'lane-label client-label'));
    labels.push(el('line', { x1: LEFT, x2: WIDTH, y1: y, y2: y, class: 'lane-line client-line' }));
    const summary = `${caption}: ${lane.count} operations (${lane.functions.join(', ')}): ${lane.counts.ok} ok, ${lane.counts.fail} fail, ${lane.counts.info} info${lane.counts.open > 0 ? `, ${lane.counts.open} without a reply` : ''}`;
    if (lane.buckets !== undefined) {
      const busiest = Math.max(1, ...lane.buckets.map((b) => b.ok + b.fail + b.info));
      for (const bucket of lane.buckets) {
        const count = bucket.ok + bucket.fail + bucket.info;
        const shade = 0.15 + 0.85 * (count / busiest);
        parts.push(
          span(
            scale,
            bucket.t0,
            bucket.t1,
            y - 7,
            14,
            bucket.fail + bucket.info > 0 ? 'op-band op-band-bad' : 'op-band',
            `${caption}, ${seconds(bucket.t0)} - ${seconds(bucket.t1)}: ${count} operations (${bucket.ok} ok, ${bucket.fail} fail, ${bucket.info} info)`,
            { 'fill-opacity': Math.round(shade * 100) / 100 },
          ),
        );
      }
    }
    for (const op of lane.drawn) {
      const command = op.invoke.command?.join(' ') ?? op.invoke.f;
      const outcome =
        op.done === undefined
          ? 'no reply before the run ended'
          : `${op.type}${op.done.error === undefined ? '' : `: ${op.done.error}`}${op.done.value === undefined || typeof op.done.value === 'object' ? '' : ` → ${String(op.done.value)}`}`;
      const info = `${caption} #${op.invoke.index} at ${seconds(op.t0)} (${Math.round(op.t1 - op.t0)} ms)\n${command.length > 200 ? `${command.slice(0, 200)}…` : command}\n${outcome}`;
      parts.push(span(scale, op.t0, op.t1, y - 5, 10, `op op-${op.type}`, info));
      if (lane.buckets === undefined && lane.drawn.length <= OP_ARROWS_MAX) {
        const target = nodeY(op.invoke.node);
        if (model.lanes.includes(op.invoke.node)) {
          parts.push(line(scale, op.t0, y - 5, op.t0, target + 4, 'op-arrow', info));
        }
      }
    }
    parts.push(at(scale, 0, '', 'summary', summary));
  });
  for (const entry of lost) {
    const op = entry.op;
    const laneIndex = clients.lanes.findIndex((lane) => lane.process === op?.process);
    if (op === undefined || laneIndex < 0) continue;
    const y = clientTop + laneIndex * CLIENT_LANE + CLIENT_LANE / 2;
    const info = `Lost acknowledged write (${entry.permitted ? 'permitted' : 'NOT permitted'}):\n${entry.finding.text}`;
    const destroyer = entry.destroyer;
    if (
      destroyer !== undefined &&
      model.lanes.includes(destroyer.node) &&
      lost.length <= LOST_LINES_MAX
    ) {
      parts.push(
        line(
          scale,
          op.time,
          y,
          destroyer.time,
          nodeY(destroyer.node),
          `lost-link${entry.permitted ? '' : ' lost-bad'}`,
          info,
        ),
      );
    }
    parts.push(
      at(
        scale,
        op.time,
        `<path d="M0 ${y - 7} l6 7 l-6 7 l-6 -7 z" class="lost${entry.permitted ? '' : ' lost-bad'}"/>`,
        'ev lost-write',
        info,
      ),
    );
  }
  if (clients.hidden > 0) {
    labels.push(text(10, height - 6, `+ ${clients.hidden} more clients not drawn`, 'small'));
  }
  return panel('messages', height, labels.join(''), parts.join(''), scale);
}

function renderSession(
  session: SyncSession,
  scale: TimeScale,
  nodeY: (node: string) => number,
): string {
  const parts: string[] = [];
  const ry = nodeY(session.replica);
  if (session.master === undefined || session.received === undefined) {
    parts.push(
      at(
        scale,
        session.tRequest,
        `<circle cx="0" cy="${ry - 14}" r="3" class="attempt"/>`,
        'ev attempt-mark',
        `${seconds(session.tRequest)} ${session.replica}: tries to reach its master (${session.request}); no answer`,
      ),
    );
    return parts.join('');
  }
  const my = nodeY(session.master);
  const dir = my < ry ? 1 : -1;
  const received = session.received;
  const request = `${seconds(session.tRequest)} ${session.replica} → ${session.master}: ${session.request}\n${seconds(received.time)} ${session.master}: ${received.text}${session.refused === undefined || session.refused === received ? '' : `\n${session.refused.text}`}`;
  parts.push(
    line(
      scale,
      session.tRequest,
      ry - 4 * dir,
      received.time,
      my + 6 * dir,
      'psync-arrow',
      request,
      {
        'marker-end': 'url(#arrow-psync)',
      },
    ),
  );
  if (session.refused !== undefined) {
    parts.push(
      at(
        scale,
        session.refused.time,
        `<text ${leftward(scale, session.refused.time)} y="${my + 18 * dir + 4}" class="refused">PSYNC refused: ${esc(refusal(session.refused))}</text>`,
        'ev',
        `${seconds(session.refused.time)} ${session.master}: ${session.refused.text}`,
      ),
    );
  }
  const reply = session.reply;
  if (reply === undefined) return parts.join('');
  if (reply.kind === 'fullresync' && reply.tSend - received.time > 200) {
    parts.push(
      line(
        scale,
        received.time,
        ry - 10 * dir,
        reply.tSend,
        ry - 10 * dir,
        'keepalive',
        `${session.replica} waits ${seconds(reply.tSend - received.time)} for the BGSAVE that will serve it (repl-diskless-sync-delay, or a running BGSAVE it cannot join); the master sends newline keepalives meanwhile`,
      ),
    );
  }
  const label =
    reply.kind === 'fullresync'
      ? `+FULLRESYNC ${shortId(reply.replid ?? '')} ${reply.offset ?? ''}`
      : `+CONTINUE${reply.backlogBytes === undefined ? '' : ` (${bytesText(reply.backlogBytes)} of backlog)`}`;
  const replyInfo =
    reply.kind === 'fullresync'
      ? `${seconds(reply.tSend)} ${session.master} → ${session.replica}: +FULLRESYNC ${reply.replid ?? ''} ${reply.offset ?? ''}\n${reply.masterEvent?.text ?? ''}\nThe master starts a snapshot for it; its snapshot point is offset ${reply.offset ?? '?'}. Everything written after that point is buffered for the replica and sent after the snapshot.`
      : `${seconds(reply.tSend)} ${session.master} → ${session.replica}: +CONTINUE\n${reply.masterEvent?.text ?? received.text}\n${reply.event.text}\nThe backlog still held every byte from the replica's offset: a partial resync, no snapshot.`;
  parts.push(
    `<g class="ev sync sync-${reply.kind}" data-info="${esc(replyInfo)}"><title>${esc(replyInfo)}</title>${line(scale, reply.tSend, my + 6 * dir, reply.tRecv, ry - 6 * dir, `sync-arrow sync-arrow-${reply.kind}`, undefined, { 'marker-end': `url(#arrow-${reply.kind})` })}${line(scale, reply.tSend, my + 6 * dir, reply.tRecv, ry - 6 * dir, 'hit')}${at(scale, reply.tRecv, `<text ${anchor(scale, reply.tRecv)} y="${ry - 16 * dir + 4}" class="sync-label sync-label-${reply.kind}">${esc(label)}</text>`)}</g>`,
  );
  const transfer = session.transfer;
  if (transfer !== undefined) {
    const t1 = transfer.t1 ?? transfer.t0;
    const size = transfer.bytes === undefined ? 'size unknown' : bytesText(transfer.bytes);
    const info = `Snapshot transfer ${session.master} → ${session.replica}: ${size}${transfer.diskless ? ' (diskless: streamed from the BGSAVE, no file on the master)' : ' (from the RDB file on disk)'}\n${seconds(transfer.t0)} - ${transfer.t1 === undefined ? 'not finished' : seconds(t1)}`;
    const minMs = (scale.endMs / 1000) * 2;
    const end = Math.max(t1, transfer.t0 + minMs);
    parts.push(
      poly(
        scale,
        [
          [reply.tSend, my + 6 * dir],
          [reply.tSend + (end - transfer.t0), my + 6 * dir],
          [end, ry - 6 * dir],
          [transfer.t0, ry - 6 * dir],
        ],
        'transfer',
        true,
        info,
      ),
    );
    parts.push(
      at(
        scale,
        reply.tSend,
        `<text ${leftward(scale, reply.tSend)} y="${(my + ry) / 2 + 4}" class="transfer-label">RDB ${esc(size)}</text>`,
        'ev',
        info,
      ),
    );
    parts.push(
      span(
        scale,
        reply.tSend,
        end,
        my - 3,
        6,
        'buffered',
        `${session.master} buffers the writes after offset ${reply.offset ?? '?'} for ${session.replica} while the snapshot is made and sent (${seconds(reply.tSend)} - ${seconds(t1)}); they go out first on the stream`,
      ),
    );
  }
  const stream = session.stream;
  if (stream !== undefined) {
    const moved =
      stream.offset0 !== undefined && stream.offset1 !== undefined
        ? `offset ${stream.offset0} → ${stream.offset1} (${bytesText(Math.max(0, stream.offset1 - stream.offset0))})`
        : '';
    const short =
      stream.offset0 !== undefined && stream.offset1 !== undefined
        ? bytesText(Math.max(0, stream.offset1 - stream.offset0))
        : '';
    const info = `Replication stream ${session.master} → ${session.replica}, ${seconds(stream.t0)} - ${seconds(stream.t1)}: ${moved}\nEvery write the master applies is sent as a command; the replica acknowledges with REPLCONF ACK <offset> every second (${stream.acks.length} new acknowledged offsets seen), and the master PINGs it every 10 s when idle.\n${stream.end === undefined ? 'Still up when the run ended.' : `Ended by ${stream.end.node}: ${stream.end.text}`}`;
    parts.push(span(scale, stream.t0, stream.t1, ry - 12, 8, 'stream', info));
    for (const t of stream.acks) {
      parts.push(at(scale, t, `<path d="M0 ${ry - 12} v-4" class="ack"/>`));
    }
    parts.push(
      sticky(
        scale,
        stream.t0,
        `<text x="4" y="${ry + 16}" class="stream-label">stream ${esc(short)}</text>`,
        stream.t1,
      ),
    );
  }
  return parts.join('');
}

/** Why a PSYNC was refused, in a few words. */
function refusal(event: NodeEvent): string {
  const reason = String(event.data?.['reason'] ?? '');
  if (reason.startsWith('Replication ID mismatch')) return 'replid mismatch';
  if (reason.startsWith('Requested offset for second ID')) return 'past the promotion offset';
  return 'not in the backlog';
}

/** Labels near the right edge grow leftwards so they stay inside the panel. */
function anchor(scale: TimeScale, t: number): string {
  return t > scale.endMs * 0.85 ? 'x="-5" text-anchor="end"' : 'x="5"';
}

/** Labels that sit left of their point, unless that is near the left edge. */
function leftward(scale: TimeScale, t: number): string {
  return t < scale.endMs * 0.15 ? 'x="5"' : 'x="-5" text-anchor="end"';
}

/** Arrowhead markers for the diagram (one per arrow kind, coloured by CSS). */
export const MARKERS = `<svg width="0" height="0" style="position:absolute"><defs>
<marker id="arrow-psync" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head-psync"/></marker>
<marker id="arrow-fullresync" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head-fullresync"/></marker>
<marker id="arrow-continue" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="head-continue"/></marker>
</defs></svg>`;
