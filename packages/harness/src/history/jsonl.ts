/**
 * Histories as JSON lines: one record per line, as Jepsen and most offline checkers read them.
 * `history.jsonl` holds the client operations, `events.jsonl` the node events; both carry the shared
 * `index`, so merging them by index restores the single timeline.
 */
import type { HistoryRecord, NodeEvent, Op } from './op.js';

export function toJsonLines(records: readonly HistoryRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/** Parses JSON lines; blank lines are skipped, a malformed one is an error naming its line. */
export function fromJsonLines<T extends HistoryRecord>(text: string, what: string): T[] {
  const records: T[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as T);
    } catch (error) {
      throw new Error(`${what}:${index + 1}: not JSON: ${(error as Error).message}`);
    }
  });
  return records;
}

export function parseOps(text: string): Op[] {
  return fromJsonLines<Op>(text, 'history.jsonl');
}

export function parseEvents(text: string): NodeEvent[] {
  return fromJsonLines<NodeEvent>(text, 'events.jsonl');
}
