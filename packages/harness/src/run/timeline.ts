/**
 * The terminal timeline: the run's story as the reader follows it, one line per narration, fault and
 * notable node event, at its (simulated) time. Which node events are notable is a fixed set (the
 * replication and persistence milestones); `verbose` shows every event but the periodic offset
 * samples, which only the report's plot needs.
 */
import type { NodeEvent } from '../history/op.js';

/** Node events shown without --verbose. */
const NOTABLE = new Set<string>([
  'note',
  'crash',
  'kill',
  'restart',
  'shutdown',
  'pause',
  'resume',
  'fault',
  'heal',
  'failover',
  'bgsave-start',
  'bgsave-end',
  'fullresync',
  'continue',
  'psync',
  'psync-refused',
  'replica-online',
  'transfer-end',
  'link-down',
  'load',
]);

export function timelineEvents(events: readonly NodeEvent[], verbose: boolean): NodeEvent[] {
  return events.filter((event) => event.kind !== 'offset' && (verbose || NOTABLE.has(event.kind)));
}

/** One line per event: `  1.234s  actor   text`, continuation lines indented under the text. */
export function renderTimeline(events: readonly NodeEvent[], verbose = false): string {
  const shown = timelineEvents(events, verbose);
  const actorWidth = Math.max(6, ...shown.map((event) => event.node.length));
  return shown
    .map((event) => {
      const time = `${(event.time / 1000).toFixed(3)}s`.padStart(9);
      const text = event.kind === 'note' ? event.text : describe(event);
      const [first, ...rest] = text.split('\n');
      const indent = ' '.repeat(9 + 2 + actorWidth + 2);
      return [
        `${time}  ${event.node.padEnd(actorWidth)}  ${first}`,
        ...rest.map((line) => indent + line),
      ].join('\n');
    })
    .join('\n');
}

function describe(event: NodeEvent): string {
  switch (event.kind) {
    case 'crash':
    case 'kill':
    case 'restart':
    case 'shutdown':
    case 'pause':
    case 'resume':
    case 'fault':
    case 'heal':
    case 'failover':
      return `** ${event.text}`;
    case 'bgsave-start':
      return `log: ${event.text}${event.data?.['offset'] === undefined ? '' : ` (snapshot point: offset ${String(event.data['offset'])})`}`;
    default:
      return `log: ${event.text}`;
  }
}
