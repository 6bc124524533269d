/**
 * The run folder: everything a run leaves for offline tools and for `replisim report`.
 *   history.jsonl   client operations, one JSON object per line (history/op.ts: Jepsen's shape)
 *   events.jsonl    node events, one per line, sharing the ops' `index`
 *   summary.json    seed, params, backend, verdict, expectations, findings, trace hash
 *   logs/<node>.log each node's full log
 *   report.html     the run drawn as one self-contained page (report/)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonLines } from '../history/jsonl.js';
import type { RunResult } from '../run/run-scenario.js';
import { writeReport } from './report-file.js';

export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly backend: string;
  readonly verdict: string;
  readonly exitCode: number;
  readonly undecided: string | null;
  readonly expectations: RunResult['expectations'];
  readonly findings: RunResult['findings'];
  readonly traceHash: string;
  readonly durationMs: number;
  readonly ops: number;
  readonly events: number;
  readonly replay: string;
}

export function summaryOf(result: RunResult, replay: string): RunSummary {
  return {
    scenario: result.scenario,
    seed: result.seed,
    params: result.params,
    backend: result.backend,
    verdict: result.verdict,
    exitCode: result.exitCode,
    undecided: result.undecided ?? null,
    expectations: result.expectations,
    findings: result.findings,
    traceHash: result.traceHash,
    durationMs: result.durationMs,
    ops: result.ops.length,
    events: result.events.length,
    replay,
  };
}

export function writeRunFolder(dir: string, result: RunResult, replay: string): void {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'history.jsonl'), toJsonLines(result.ops));
  writeFileSync(join(dir, 'events.jsonl'), toJsonLines(result.events));
  writeFileSync(
    join(dir, 'summary.json'),
    `${JSON.stringify(summaryOf(result, replay), null, 2)}\n`,
  );
  for (const [node, lines] of Object.entries(result.nodeLogs)) {
    writeFileSync(join(dir, 'logs', `${node}.log`), lines.map((line) => `${line}\n`).join(''));
  }
  writeReport(dir, { ops: result.ops, events: result.events, summary: summaryOf(result, replay) });
}
