/**
 * report.html on disk: `writeReport` renders a run (report/page.ts) into its run folder, and
 * `readRunFolder` loads a folder's history.jsonl, events.jsonl and summary.json back, which is all
 * `replisim report <run-dir>` needs to rebuild the page. Any runner that writes a run folder (run
 * --out today; step and the chaos runner later) calls `writeReport(dir, input)`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents, parseOps } from '../history/jsonl.js';
import { type ReportInput, renderReport } from '../report/page.js';
import type { ReportSummary } from '../report/render-tables.js';

export const REPORT_FILE = 'report.html';

/** Writes DIR/report.html; returns its path. */
export function writeReport(dir: string, input: ReportInput): string {
  const path = join(dir, REPORT_FILE);
  writeFileSync(path, renderReport({ runDir: dir, ...input }));
  return path;
}

/** The report's input from a run folder; throws an Error naming what is missing or malformed. */
export function readRunFolder(dir: string): ReportInput {
  const file = (name: string): string => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`${path} does not exist: is ${dir} a run folder?`);
    return readFileSync(path, 'utf8');
  };
  const summary = JSON.parse(file('summary.json')) as ReportSummary;
  if (typeof summary.scenario !== 'string' || !Array.isArray(summary.findings)) {
    throw new Error(`${join(dir, 'summary.json')} is not a replisim run summary`);
  }
  return {
    ops: parseOps(file('history.jsonl')),
    events: parseEvents(file('events.jsonl')),
    summary,
    runDir: dir,
  };
}
