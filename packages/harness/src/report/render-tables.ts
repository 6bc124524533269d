/**
 * The report's text sections: the run's header (scenario, seed, verdict, how to replay and
 * rebuild), the expectations and checkers with their verdicts, the lost-write ledger, the replid
 * lineage, the syncs, and the notable events. Rows that point at a moment carry `data-goto`, so a
 * click zooms the panels there.
 */
import type { Finding } from '../checkers/finding.js';
import type { NodeEvent } from '../history/op.js';
import { timelineEvents } from '../run/timeline.js';
import type { LostWrite } from './lost-writes.js';
import type { RunModel } from './model.js';
import { bytesText, esc, seconds, shortId } from './svg.js';
import type { SyncSession } from './syncs.js';

/** What the report needs of a run's summary.json (cli/run-folder.ts writes a superset). */
export interface ReportSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly backend?: string;
  readonly verdict: string;
  readonly exitCode: number;
  readonly undecided?: string | null;
  readonly expectations: readonly { readonly ok: boolean; readonly line: string }[];
  readonly findings: readonly Finding[];
  readonly traceHash?: string;
  readonly durationMs?: number;
  readonly replay: string;
}

/** A ledger this short is shown open; a longer one is folded under its per-event summary. */
const LEDGER_ROWS_OPEN = 20;

/** Notable events listed at most (the panels still draw all of them). */
const EVENT_ROWS_MAX = 400;

