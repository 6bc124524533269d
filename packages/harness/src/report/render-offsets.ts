/**
 * The offset plot: each node's replication offset over time (one colour per node), with the
 * master's backlog window shaded. While a disconnected replica's line stays inside the shade, a
 * PSYNC from it would be answered +CONTINUE; the moment the shade's lower edge passes it is marked,
 * because from then on only a full resync can bring the replica back. Faults are shaded in the
 * background, and each sync answer is marked where the replica's line resumes.
 */
import type { RunModel } from './model.js';
import type { OffsetSeries } from './offsets.js';
import { panel } from './render-timeline.js';
import {
  at,
  colour,
  esc,
  LEFT,
  line,
  poly,
  round,
  seconds,
  span,
  type TimeScale,
  text,
  WIDTH,
} from './svg.js';
import type { SyncSession } from './syncs.js';

const HEIGHT = 300;
const TOP = 24;
const BOTTOM = 30;

export function renderOffsets(
  model: RunModel,
  series: OffsetSeries,
  sessions: readonly SyncSession[],
  scale: TimeScale,
): string {
  const max = Math.max(1, series.offsetMax) * 1.05;
  const y = (offset: number): number => TOP + (1 - offset / max) * (HEIGHT - TOP - BOTTOM);
  const labels: string[] = [];
  const parts: string[] = [];
  // The y axis: the script redraws it for the offsets in view when the reader zooms.
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const offset = Math.round((max / 4) * i);
    ticks.push(text(LEFT - 8, y(offset) + 4, String(offset), 'y-tick'));
    ticks.push(
      `<line x1="${LEFT}" x2="${WIDTH}" y1="${round(y(offset))}" y2="${round(y(offset))}" class="grid"/>`,
    );
  }
  labels.push(
    `<g class="yaxis" data-top="${TOP}" data-bottom="${HEIGHT - BOTTOM}">${ticks.join('')}</g>`,
  );
  labels.push(text(10, TOP - 8, 'replication offset', 'small'));
  for (const fault of model.faults) {
    if (fault.t1 > fault.t0) {
      parts.push(
        span(scale, fault.t0, fault.t1, TOP, HEIGHT - TOP - BOTTOM, 'fault-bg', fault.label),
      );
    }
  }
  // The backlog window: one polygon per run of consecutive samples of the same master.
  const runs: (typeof series.backlog)[number][][] = [];
  for (const point of series.backlog) {
    const last = runs.at(-1);
    const previous = last?.at(-1);
    if (last !== undefined && previous?.node === point.node) last.push(point);
    else runs.push([point]);
  }
  for (const run of runs) {
    const first = run[0];
    if (first === undefined) continue;
    const upper = run.map((p) => [p.t, p.end] as const);
    const lower = [...run].reverse().map((p) => [p.t, p.first] as const);
    const last = run.at(-1) ?? first;
    parts.push(
      offsetPoly(
        scale,
        y,
        [...upper, ...lower],
        'backlog',
        true,
        `${first.node}'s replication backlog, ${seconds(first.t)} - ${seconds(last.t)}: the offsets a PSYNC can resume from (repl_backlog_first_byte_offset to master_repl_offset + 1); at the end [${last.first}, ${last.end}]`,
      ),
    );
  }
  model.lanes.forEach((node, index) => {
    for (const points of series.lines.get(node) ?? []) {
      const stepped: (readonly [number, number])[] = [];
      for (const point of points) {
        const previous = stepped.at(-1);
        if (previous !== undefined) stepped.push([point.t, previous[1]]);
        stepped.push([point.t, point.offset]);
      }
      const last = points.at(-1);
      parts.push(
        offsetPoly(
          scale,
          y,
          stepped,
          'offset-line',
          false,
          `${node}'s offset: ${points[0]?.offset ?? 0} at ${seconds(points[0]?.t ?? 0)} → ${last?.offset ?? 0} at ${seconds(last?.t ?? 0)}`,
        ).replace(
          'class="offset-line"',
          `class="offset-line" style="stroke:${colour(index)};stroke-width:${Math.max(1.5, 5 - index * 1.5)}"`,
        ),
      );
    }
    labels.push(
      `${text(10 + index * 130, HEIGHT - 6, `— ${node}`, 'legend').replace('class="legend"', `class="legend" style="fill:${colour(index)}"`)}`,
    );
  });
  labels.push(
    text(10 + model.lanes.length * 130, HEIGHT - 6, '▇ backlog window', 'legend legend-backlog'),
  );
  for (const session of sessions) {
    const reply = session.reply;
    if (reply === undefined) continue;
    const offset = reply.offset ?? session.stream?.offset0;
    if (offset === undefined) continue;
    parts.push(
      atOffset(
        scale,
        y,
        reply.tRecv,
        offset,
        `<circle cx="0" cy="0" r="4" class="sync-dot sync-dot-${reply.kind}"/><text x="6" y="14" class="small">${reply.kind === 'fullresync' ? 'FULLRESYNC' : 'CONTINUE'}</text>`,
        `${seconds(reply.tRecv)} ${session.replica}: ${reply.kind === 'fullresync' ? `+FULLRESYNC at offset ${offset}` : `+CONTINUE from offset ${offset}`}`,
      ),
    );
  }
  for (const lost of series.psyncLost) {
    const info = `${seconds(lost.t)}: the backlog now starts at ${lost.first}, past ${lost.replica}'s next offset ${lost.wanted}. From here a PSYNC from ${lost.replica} will be refused: only a full resync can bring it back.`;
    parts.push(line(scale, lost.t, TOP, lost.t, HEIGHT - BOTTOM, 'psync-lost', info));
    parts.push(
      atOffset(
        scale,
        y,
        lost.t,
        lost.wanted,
        `<text x="4" y="-6" class="psync-lost-label">${esc(`${lost.replica}: partial resync no longer possible`)}</text>`,
        info,
      ),
    );
  }
  return panel('offsets', HEIGHT, labels.join(''), parts.join(''), scale, {
    y0: TOP - 4,
    y1: HEIGHT - BOTTOM + 4,
  });
}

/**
 * A polyline or polygon through (t, offset) points: `data-o` tells the script that the second
 * coordinate is an offset, so it can rescale the y axis to the offsets in view.
 */
function offsetPoly(
  scale: TimeScale,
  y: (offset: number) => number,
  points: readonly (readonly [number, number])[],
  cls: string,
  closed: boolean,
  info: string,
): string {
  const drawn = points.map(([t, offset]) => [t, y(offset)] as const);
  return poly(scale, drawn, cls, closed, info).replace(
    / data-p="[^"]*"/,
    ` data-o="1" data-p="${points.map(([t, offset]) => `${t},${offset}`).join(' ')}"`,
  );
}

/** A group at (t, offset), its content drawn around (0, 0). */
function atOffset(
  scale: TimeScale,
  y: (offset: number) => number,
  t: number,
  offset: number,
  content: string,
  info: string,
): string {
  return at(scale, t, content, 'ev', info)
    .replace(
      /^<g transform="translate\(([^,]+),0\)"/,
      `<g transform="translate($1,${round(y(offset))})"`,
    )
    .replace(/^<g /, `<g data-o="${offset}" `);
}
