/**
 * The disk sink of a save: writes a snapshot's chunks to `temp-<id>.rdb` in `dir`, makes the file
 * durable, and moves it over `dbfilename`, in rdb.c:rdbSave's order:
 *
 *   open temp (create/truncate) -> write chunks [fsync every 4 MB] -> fsync -> close
 *     -> rename temp over dbfilename -> fsync dir -> done
 *
 * Any failure closes and unlinks the temp file and reports which step failed (Redis's err_op), so
 * the previous dump is never touched. A crash at any point leaves the previous dump too: the
 * rename replaces it only after the new file is fsynced, and the rename itself is durable only
 * after the directory fsync (SimDisk models exactly this).
 *
 * Chunks are queued and written one at a time; `queuedBytes` lets the producer stop making slices
 * while the disk is behind (backpressure), and `onDrain` tells it when to go on. The producer (the
 * snapshot) and this sink know nothing of each other: the controller (persistence.ts) connects them.
 */
import type { Disk, DiskError, FileHandle } from '@replisim/base';

/** rdb-save-incremental-fsync: fsync every REDIS_AUTOSYNC_BYTES written (rio.h). */
export const REDIS_AUTOSYNC_BYTES: number = 4 * 1024 * 1024;
/** The most one write hands the disk, when several chunks are queued. */
const WRITE_BYTES_MAX = 1024 * 1024;

/** The step that failed, in Redis's err_op words where it has them. */
export type RdbFileStep = 'open' | 'rdbSaveRio' | 'fsync' | 'fclose' | 'rename' | 'fsyncFileDir';

export type RdbFileResult =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly step: RdbFileStep; readonly error: DiskError };

export interface RdbFileOptions {
  readonly dir: string;
  readonly dbfilename: string;
  /** Names the temp file, as Redis uses the saving process's pid. */
  readonly tempId: number;
  readonly incrementalFsync: boolean;
}

/** C's strerror() wording for the errno names the Disk reports, as Redis logs them. */
export const STRERROR: Readonly<Record<DiskError['code'], string>> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EACCES: 'Permission denied',
};

