/**
 * Node events from log lines. Redis narrates its replication and persistence in its log, and
 * replisim writes the same lines, so one table turns either's log into timeline events: a BGSAVE
 * starting, a FULLRESYNC, a partial resync, a lost link. Lines not in the table are not events
 * (the run folder keeps every line in its node log).
 */
import type { EventData, NodeEventKind } from '../history/op.js';

interface LogRule {
  readonly pattern: RegExp;
  readonly kind: NodeEventKind;
  /** Data taken from the match. */
  readonly data?: (match: RegExpExecArray) => EventData;
}

const RULES: readonly LogRule[] = [
  {
    pattern: /^Background saving started by pid/,
    kind: 'bgsave-start',
    data: () => ({ by: 'bgsave' }),
  },
  {
    pattern: /^Starting BGSAVE for SYNC with target: (disk|replicas sockets)/,
    kind: 'bgsave-start',
    data: (m) => ({ by: 'sync', target: m[1] === 'disk' ? 'disk' : 'socket' }),
  },
  {
    pattern: /^Background saving terminated with success/,
    kind: 'bgsave-end',
    data: () => ({ ok: true }),
  },
  { pattern: /^Background saving error/, kind: 'bgsave-end', data: () => ({ ok: false }) },
  {
    pattern: /^Background RDB transfer terminated with success/,
    kind: 'bgsave-end',
    data: () => ({ ok: true, target: 'socket' }),
  },
  {
    pattern: /^Background transfer error/,
    kind: 'bgsave-end',
    data: () => ({ ok: false, target: 'socket' }),
  },
  { pattern: /^DB saved on disk$/, kind: 'save' },
  { pattern: /^DB loaded from disk/, kind: 'load' },
  {
    pattern: /^Done loading RDB, keys loaded: (\d+)/,
    kind: 'load',
    data: (m) => ({ keys: Number(m[1]) }),
  },
  { pattern: /^Ready to accept connections/, kind: 'ready' },
  { pattern: /^Waiting for end of BGSAVE for SYNC/, kind: 'sync-attach' },
  { pattern: /Waiting for next BGSAVE for SYNC/, kind: 'sync-wait' },
  {
    pattern: /^Replica (\S+) asks for synchronization/,
    kind: 'sync-request',
    data: (m) => ({ replica: m[1] ?? '' }),
  },
  {
    pattern: /^Full resync requested by replica (\S+)/,
    kind: 'sync-request',
    data: (m) => ({ replica: m[1] ?? '', full: true }),
  },
  {
    pattern: /^Partial resynchronization not accepted: (.*)/,
    kind: 'psync-refused',
    data: (m) => ({ reason: m[1] ?? '' }),
  },
  {
    pattern:
      /^Partial resynchronization request from (\S+) accepted\. Sending (\d+) bytes of backlog starting from offset (\d+)/,
    kind: 'continue',
    data: (m) => ({ replica: m[1] ?? '', bytes: Number(m[2]), from: Number(m[3]) }),
  },
  {
    pattern:
      /^Unable to partial resync with replica (\S+) for lack of backlog \(Replica request was: (\d+)\)/,
    kind: 'psync-refused',
    data: (m) => ({ replica: m[1] ?? '', requested: Number(m[2]) }),
  },
  {
    pattern: /^Full resync from master: (\w+):(\d+)/,
    kind: 'fullresync',
    data: (m) => ({ replid: m[1] ?? '', offset: Number(m[2]) }),
  },
  { pattern: /^Successful partial resynchronization with master/, kind: 'continue' },
  {
    pattern: /^Trying a partial resynchronization \(request (\w+):(\d+)\)/,
    kind: 'psync',
    data: (m) => ({ replid: m[1] ?? '', offset: Number(m[2]) }),
  },
  {
    pattern: /^MASTER <-> REPLICA sync: receiving (?:(\d+) bytes|streamed RDB)/,
    kind: 'transfer-start',
    data: (m) => (m[1] === undefined ? { streamed: true } : { bytes: Number(m[1]) }),
  },
  { pattern: /^MASTER <-> REPLICA sync: Finished with success/, kind: 'transfer-end' },
  {
    pattern: /^Synchronization with replica (\S+) succeeded/,
    kind: 'replica-online',
    data: (m) => ({ replica: m[1] ?? '' }),
  },
  { pattern: /^MASTER <-> REPLICA sync started/, kind: 'link-up' },
  { pattern: /^(Connection with master lost|MASTER timeout)/, kind: 'link-down' },
  {
    pattern:
      /^(?:Connection with replica (\S+) lost|Disconnecting timedout replica \([^)]*\): (\S+))/,
    kind: 'link-down',
    data: (m) => ({ replica: (m[1] ?? m[2] ?? '').replace(/\.$/, '') }),
  },
  {
    pattern: /^Master replication ID changed to (\w+)/,
    kind: 'replid-change',
    data: (m) => ({ replid: m[1] ?? '' }),
  },
  { pattern: /^MASTER MODE enabled/, kind: 'replid-change' },
];

/** `<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <mark> ` before the message of a Redis log line. */
const LOG_PREFIX = /^\d+:[A-Z] \d\d \w{3} \d{4} [\d:.]+ . /;

/** The message of a log line, without Redis's prefix (and only its first line). */
export function logMessage(line: string): string {
  return line.replace(LOG_PREFIX, '').split('\n')[0] ?? '';
}

export interface LogEvent {
  readonly kind: NodeEventKind;
  readonly message: string;
  readonly data?: EventData;
}

/** The event a log line stands for, or undefined. */
export function eventOfLogLine(line: string): LogEvent | undefined {
  const message = logMessage(line);
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match === null) continue;
    const data = rule.data?.(match);
    return data === undefined ? { kind: rule.kind, message } : { kind: rule.kind, message, data };
  }
  return undefined;
}