export function renderHeader(summary: ReportSummary, runDir: string | undefined): string {
  const params = Object.entries(summary.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const rebuild = `npx replisim report ${runDir ?? '<run-dir>'}`;
  return `<header>
<h1>replisim · ${esc(summary.scenario)} <span class="verdict verdict-${esc(summary.verdict)}">${esc(summary.verdict.toUpperCase())} (exit ${summary.exitCode})</span></h1>
<p class="meta">seed <b>${summary.seed}</b>${params === '' ? '' : ` · ${esc(params)}`} · ${esc(summary.backend ?? 'sim')} backend${summary.durationMs === undefined ? '' : ` · ${seconds(summary.durationMs)} of ${summary.backend === 'sim' || summary.backend === undefined ? 'simulated ' : ''}time`}${summary.traceHash === undefined ? '' : ` · trace ${esc(summary.traceHash)}`}</p>
<p class="meta">Replay exactly: <code>${esc(summary.replay)}</code> · rebuild this page: <code>${esc(rebuild)}</code></p>
${summary.undecided ? `<p class="undecided">Undecided: ${esc(summary.undecided)}</p>` : ''}
</header>`;
}

export function renderVerdicts(summary: ReportSummary): string {
  const expectations = summary.expectations
    .map(
      (e) =>
        `<li class="${e.ok ? 'pass' : 'fail'}"><b>${e.ok ? 'PASS' : 'FAIL'}</b> ${esc(e.line)}</li>`,
    )
    .join('');
  const findings = summary.findings
    .filter((f) => f.checker !== 'lost-writes' || f.severity === 'held')
    .map(
      (f) =>
        `<li class="sev-${f.severity}"><b>${esc(f.severity.toUpperCase())}</b> ${esc(f.checker)} <span class="small">(${f.phase})</span>: ${esc(f.text)}</li>`,
    )
    .join('');
  return `<section id="verdicts"><h2>Expectations and checkers</h2>
<ul class="verdicts">${expectations || '<li>The scenario states no expectations.</li>'}</ul>
<ul class="verdicts">${findings}</ul></section>`;
}

/** Each lost acknowledged write, the event that destroyed it, and whether that was permitted. */
export function renderLedger(lost: readonly LostWrite[]): string {
  const rows = lost.map(({ finding, op, destroyer, permitted }) => {
    const write = op?.command?.join(' ') ?? finding.text.split(' was lost')[0] ?? '';
    return `<tr class="${finding.severity}" ${destroyer === undefined ? '' : `data-goto="${destroyer.time}"`}>
<td>${esc(write.length > 80 ? `${write.slice(0, 80)}…` : write)}</td><td>${op === undefined ? '' : `${esc(op.node)} at ${seconds(op.time)}`}</td>
<td>${destroyer === undefined ? 'none recorded' : `${esc(destroyer.kind)} of ${esc(destroyer.node)} at ${seconds(destroyer.time)}`}</td>
<td><b>${permitted ? 'permitted' : 'NOT permitted'}</b></td><td class="small">${esc(finding.text)}</td></tr>`;
  });
  // One line per destroying event first: a power loss can take hundreds of writes with it.
  const byDestroyer = new Map<string, { count: number; permitted: number }>();
  for (const { destroyer, permitted } of lost) {
    const key =
      destroyer === undefined
        ? 'no destroying event recorded'
        : `the ${destroyer.kind} of ${destroyer.node} at ${seconds(destroyer.time)}`;
    const entry = byDestroyer.get(key) ?? { count: 0, permitted: 0 };
    entry.count++;
    if (permitted) entry.permitted++;
    byDestroyer.set(key, entry);
  }
  const causes = [...byDestroyer]
    .map(
      ([cause, { count, permitted }]) =>
        `<li>${count} lost to ${esc(cause)}: ${permitted === count ? 'all permitted' : `<b class="fail">${count - permitted} NOT permitted</b>`}</li>`,
    )
    .join('');
  const table = `<table class="ledger"><thead><tr><th>write</th><th>acknowledged</th><th>destroyed by</th><th>verdict</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const body =
    rows.length === 0
      ? '<p>No acknowledged write was lost.</p>'
      : `<p>${rows.length} acknowledged write(s) lost (marked ◆ on their client's lane); click a row to zoom to the event that destroyed it.</p><ul>${causes}</ul><details${rows.length <= LEDGER_ROWS_OPEN ? ' open' : ''}><summary>every lost write</summary>${table}</details>`;
  return `<section id="ledger"><h2>Lost-write ledger</h2>${body}</section>`;
}

export function renderLineage(model: RunModel, colours: ReadonlyMap<string, string>): string {
  const items = model.lineage.map(
    (entry) =>
      `<li data-goto="${entry.time}"><span class="chip" style="background:${colours.get(entry.replid) ?? '#888'}"></span><code>${esc(shortId(entry.replid))}</code> ${esc(entry.replid)}: master ${esc(entry.node)} from ${seconds(entry.time)}${entry.continues === undefined ? '' : ` (promoted; continues the history of <code>${esc(shortId(entry.continues))}</code>, kept as its replid2)`}</li>`,
  );
  return `<section id="lineage"><h3>Replication IDs</h3><ul>${items.join('') || '<li>none sampled</li>'}</ul></section>`;
}

export function renderSyncTable(sessions: readonly SyncSession[]): string {
  const rows = sessions
    .filter((s) => s.reply !== undefined)
    .map((s) => {
      const reply = s.reply;
      const answer =
        reply?.kind === 'continue'
          ? `+CONTINUE${reply.backlogBytes === undefined ? '' : ` (${bytesText(reply.backlogBytes)} of backlog)`}`
          : `+FULLRESYNC ${shortId(reply?.replid ?? '')} ${reply?.offset ?? ''}${s.refused === undefined ? ' ' : ' (after PSYNC was refused)'}`;
      const transfer =
        s.transfer === undefined
          ? ''
          : `${s.transfer.bytes === undefined ? '?' : bytesText(s.transfer.bytes)}${s.transfer.diskless ? ' diskless' : ''}`;
      const stream =
        s.stream === undefined
          ? ''
          : `${seconds(s.stream.t0)} - ${seconds(s.stream.t1)}${s.stream.end === undefined ? '' : ` (${esc(s.stream.end.kind)})`}`;
      return `<tr data-goto="${reply?.tRecv ?? s.tRequest}"><td>${seconds(s.tRequest)}</td><td>${esc(s.replica)}</td><td>${esc(s.master ?? '')}</td><td><code>${esc(s.request)}</code></td><td>${esc(answer)}</td><td>${esc(transfer)}</td><td>${stream}</td></tr>`;
    });
  const failed = sessions.filter((s) => s.reply === undefined).length;
  if (rows.length === 0 && failed === 0) {
    return '<section id="syncs"><h3>Syncs</h3><p>No replica synced in this run.</p></section>';
  }
  return `<section id="syncs"><h3>Syncs</h3><table><thead><tr><th>asked</th><th>replica</th><th>master</th><th>request</th><th>answer</th><th>snapshot</th><th>stream</th></tr></thead><tbody>${rows.join('')}</tbody></table>${failed > 0 ? `<p class="small">${failed} attempt(s) got no answer (the master was unreachable).</p>` : ''}</section>`;
}

export function renderEventList(events: readonly NodeEvent[]): string {
  const shown = timelineEvents(events, false);
  const rows = shown
    .slice(0, EVENT_ROWS_MAX)
    .map(
      (e) =>
        `<tr data-goto="${e.time}" class="kind-${esc(e.kind)}"><td>${seconds(e.time)}</td><td>${esc(e.node)}</td><td>${esc(e.kind)}</td><td>${esc(e.text)}</td></tr>`,
    );
  const more =
    shown.length > EVENT_ROWS_MAX
      ? `<p class="small">${shown.length - EVENT_ROWS_MAX} more in events.jsonl.</p>`
      : '';
  return `<section id="events"><h2>Events</h2><p class="small">Narration, faults and replication milestones; click a row to zoom there.</p><table class="events"><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}
