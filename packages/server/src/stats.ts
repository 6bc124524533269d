/**
 * Counters behind INFO stats and INFO clients, reset by CONFIG RESETSTAT. Field names follow the
 * INFO field they feed so a grep for the INFO name finds the counter.
 */

export interface NodeStats {
  connectionsReceived: number;
  commandsProcessed: number;
  netInputBytes: number;
  netOutputBytes: number;
  rejectedConnections: number;
  expiredKeys: number;
  /** Keys deleted by maxmemory eviction (evicted_keys). */
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  errorReplies: number;
  /** Errors sent to a master or a replica (replication/peer-errors.ts). */
  unexpectedErrorReplies: number;
  /** Commands per second over the last cron samples (instantaneous_ops_per_sec). */
  opsPerSecInstant: number;
}

export function emptyStats(): NodeStats {
  return {
    connectionsReceived: 0,
    commandsProcessed: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    rejectedConnections: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    errorReplies: 0,
    unexpectedErrorReplies: 0,
    opsPerSecInstant: 0,
  };
}
