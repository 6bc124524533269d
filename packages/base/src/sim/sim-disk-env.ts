/**
 * The `Disk` a simulated host's software uses during one incarnation.
 *
 * It turns the SimDisk's synchronous model into the Env's callback API: every operation takes a
 * latency from the disk's knobs, operations complete in the order they were issued (one device queue),
 * and an operation's effect happens when it completes, in the same event as its callback. So a crash
 * between a write call and its completion loses the write, as it should. File handles belong to the
 * incarnation: the Life's death cancels pending completions and the handles go with this object.
 */
import type { Disk, DiskResult, FileHandle, OpenMode } from '../env.js';
import type { Life } from './life.js';
import { type DiskOperation, diskError, ok, type SimDisk } from './sim-disk.js';
import type { FileNode } from './sim-file.js';

interface OpenFile {
  readonly node: FileNode;
  readonly mode: OpenMode;
  readonly path: string;
}

/** File handles start at 3, after stdin, stdout and stderr, so they look like descriptors in logs. */
const HANDLE_FIRST = 3;

export function createSimDiskEnv(disk: SimDisk, life: Life): Disk {
  return new SimDiskEnv(disk, life);
}

export class SimDiskEnv implements Disk {
  private readonly disk: SimDisk;
  private readonly life: Life;
  private readonly handles = new Map<number, OpenFile>();
  private handleNext = HANDLE_FIRST;

  constructor(disk: SimDisk, life: Life) {
    this.disk = disk;
    this.life = life;
  }

  open(path: string, mode: OpenMode, done: (result: DiskResult<FileHandle>) => void): void {
    const full = this.disk.resolve(path);
    this.run('open', full, done, () => {
      const opened = this.disk.openFile(full, mode);
      if (!opened.ok) return opened;
      const handle = this.handleNext;
      this.handleNext += 1;
      this.handles.set(handle, { node: opened.value, mode, path: full });
      return ok(handle as FileHandle);
    });
  }

  write(file: FileHandle, data: Uint8Array, done: (result: DiskResult<number>) => void): void {
    // Copied now: the caller may reuse its buffer before the write completes.
    const bytes = data.slice();
    this.run('write', `fd ${file}`, done, () => {
      const entry = this.handles.get(file);
      if (entry === undefined) return diskError('EBADF', 'write');
      if (entry.mode === 'read') return diskError('EBADF', 'write', entry.path);
      return this.disk.writeFile(entry.node, bytes);
    });
  }

  read(
    file: FileHandle,
    position: number,
    length: number,
    done: (result: DiskResult<Uint8Array>) => void,
  ): void {
    this.run('read', `fd ${file}`, done, () => {
      const entry = this.handles.get(file);
      if (entry === undefined) return diskError('EBADF', 'read');
      if (entry.mode !== 'read') return diskError('EBADF', 'read', entry.path);
      return ok(entry.node.read(position, length));
    });
  }

  fsync(file: FileHandle, done: (result: DiskResult<void>) => void): void {
    this.run('fsync', `fd ${file}`, done, () => {
      const entry = this.handles.get(file);
      if (entry === undefined) return diskError('EBADF', 'fsync');
      entry.node.sync();
      return ok(undefined);
    });
  }

  close(file: FileHandle, done: (result: DiskResult<void>) => void): void {
    this.run('close', `fd ${file}`, done, () =>
      this.handles.delete(file) ? ok(undefined) : diskError('EBADF', 'close'),
    );
  }

  size(path: string, done: (result: DiskResult<number>) => void): void {
    const full = this.disk.resolve(path);
    this.run('size', full, done, () => this.disk.sizeOf(full));
  }

  rename(source: string, target: string, done: (result: DiskResult<void>) => void): void {
    const sourceFull = this.disk.resolve(source);
    const targetFull = this.disk.resolve(target);
    this.run('rename', sourceFull, done, () => this.disk.renameFile(sourceFull, targetFull));
  }

  unlink(path: string, done: (result: DiskResult<void>) => void): void {
    const full = this.disk.resolve(path);
    this.run('unlink', full, done, () => this.disk.unlinkFile(full));
  }

  list(dir: string, done: (result: DiskResult<string[]>) => void): void {
    const full = this.disk.resolve(dir);
    this.run('list', full, done, () => this.disk.listDir(full));
  }

  fsyncDir(dir: string, done: (result: DiskResult<void>) => void): void {
    const full = this.disk.resolve(dir);
    this.run('fsyncDir', full, done, () => this.disk.syncDir(full));
  }

  /** Schedules `apply` as the completion of `operation`; an injected failure replaces it. */
  private run<T>(
    operation: DiskOperation,
    target: string,
    done: (result: DiskResult<T>) => void,
    apply: () => DiskResult<T>,
  ): void {
    if (!this.life.alive) return;
    const delayMs = this.disk.completionDelayMs(operation, this.life.now());
    this.life.schedule(delayMs, `disk ${operation}`, () => {
      const injected = this.disk.injectedError(operation);
      done(injected === undefined ? apply() : diskError(injected, operation, target));
    });
  }
}
