/**
 * What a replica's link to its master looks like from outside: the fields INFO replication and ROLE
 * report for a replica (reference §4.6-4.7). The link (link.ts) produces it; the server renders it.
 */

/** ROLE's vocabulary for the link state (every handshake step reads as 'handshake'). */
export type ReplicaLinkState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'handshake'
  | 'sync'
  | 'connected';

export interface ReplicaLinkStatus {
  readonly masterHost: string;
  readonly masterPort: number;
  readonly state: ReplicaLinkState;
  /** master_link_status: up once the sync finished and the master client exists. */
  readonly linkUp: boolean;
  /** master_last_io_seconds_ago in ms; undefined without a master client (INFO shows -1). */
  readonly lastIoMsAgo: number | undefined;
  /** master_sync_in_progress: a full sync is under way (handshake done, payload not loaded). */
  readonly syncInProgress: boolean;
  /**
   * slave_read_repl_offset: the offset of the last stream byte received (the cached master's
   * offset while the link is down, 1 if the node never synced).
   */
  readonly readReplOffset: number;
  /**
   * slave_repl_offset: the offset of the last byte applied (whole commands, outside MULTI), with
   * the same fallbacks. ROLE shows it only while `state` is 'connected' (-1 otherwise).
   */
  readonly replOffset: number;
  /** While the payload is being received (INFO's master_sync_* fields). */
  readonly transfer:
    | { readonly totalBytes: number; readonly readBytes: number; readonly lastIoMsAgo: number }
    | undefined;
  /** ms since the link went down; undefined if it never was up (INFO shows -1). */
  readonly linkDownMsAgo: number | undefined;
}
