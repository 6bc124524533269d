/**
 * The default payload sink (`repl-diskless-load disabled`): the payload goes to
 * temp-<unixtime>.<pid>.rdb in `dir` through the Env's Disk, one write at a time and in order;
 * when complete the file is fsynced and closed (Redis fsyncs it before the rename too) and the host
 * installs it (installSnapshot: flush, rename over dbfilename, load). Abandoned transfers close and
 * unlink the file.
 */
import type { Disk, DiskError, FileHandle } from '@replisim/base';
import type { PayloadSink } from './payload.js';
import type { InstallResult, ReplicaHost } from './replica-host.js';

export class TempFileSink implements PayloadSink {
  readonly path: string;
  private readonly disk: Disk;
  private readonly host: ReplicaHost;
  private file: FileHandle | undefined;
  private opening = true;
  private readonly queue: Buffer[] = [];
  private writing = false;
  private failure: DiskError | undefined;
  private onIdle: (() => void) | undefined;
  private closed = false;

  constructor(host: ReplicaHost, path: string) {
    this.host = host;
    this.disk = host.env.disk;
    this.path = path;
    this.disk.open(path, 'write', (result) => {
      this.opening = false;
      if (!result.ok) {
        this.failure = result.error;
      } else if (this.closed) {
        this.disk.close(result.value, () => this.disk.unlink(path, () => undefined));
        return;
      } else {
        this.file = result.value;
      }
      this.pump();
    });
  }

  write(bytes: Buffer): void {
    if (this.closed) return;
    this.queue.push(bytes);
    this.pump();
  }

  finish(done: (result: InstallResult) => void): void {
    this.whenIdle(() => {
      const file = this.file;
      if (this.failure !== undefined || file === undefined) {
        done({ ok: false, message: this.failureMessage(this.failure) });
        return;
      }
      this.file = undefined;
      this.closed = true;
      this.disk.fsync(file, (synced) => {
        this.disk.close(file, (closed) => {
          const error = !synced.ok ? synced.error : !closed.ok ? closed.error : undefined;
          if (error !== undefined) {
            done({ ok: false, message: this.failureMessage(error) });
            return;
          }
          this.host.installSnapshot(this.path, done);
        });
      });
    });
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.whenIdle(() => {
      const file = this.file;
      this.file = undefined;
      if (file === undefined) return;
      this.disk.close(file, () => this.disk.unlink(this.path, () => undefined));
    });
  }

  private failureMessage(error: DiskError | undefined): string {
    return `Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: ${error?.message ?? 'temp file not open'}`;
  }

  private whenIdle(fn: () => void): void {
    if (!this.opening && !this.writing && this.queue.length === 0) {
      fn();
      return;
    }
    this.onIdle = fn;
  }

  private pump(): void {
    if (this.opening || this.writing) return;
    const file = this.file;
    const next = this.queue.shift();
    if (next === undefined || file === undefined || this.failure !== undefined) {
      this.queue.length = 0;
      const idle = this.onIdle;
      this.onIdle = undefined;
      idle?.();
      return;
    }
    this.writing = true;
    this.disk.write(file, next, (result) => {
      this.writing = false;
      if (!result.ok) this.failure = result.error;
      this.pump();
    });
  }
}
