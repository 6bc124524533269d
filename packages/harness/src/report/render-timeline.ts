/**
 * The timeline panel: a lane per node. Along each lane: when the process ran, its role and replid
 * (a colour per replid, so a promotion shows as a change of colour and the lineage list says which
 * history the new replid continues), BGSAVE intervals with their snapshot points, crashes, kills,
 * restarts, failovers and loads as marks, and faults (partitions, pauses, disk faults) as hatched
 * spans on the lanes they touch.
 */
import type { RunModel } from './model.js';
import { at, el, esc, LEFT, seconds, shortId, span, type TimeScale, text, WIDTH } from './svg.js';

export const LANE_HEIGHT = 58;
const TOP = 28;

const MARK_GLYPHS: Readonly<Record<string, { glyph: string; label: string; cls: string }>> = {
  crash: { glyph: '✕', label: 'power loss', cls: 'mark-bad' },
  kill: { glyph: '✕', label: 'kill -9', cls: 'mark-bad' },
  shutdown: { glyph: '■', label: 'shutdown', cls: 'mark-bad' },
  restart: { glyph: '↻', label: 'restart', cls: 'mark-good' },
  failover: { glyph: '★', label: 'promoted', cls: 'mark-promo' },
  load: { glyph: '⤓', label: 'loaded RDB', cls: 'mark-info' },
  save: { glyph: '💾', label: 'SAVE', cls: 'mark-info' },
};

/** Replid colours: calm hues, so red stays free for faults and full resyncs. */
const REPLID_PALETTE = ['#3f6fb5', '#2a9d8f', '#7b5ea7', '#b08d57', '#5c7080', '#c06c84'];

/** Index of each replid in order of appearance, for its colour. */
export function replidColours(model: RunModel): Map<string, string> {
  const colours = new Map<string, string>();
  for (const segment of [...model.roles].sort((a, b) => a.t0 - b.t0)) {
    if (!colours.has(segment.replid)) {
      colours.set(segment.replid, REPLID_PALETTE[colours.size % REPLID_PALETTE.length] ?? '#888');
    }
  }
  return colours;
}

