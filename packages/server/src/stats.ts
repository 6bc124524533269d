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
  /** Error replies by their first word (INFO errorstats), at most ERROR_KINDS_MAX kinds. */
  errorsByKind: Record<string, number>;
}

/** Redis's ERROR_STATS_NUMBER: past this many kinds of error, new kinds are not counted. */
export const ERROR_KINDS_MAX = 128;

/**
 * Counts an error reply under its kind, as afterErrorReply: the text up to the first space (when
 * one comes within the first 32 bytes), else ERR.
 */
export function countErrorKind(stats: NodeStats, message: string): void {
  const space = message.slice(0, 32).indexOf(' ');
  const kind = space > 0 ? message.slice(0, space) : 'ERR';
  const count = stats.errorsByKind[kind];
  if (count !== undefined) stats.errorsByKind[kind] = count + 1;
  else if (Object.keys(stats.errorsByKind).length < ERROR_KINDS_MAX) stats.errorsByKind[kind] = 1;
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
    errorsByKind: {},
  };
}
