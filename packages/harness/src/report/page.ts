/**
 * report.html: one self-contained page (inline CSS, SVG and script; no network) built from a run's
 * records and summary. `renderReport` is pure (data in, HTML out), so `replisim run --out`,
 * `replisim report <run-dir>`, and any later runner (step, chaos) produce the same page from the
 * same run; cli/report-file.ts does the file reading and writing.
 *
 * Sections, top to bottom: the header (seed, verdict, replay and rebuild commands), the three
 * zoomable panels sharing one time axis (timeline, message diagram, offsets with the backlog
 * window), the details box, the expectations and checkers, the lost-write ledger, the replid
 * lineage, the syncs and the notable events.
 */
import type { NodeEvent, Op } from '../history/op.js';
import { buildClientLanes } from './client-ops.js';
import { lostWritesOf } from './lost-writes.js';
import { buildRunModel } from './model.js';
import { buildOffsetSeries } from './offsets.js';
import { MARKERS, renderMessages } from './render-messages.js';
import { renderOffsets } from './render-offsets.js';
import {
  type ReportSummary,
  renderEventList,
  renderHeader,
  renderLedger,
  renderLineage,
  renderSyncTable,
  renderVerdicts,
} from './render-tables.js';
import { renderTimeline, replidColours } from './render-timeline.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';
import { esc, TimeScale } from './svg.js';
import { buildSyncSessions } from './syncs.js';

export interface ReportInput {
  readonly ops: readonly Op[];
  readonly events: readonly NodeEvent[];
  readonly summary: ReportSummary;
  /** The run folder as the user named it, for the rebuild command shown in the header. */
  readonly runDir?: string;
}

const LEGEND = `<p class="legend-row">
<span class="key key-psync"></span>PSYNC request
<span class="key key-fullresync"></span>+FULLRESYNC
<span class="key key-continue"></span>+CONTINUE
<span class="key key-keepalive"></span>waiting for a BGSAVE (keepalives)
<span class="key key-transfer"></span>snapshot transfer (RDB)
<span class="key key-buffered"></span>writes buffered for the replica
<span class="key key-stream"></span>stream (ticks: REPLCONF ACK)
<span class="key-glyph">✕</span>link lost
<span class="key key-op-ok"></span><span class="key key-op-fail"></span><span class="key key-op-info"></span>client op ok / fail / unknown
</p>`;

export function renderReport(input: ReportInput): string {
  const { ops, events, summary } = input;
  const lastTime = Math.max(0, ...events.map((event) => event.time), ...ops.map((op) => op.time));
  const endMs = Math.max(lastTime, summary.durationMs ?? 0, 1);
  const scale = new TimeScale(endMs);
  const model = buildRunModel(events, endMs);
  const sessions = buildSyncSessions(events, model);
  const offsets = buildOffsetSeries(events, model.lanes, model.up, sessions);
  const clients = buildClientLanes(ops, endMs);
  const colours = replidColours(model);
  const lost = lostWritesOf(summary.findings, ops, events);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>replisim report · ${esc(summary.scenario)} · seed ${summary.seed}</title>
<style>${STYLE}</style></head>
<body>
${MARKERS}
${renderHeader(summary, input.runDir)}
<nav class="toolbar"><button id="zoom-in" type="button">zoom in (+)</button><button id="zoom-out" type="button">zoom out (−)</button><button id="zoom-reset" type="button">whole run (0)</button>
<span id="zoom-level"></span><span class="hint">Ctrl + wheel zooms at the pointer · drag or scroll sideways to pan · click anything for details</span></nav>
<main id="panels">
<h2>Timeline <span class="small">role and replid per node, BGSAVEs with their snapshot points, faults</span></h2>
${renderTimeline(model, scale)}
<h2>Replication links and clients <span class="small">PSYNC, +FULLRESYNC / +CONTINUE, snapshot transfer, stream with ACKs; client operations</span></h2>
${renderMessages(model, sessions, clients, lost, scale)}
${LEGEND}
<h2>Offsets <span class="small">each node's replication offset; shaded: the master's backlog, the offsets a PSYNC can resume from</span></h2>
${renderOffsets(model, offsets, sessions, scale)}
</main>
<aside id="details" aria-live="polite" title="click to close"></aside>
${renderVerdicts(summary)}
${renderLedger(lost)}
<section class="two">${renderLineage(model, colours)}${renderSyncTable(sessions)}</section>
${renderEventList(events)}
<footer>Built by replisim from history.jsonl, events.jsonl and summary.json.</footer>
<script>${SCRIPT}</script>
</body></html>
`;
}
