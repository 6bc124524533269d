/**
 * What a replica link needs from the node it belongs to. The link (link.ts) owns the connection to
 * the master and the handshake, transfer and stream state machine; everything that touches the
 * dataset or the node's replication history goes through this interface, which the server
 * implements (packages/server/src/replication/replica-host.ts) and tests fake.
 *
 * The split follows Redis's replication.c: the link is syncWithMaster / readSyncBulkPayload /
 * the master client's read side; the host is what those functions do to `server` (emptyData,
 * rdbLoad, replid and offset bookkeeping, the backlog, sub-replicas, the cached master).
 */
import type { Env } from '@replisim/base';
import type { PayloadSink } from './payload.js';

export type ReplicaLogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

/** The node's settings the link reads at each connection attempt (so CONFIG SET applies next time). */
export interface ReplicaSettings {
  /** masterauth: sent as AUTH [masteruser] masterauth when not empty. */
  readonly masterauth: string;
  readonly masteruser: string;
  /** REPLCONF listening-port: the port this node serves on. */
  readonly listeningPort: number;
  /** replica-announce-ip: sent as REPLCONF ip-address when not empty. */
  readonly announceIp: string;
  /** repl-timeout in ms: no I/O for this long in any stage drops the link. */
  readonly replTimeoutMs: number;
  /** Where the temp file of a full sync goes (`dir`). */
  readonly dir: string;
  /** The process id in the temp file's name (temp-<unixtime>.<pid>.rdb). */
  readonly pid: number;
}

/** Where the node is in a replication history: PSYNC <replid> <offset + 1>. */
export interface PsyncPosition {
  readonly replid: string;
  /** The offset of the last byte applied. */
  readonly offset: number;
}

export type InstallResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

export interface ReplicaHost {
  readonly env: Env;
  log(level: ReplicaLogLevel, message: string): void;
  settings(): ReplicaSettings;
  /**
   * The cached master (Redis's server.cached_master): the history and offset a PSYNC can ask to
   * continue, or undefined for `PSYNC ? -1` (never synced, or a full sync was started since).
   */
  psyncPosition(): PsyncPosition | undefined;
  /**
   * +FULLRESYNC <replid> <offset> arrived (replid undefined and offset -1 after a plain SYNC): the
   * cached master is discarded; the old data stays served until the payload is complete.
   */
  fullSyncStarting(replid: string | undefined, offset: number): void;
  /**
   * repl-diskless-load: a sink that loads the payload as it arrives from the socket (on-empty-db
   * with no keys, or swapdb), or undefined to receive it into a temp file (installSnapshot).
   * Its `finish` does everything installSnapshot does after the load.
   */
  disklessLoad(): PayloadSink | undefined;
  /**
   * The payload is complete in `tempPath` (fsynced): flush the old data, rename it over
   * dbfilename, load it keeping expired keys, adopt the master's replid and offset, clear replid2,
   * create a fresh backlog and disconnect sub-replicas. `done` runs once, in a later event.
   */
  installSnapshot(tempPath: string, done: (result: InstallResult) => void): void;
  /**
   * +CONTINUE [newReplid]: the cached master is resurrected. If the master's id differs from ours,
   * shift (replid2 = old id up to offset + 1, adopt the new one) and disconnect sub-replicas.
   */
  continued(newReplid: string | undefined): void;
  /**
   * Runs one command of the stream as the master client; its reply is discarded. False when a
   * CLIENT PAUSE postponed it: the link holds the stream until the host calls `resumeStream`.
   */
  apply(argv: readonly Buffer[]): boolean;
  /**
   * Whether this node is a master handing over to this link's master (FAILOVER): the PSYNC then
   * carries FAILOVER, and its answer goes to `failoverAnswered`. Absent: never.
   */
  failingOver?(): boolean;
  /**
   * The target answered the PSYNC FAILOVER: accepted (+CONTINUE / +FULLRESYNC) ends the failover;
   * refused aborts it (the host stops this link and is a master again).
   */
  failoverAnswered?(accepted: boolean): void;
  /**
   * `bytes` of whole commands were applied (outside MULTI): they go to this node's backlog and
   * master_repl_offset and, unchanged, to its sub-replicas.
   */
  applied(bytes: Buffer): void;
  /**
   * The connected link to the master went away: the master client is dropped (a MULTI it left half
   * sent is discarded) and, if `cacheable`, cached so the next PSYNC can continue from the applied
   * offset. A master that broke the protocol is not cached: the next sync is a full one.
   */
  masterLost(cacheable: boolean): void;
}
