/**
 * The shapes of a run's history: client operations and node events on one timeline.
 *
 * Operations follow Jepsen's history format so offline tools can read them: every client operation
 * is recorded twice, once as `invoke` when the request goes out and once with its completion:
 * - `ok`: the node acknowledged it (it happened);
 * - `fail`: the node refused it with an error reply (it definitely did not happen);
 * - `info`: no reply came (timeout, connection lost, crash): it may or may not have happened.
 * `process` is the client, `f` the operation's function, `value` its argument or result.
 *
 * Node events (a BGSAVE starting, a FULLRESYNC, a crash, a partition) share the same `index` counter,
 * so "this write was acknowledged before that BGSAVE started" is a comparison of two integers. In the
 * simulator the index order is the exact order things happened; on real processes it is the order
 * the harness observed them.
 *
 * Checkers and reports read only these records, never a node's internals, so the same checker judges
 * a simulated run and a run of real redis-server processes.
 */

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/**
 * What an operation does, for checkers:
 * - write/del/incr: a register write (`value` is the value written; for incr the new value on ok);
 * - read: a register read (`value` the value read, null for a missing key);
 * - read-all: a read of a whole dataset (`value` maps key to value);
 * - wait: WAIT n t (`value` on ok is how many replicas acknowledged);
 * - txn: a MULTI/EXEC transaction of the list-append workload (`value` is its micro-ops, MicroOp:
 *   on invoke the appends and the reads still unread, on ok the lengths RPUSH returned and the
 *   lists LRANGE read);
 * - admin: anything else (BGSAVE, SAVE, REPLICAOF...), recorded for the timeline only.
 */
export type OpFunction = 'write' | 'del' | 'incr' | 'read' | 'read-all' | 'wait' | 'txn' | 'admin';

/**
 * One micro-operation of a list-append transaction, as Jepsen's list-append workload writes them:
 * `append` is RPUSH key value (`length`: the list's length after the push, on ok), `r` is
 * LRANGE key 0 -1 (`value`: the list read, on ok; null on invoke).
 */
export type MicroOp =
  | { readonly f: 'append'; readonly key: string; readonly value: string; readonly length?: number }
  | { readonly f: 'r'; readonly key: string; readonly value: readonly string[] | null };

export type OpValue =
  | string
  | number
  | null
  | Readonly<Record<string, string>>
  | readonly MicroOp[];

export interface Op {
  /** Position on the run's single timeline (shared with node events); starts at 0. */
  readonly index: number;
  readonly type: OpType;
  readonly f: OpFunction;
  /** The client that issued it (one client = one connection = one process, as in Jepsen). */
  readonly process: number;
  /** The node the client talks to. */
  readonly node: string;
  /** Milliseconds since the run started (virtual time in the simulator). */
  readonly time: number;
  /** The key, for register operations. */
  readonly key?: string;
  readonly value?: OpValue;
  /** The command as sent, on `invoke` (bulk arguments abbreviated past 64 bytes). */
  readonly command?: readonly string[];
  /** The error reply on `fail`, or why the outcome is unknown on `info`. */
  readonly error?: string;
}

/**
 * The kinds of node event. Most come from the node's log lines (log-events.ts), which real
 * redis-server writes too; faults come from the harness itself. The data each carries:
 * - boot: `address` (host:port, so a master's log lines naming a replica by address map to a node);
 * - bgsave-start: `by` (bgsave | sync), `target` (disk | socket), `offset` (the snapshot point);
 * - bgsave-end: `ok`; load: `keys`; rename: `path`, `target`, `bytes` (the file's size);
 * - sync-request (a PSYNC or SYNC arrived; `full` when it asked for a full sync), replica-online,
 *   psync-refused (`requested` for lack of backlog; `reason` for a replid or offset mismatch, whose
 *   Redis line names no replica), continue on the master (`bytes`, `from`): `replica` (its
 *   address); psync and fullresync on the replica: `replid`, `offset`;
 * - transfer-start: `bytes` (disk payload) or `streamed` (diskless, size unknown until the end);
 * - state: `role`, `replid`, `offset`, `serving`, `digest`, `final` (the liveness phase's last);
 * - offset: the periodic sample of cluster/offset-sample.ts (offset, the master's backlog window,
 *   acknowledged offsets, a replica's link), recorded only when it changed;
 * - fault: `fault` (the verb) and its arguments (`a`, `b`, ...); heal undoes one.
 */
export type NodeEventKind =
  | 'boot'
  | 'ready'
  | 'load'
  | 'bgsave-start'
  | 'bgsave-end'
  | 'save'
  | 'rename'
  | 'fsync-dir'
  | 'sync-request'
  | 'psync'
  | 'sync-attach'
  | 'sync-wait'
  | 'fullresync'
  | 'continue'
  | 'psync-refused'
  | 'transfer-start'
  | 'transfer-end'
  | 'replica-online'
  | 'link-up'
  | 'link-down'
  | 'replid-change'
  | 'state'
  | 'offset'
  | 'crash'
  | 'kill'
  | 'restart'
  | 'shutdown'
  | 'pause'
  | 'resume'
  | 'fault'
  | 'heal'
  | 'failover'
  | 'note';

export type EventData = Readonly<Record<string, string | number | boolean>>;

export interface NodeEvent {
  readonly index: number;
  /** Milliseconds since the run started. */
  readonly time: number;
  /** The node it happened on, or `cluster` for faults that span nodes, or `narrator`. */
  readonly node: string;
  readonly kind: NodeEventKind;
  /** One human line: the log message, or what the fault did. */
  readonly text: string;
  readonly data?: EventData;
}

/** Every record of a run, in index order: what the JSON lines files hold. */
export type HistoryRecord = Op | NodeEvent;

export function isOp(record: HistoryRecord): record is Op {
  return 'type' in record;
}