/** `name` inside `dir`, as a relative or absolute path the Disk resolves. */
export function pathIn(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

type SinkState = 'opening' | 'open' | 'finishing' | 'done' | 'aborted';

export class RdbFileSink {
  readonly tempName: string;
  readonly tempPath: string;
  readonly targetPath: string;
  private readonly disk: Disk;
  private readonly options: RdbFileOptions;
  private readonly onDrain: () => void;
  private readonly onDone: (result: RdbFileResult) => void;
  private state: SinkState = 'opening';
  private handle: FileHandle | undefined;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  /** A disk operation is pending; its callback cleans up after an abort. */
  private inFlight = false;
  private ended = false;
  private written = 0;
  private unsynced = 0;

  /** Opens the temp file at once; `onDone` runs exactly once unless `abort()` comes first. */
  constructor(
    disk: Disk,
    options: RdbFileOptions,
    onDrain: () => void,
    onDone: (result: RdbFileResult) => void,
  ) {
    this.disk = disk;
    this.options = options;
    this.onDrain = onDrain;
    this.onDone = onDone;
    this.tempName = `temp-${options.tempId}.rdb`;
    this.tempPath = pathIn(options.dir, this.tempName);
    this.targetPath = pathIn(options.dir, options.dbfilename);
    this.inFlight = true;
    disk.open(this.tempPath, 'write', (result) => {
      this.inFlight = false;
      if (result.ok) this.handle = result.value;
      if (this.abortedCleanup()) return;
      if (!result.ok) {
        this.fail('open', result.error);
        return;
      }
      this.state = 'open';
      this.pump();
    });
  }

  /** Bytes handed to `write` and not yet on the disk. */
  get queuedBytes(): number {
    return this.queued;
  }

  get active(): boolean {
    return this.state === 'opening' || this.state === 'open' || this.state === 'finishing';
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0 || !this.active) return;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.pump();
  }

  /** No more chunks: once the queue is written, make the file durable and rename it. */
  end(): void {
    this.ended = true;
    this.pump();
  }

  /** Stops at once: nothing more is written, the temp file is closed and unlinked, no onDone. */
  abort(): void {
    if (!this.active) return;
    this.state = 'aborted';
    this.queue.length = 0;
    this.queued = 0;
    // With an operation pending, its callback cleans up (abortedCleanup).
    if (!this.inFlight) this.abortedCleanup();
  }

  private pump(): void {
    if (this.state !== 'open' || this.inFlight) return;
    const handle = this.handle;
    if (handle === undefined) return;
    const chunk = this.coalesceQueue();
    if (chunk !== undefined) {
      this.writeChunk(handle, chunk);
      return;
    }
    if (this.ended) this.finish(handle);
  }

  /**
   * The queue's head, merged with the chunks behind it up to WRITE_BYTES_MAX: what piled up while
   * the previous write was on the disk goes out in one write.
   */
  private coalesceQueue(): Buffer | undefined {
    if (this.queue.length < 2) return this.queue[0];
    let count = 0;
    let bytes = 0;
    for (const chunk of this.queue) {
      if (count > 0 && bytes + chunk.length > WRITE_BYTES_MAX) break;
      bytes += chunk.length;
      count++;
    }
    if (count < 2) return this.queue[0];
    const merged = Buffer.concat(this.queue.splice(0, count), bytes);
    this.queue.unshift(merged);
    return merged;
  }

  private writeChunk(handle: FileHandle, chunk: Buffer): void {
    this.inFlight = true;
    this.disk.write(handle, chunk, (result) => {
      this.inFlight = false;
      if (this.abortedCleanup()) return;
      if (!result.ok) {
        this.fail('rdbSaveRio', result.error);
        return;
      }
      const count = result.value;
      if (count < chunk.length) {
        this.queue[0] = chunk.subarray(count);
      } else {
        this.queue.shift();
      }
      this.queued -= count;
      this.written += count;
      this.unsynced += count;
      if (this.options.incrementalFsync && this.unsynced >= REDIS_AUTOSYNC_BYTES) {
        this.incrementalFsync(handle);
        return;
      }
      this.onDrain();
      this.pump();
    });
  }

  /** rioSetAutoSync: a full fsync every 4 MB, so the final one never has much to flush. */
  private incrementalFsync(handle: FileHandle): void {
    this.inFlight = true;
    this.disk.fsync(handle, (result) => {
      this.inFlight = false;
      if (this.abortedCleanup()) return;
      if (!result.ok) {
        this.fail('rdbSaveRio', result.error);
        return;
      }
      this.unsynced = 0;
      this.onDrain();
      this.pump();
    });
  }

  private finish(handle: FileHandle): void {
    this.state = 'finishing';
    const disk = this.disk;
    this.inFlight = true;
    disk.fsync(handle, (synced) => {
      if (this.abortedCleanup()) return;
      if (!synced.ok) {
        this.fail('fsync', synced.error);
        return;
      }
      disk.close(handle, (closed) => {
        this.handle = undefined;
        if (this.abortedCleanup()) return;
        if (!closed.ok) {
          this.fail('fclose', closed.error);
          return;
        }
        disk.rename(this.tempPath, this.targetPath, (renamed) => {
          // Aborted after the rename: the new dump is in place, as when Redis kills a child there.
          if (this.state === 'aborted') return;
          if (!renamed.ok) {
            this.fail('rename', renamed.error);
            return;
          }
          disk.fsyncDir(this.options.dir, (dirSynced) => {
            this.inFlight = false;
            if (this.state === 'aborted') return;
            if (!dirSynced.ok) {
              this.fail('fsyncFileDir', dirSynced.error);
              return;
            }
            this.state = 'done';
            this.onDone({ ok: true, bytes: this.written });
          });
        });
      });
    });
  }

  /** Closes (if open) and unlinks the temp file, then reports the failure. */
  private fail(step: RdbFileStep, error: DiskError): void {
    this.state = 'done';
    this.inFlight = false;
    this.queue.length = 0;
    this.queued = 0;
    const report = (): void => {
      this.disk.unlink(this.tempPath, () => this.onDone({ ok: false, step, error }));
    };
    const handle = this.handle;
    this.handle = undefined;
    if (handle === undefined) {
      report();
      return;
    }
    this.disk.close(handle, () => report());
  }

  /**
   * After an abort (true): closes the handle if one is open and removes the temp file, ignoring
   * results, as Redis removes a killed child's temp file. False when not aborted.
   */
  private abortedCleanup(): boolean {
    if (this.state !== 'aborted') return false;
    this.inFlight = false;
    const unlink = (): void => this.disk.unlink(this.tempPath, () => {});
    const handle = this.handle;
    this.handle = undefined;
    if (handle === undefined) unlink();
    else this.disk.close(handle, unlink);
    return true;
  }
}
