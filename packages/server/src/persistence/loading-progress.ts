/**
 * What INFO persistence reports while a dump is being loaded (at start, by DEBUG RELOAD, or later
 * by a replica's full sync): Redis's loading_* fields. The loader owns the object and updates it
 * between slices; the node holds it only while a load runs, so `node.loading !== undefined` is
 * Redis's `server.loading`.
 */
export interface LoadingProgress {
  /** Unix ms when the load started (loading_start_time is in seconds). */
  readonly startWallMs: number;
  /** Monotonic ms when the load started, for the ETA. */
  readonly startMonotonicMs: number;
  /** Size of the file (or payload) being loaded, 0 if unknown. */
  readonly totalBytes: number;
  /** Bytes consumed so far. */
  loadedBytes: number;
  /** used-mem from the dump's AUX field, 0 until read (loading_rdb_used_mem). */
  rdbUsedMemory: number;
}