export function renderTimeline(model: RunModel, scale: TimeScale): string {
  const height = TOP + model.lanes.length * LANE_HEIGHT + 10;
  const colours = replidColours(model);
  const parts: string[] = [];
  const labels: string[] = [];
  model.lanes.forEach((lane, index) => {
    const y = TOP + index * LANE_HEIGHT;
    const mid = y + LANE_HEIGHT / 2;
    labels.push(text(10, mid + 4, lane, 'lane-label'));
    labels.push(el('line', { x1: LEFT, x2: WIDTH, y1: mid, y2: mid, class: 'lane-line' }));
    for (const interval of model.up.get(lane) ?? []) {
      parts.push(
        span(
          scale,
          interval.t0,
          interval.t1,
          mid - 2,
          4,
          'up',
          `${lane} running ${seconds(interval.t0)} - ${seconds(interval.t1)}`,
        ),
      );
    }
    for (const segment of model.roles.filter((s) => s.node === lane)) {
      const info = `${lane}: ${segment.role} with replid ${segment.replid}\nfrom ${seconds(segment.t0)} to ${seconds(segment.t1)}`;
      parts.push(
        span(scale, segment.t0, segment.t1, mid - 9, 18, `role role-${segment.role}`, info, {
          style: `fill:${colours.get(segment.replid) ?? '#888'}`,
        }),
      );
      parts.push(
        sticky(
          scale,
          segment.t0,
          `<text x="4" y="${mid + 4}" class="role-text">${esc(`${segment.role} · ${shortId(segment.replid)}`)}</text>`,
          segment.t1,
        ),
      );
    }
  });
  const laneY = (node: string): number =>
    TOP + model.lanes.indexOf(node) * LANE_HEIGHT + LANE_HEIGHT / 2;
  for (const fault of model.faults) {
    for (const node of fault.nodes) {
      const mid = laneY(node);
      const info = `${fault.label}\nfrom ${seconds(fault.t0)}${fault.healed === undefined ? ' (never healed)' : ` to ${seconds(fault.t1)} (${fault.healed.text})`}`;
      if (fault.t1 === fault.t0) {
        parts.push(
          at(scale, fault.t0, `<path d="M0 ${mid - 20} v40" class="fault-instant"/>`, 'ev', info),
        );
        continue;
      }
      parts.push(span(scale, fault.t0, fault.t1, mid + 10, 12, `fault fault-${fault.kind}`, info));
      parts.push(
        sticky(
          scale,
          fault.t0,
          `<text x="3" y="${mid + 20}" class="fault-text">${esc(fault.label)}</text>`,
          fault.t1,
        ),
      );
    }
  }
  for (const link of model.links) {
    const mid = laneY(link.node);
    const what =
      link.state === 'sync'
        ? 'syncing (receiving or loading a snapshot)'
        : 'link to its master down';
    parts.push(
      span(
        scale,
        link.t0,
        link.t1,
        mid - 13,
        4,
        `link link-${link.state}`,
        `${link.node}: ${what}, ${seconds(link.t0)} - ${seconds(link.t1)} (sampled every 250 ms)`,
      ),
    );
  }
  for (const bgsave of model.bgsaves) {
    const mid = laneY(bgsave.node);
    const point = bgsave.offset === undefined ? '' : `; snapshot point: offset ${bgsave.offset}`;
    const info = `BGSAVE (${bgsave.by === 'sync' ? 'for a replica sync' : 'BGSAVE'}) on ${bgsave.node}\n${seconds(bgsave.t0)} - ${seconds(bgsave.t1)}${point}\n${bgsave.ok === undefined ? 'did not finish' : bgsave.ok ? 'finished with success' : 'failed'}`;
    parts.push(span(scale, bgsave.t0, bgsave.t1, mid - 22, 10, 'bgsave', info));
    parts.push(
      at(
        scale,
        bgsave.t0,
        `<path d="M0 ${mid - 24} v16" class="snapshot-point"/><text ${bgsave.t0 > scale.endMs * 0.85 ? 'x="-3" text-anchor="end"' : 'x="3"'} y="${mid - 25}" class="small">BGSAVE${bgsave.offset === undefined ? '' : ` @${bgsave.offset}`}</text>`,
        'ev',
        info,
      ),
    );
  }
  for (const mark of model.marks) {
    const glyph = MARK_GLYPHS[mark.kind];
    if (glyph === undefined) continue;
    const mid = laneY(mark.node);
    parts.push(
      at(
        scale,
        mark.time,
        `<text x="0" y="${mid + 5}" text-anchor="middle" class="glyph ${glyph.cls}">${glyph.glyph}</text>`,
        'ev mark',
        `${seconds(mark.time)} ${mark.node}: ${glyph.label}\n${mark.text}`,
      ),
    );
  }
  return panel('timeline', height, labels.join(''), parts.join(''), scale);
}

/**
 * A lane label for [t0, t1]: at t0, and when t0 is scrolled out of view, at the left edge for as
 * long as its interval is in view (the script reads `data-until`).
 */
export function sticky(scale: TimeScale, t0: number, content: string, t1: number): string {
  return at(scale, t0, content, 'label').replace(/^<g /, `<g data-until="${t1}" `);
}

/** One zoomable panel: a clip for the plot area, a time axis the script draws. */
export function panel(
  id: string,
  height: number,
  labels: string,
  content: string,
  scale: TimeScale,
  clip: { readonly y0: number; readonly y1: number } = { y0: 0, y1: height },
): string {
  return `<svg id="${id}" class="panel" viewBox="0 0 ${WIDTH} ${height}" data-end="${scale.endMs}" preserveAspectRatio="xMinYMin meet">
<defs><clipPath id="clip-${id}"><rect x="${LEFT}" y="${clip.y0}" width="${WIDTH - LEFT}" height="${clip.y1 - clip.y0}"/></clipPath></defs>
<g class="axis" data-height="${height}"></g>${labels}
<g clip-path="url(#clip-${id})" class="plot">${content}</g>
</svg>`;
}
