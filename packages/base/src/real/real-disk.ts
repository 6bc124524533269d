/**
 * The real Disk over node:fs callbacks, with errno codes mapped to DiskError values.
 *
 * A write completes only when all its bytes are written (short writes are continued), matching the
 * simulated disk. `fsyncDir` opens the directory and fsyncs it, which is how POSIX makes a create,
 * rename or unlink durable. Relative paths resolve against `cwd` if given, else the process's.
 */
import * as fs from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Disk, DiskError, DiskResult, FileHandle, OpenMode } from '../env.js';

export interface RealDiskOptions {
  /** The directory relative paths resolve against; default the process's working directory. */
  readonly cwd?: string;
}

const OPEN_FLAGS: Record<OpenMode, string> = { read: 'r', write: 'w', append: 'a' };
const FILE_MODE = 0o666;

const DISK_CODES: ReadonlySet<string> = new Set<DiskError['code']>([
  'ENOENT',
  'EEXIST',
  'ENOSPC',
  'EIO',
  'EBADF',
  'EISDIR',
  'ENOTDIR',
  'EACCES',
]);

function isDiskCode(code: string | undefined): code is DiskError['code'] {
  return code !== undefined && DISK_CODES.has(code);
}

/** Maps a Node fs error to the Env's vocabulary; EPERM reads as EACCES, anything unknown as EIO. */
export function toDiskError(error: NodeJS.ErrnoException): DiskError {
  const code = error.code === 'EPERM' ? 'EACCES' : error.code;
  if (isDiskCode(code)) return { code, message: error.message };
  return { code: 'EIO', message: error.message };
}

function fail(error: NodeJS.ErrnoException): { ok: false; error: DiskError } {
  return { ok: false, error: toDiskError(error) };
}

export function createRealDisk(options: RealDiskOptions = {}): Disk {
  const cwd = options.cwd;
  const full = (path: string): string => (cwd === undefined ? path : resolvePath(cwd, path));
  const voidDone =
    (done: (result: DiskResult<void>) => void) =>
    (error: NodeJS.ErrnoException | null): void => {
      done(error === null ? { ok: true, value: undefined } : fail(error));
    };

  return {
    open(path: string, mode: OpenMode, done: (result: DiskResult<FileHandle>) => void): void {
      fs.open(full(path), OPEN_FLAGS[mode], FILE_MODE, (error, fd) => {
        done(error === null ? { ok: true, value: fd as FileHandle } : fail(error));
      });
    },

    write(file: FileHandle, data: Uint8Array, done: (result: DiskResult<number>) => void): void {
      writeAll(file, data, 0, done);
    },

    read(
      file: FileHandle,
      position: number,
      length: number,
      done: (result: DiskResult<Uint8Array>) => void,
    ): void {
      const buffer = Buffer.allocUnsafe(length);
      fs.read(file, buffer, 0, length, position, (error, bytesRead) => {
        done(error === null ? { ok: true, value: buffer.subarray(0, bytesRead) } : fail(error));
      });
    },

    fsync(file: FileHandle, done: (result: DiskResult<void>) => void): void {
      fs.fsync(file, voidDone(done));
    },

    close(file: FileHandle, done: (result: DiskResult<void>) => void): void {
      fs.close(file, voidDone(done));
    },

    size(path: string, done: (result: DiskResult<number>) => void): void {
      const target = full(path);
      fs.stat(target, (error, stats) => {
        if (error !== null) return done(fail(error));
        if (stats.isDirectory()) {
          return done({
            ok: false,
            error: { code: 'EISDIR', message: `EISDIR: is a directory, stat '${target}'` },
          });
        }
        done({ ok: true, value: stats.size });
      });
    },

    rename(source: string, target: string, done: (result: DiskResult<void>) => void): void {
      fs.rename(full(source), full(target), voidDone(done));
    },

    unlink(path: string, done: (result: DiskResult<void>) => void): void {
      fs.unlink(full(path), voidDone(done));
    },

    list(dir: string, done: (result: DiskResult<string[]>) => void): void {
      fs.readdir(full(dir), (error, names) => {
        done(error === null ? { ok: true, value: names.sort() } : fail(error));
      });
    },

    fsyncDir(dir: string, done: (result: DiskResult<void>) => void): void {
      fs.open(full(dir), 'r', (openError, fd) => {
        if (openError !== null) return done(fail(openError));
        fs.fsync(fd, (syncError) => {
          fs.close(fd, (closeError) => {
            const error = syncError ?? closeError;
            done(error === null ? { ok: true, value: undefined } : fail(error));
          });
        });
      });
    },
  };
}

/** Writes all of `data` from `offset`, continuing short writes; reports the total. */
function writeAll(
  file: FileHandle,
  data: Uint8Array,
  offset: number,
  done: (result: DiskResult<number>) => void,
): void {
  fs.write(file, data, offset, data.length - offset, null, (error, written) => {
    if (error !== null) return done(fail(error));
    const next = offset + written;
    if (next < data.length && written > 0) return writeAll(file, data, next, done);
    done({ ok: true, value: next });
  });
}
