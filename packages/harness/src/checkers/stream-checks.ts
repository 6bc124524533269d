/**
 * Replication stream checks over the `state` samples (cluster.sample()):
 * - offsets never go back: within one incarnation of a node and one replid, master_repl_offset only
 *   grows (a restart, a full resync or a promotion starts a new account);
 * - stream prefix: two samples with the same replid and offset hold the same dataset (DEBUG DIGEST),
 *   whichever nodes they come from: a replica's applied stream is a prefix of its master's, so at
 *   the same offset of the same history it holds the same data.
 */
import type { NodeEvent } from '../history/op.js';
import type { Finding } from './finding.js';

export const OFFSETS = 'offsets-monotonic';
export const STREAM_PREFIX = 'stream-prefix';

const RESETS = new Set(['crash', 'kill', 'restart', 'shutdown', 'fullresync', 'failover']);

export function checkOffsets(events: readonly NodeEvent[]): Finding[] {
  const last = new Map<string, { replid: string; offset: number; index: number }>();
  const findings: Finding[] = [];
  let samples = 0;
  for (const event of events) {
    if (RESETS.has(event.kind)) last.delete(event.node);
    if (event.kind !== 'state') continue;
    samples++;
    const replid = String(event.data?.['replid'] ?? '');
    const offset = Number(event.data?.['offset'] ?? 0);
    const previous = last.get(event.node);
    if (previous !== undefined && previous.replid === replid && offset < previous.offset) {
      findings.push({
        checker: OFFSETS,
        severity: 'violation',
        phase: 'safety',
        text: `${event.node}'s offset went back from ${previous.offset} to ${offset} within replid ${replid}`,
        events: [previous.index, event.index],
      });
    }
    last.set(event.node, { replid, offset, index: event.index });
  }
  if (findings.length === 0 && samples > 0) {
    findings.push({
      checker: OFFSETS,
      severity: 'held',
      phase: 'safety',
      text: `offsets never went back in ${samples} samples`,
    });
  }
  return findings;
}

export function checkStreamPrefix(events: readonly NodeEvent[]): Finding[] {
  const seen = new Map<string, NodeEvent>();
  const findings: Finding[] = [];
  let compared = 0;
  for (const event of events) {
    if (event.kind !== 'state' || event.data?.['digest'] === undefined) continue;
    const key = `${String(event.data['replid'])}:${String(event.data['offset'])}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, event);
      continue;
    }
    compared++;
    if (first.data?.['digest'] !== event.data['digest']) {
      findings.push({
        checker: STREAM_PREFIX,
        severity: 'violation',
        phase: 'safety',
        text: `${first.node} and ${event.node} are both at ${key} but hold different datasets (digest ${String(first.data?.['digest']).slice(0, 12)} vs ${String(event.data['digest']).slice(0, 12)})`,
        events: [first.index, event.index],
      });
    }
  }
  if (findings.length === 0 && compared > 0) {
    findings.push({
      checker: STREAM_PREFIX,
      severity: 'held',
      phase: 'safety',
      text: `${compared} samples at a shared replid:offset held the same dataset`,
    });
  }
  return findings;
}
