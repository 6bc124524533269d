/**
 * A simulated host's disk: a directory tree in memory with real crash semantics and fault knobs.
 *
 * Two namespaces are kept: the current one (what the software sees) and the durable one (what a crash
 * leaves). A create, rename or unlink changes the current namespace only; `fsyncDir(dir)` copies the
 * entries of `dir` into the durable one. File contents follow sim-file.ts: durable up to the last
 * fsync. A crash therefore undoes directory operations not yet dir-synced (a renamed file returns to
 * its old name, a new file vanishes, an unlinked one comes back) and drops unsynced data, which is
 * exactly what RDB's write-temp, fsync, rename, fsync-dir sequence is designed to survive.
 *
 * Directories themselves are created by the harness (`mkdirSync`) and are always durable: the Env has
 * no mkdir. The disk outlives its host's incarnations; the per-incarnation `Disk` the software uses
 * (with its file handles and completion events) is sim-disk-env.ts. The synchronous `...Sync` helpers
 * are for the harness, to plant and inspect files outside of simulated time.
 */
import { posix } from 'node:path';
import { assert } from '../assert.js';
import type { DiskError, DiskResult, OpenMode, Random } from '../env.js';
import { randomBetween } from '../random/create-random.js';
import { FileNode } from './sim-file.js';

/** The fault knobs of a disk; all can be changed at any time with `setFaults`. */
export interface SimDiskFaults {
  /** Latency of each operation other than fsync, drawn from [min, max] ms; default 0..1. */
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  /** Latency of fsync and fsyncDir; default 1..5 ms. Raise it to show slow-fsync effects. */
  readonly fsyncLatencyMsMin: number;
  readonly fsyncLatencyMsMax: number;
  /** Total bytes the files may hold; a write that would exceed it fails with ENOSPC. Default Infinity. */
  readonly spaceBytesMax: number;
  /** Probability that a write fails with EIO (writing nothing); default 0. */
  readonly writeErrorChance: number;
  /** Probability that an fsync or fsyncDir fails with EIO (making nothing durable); default 0. */
  readonly fsyncErrorChance: number;
  /** Probability, per file at a crash, that a random prefix of the unsynced tail survives; default 0. */
  readonly tornWriteChance: number;
}

export const SIM_DISK_DEFAULTS: SimDiskFaults = {
  latencyMsMin: 0,
  latencyMsMax: 1,
  fsyncLatencyMsMin: 1,
  fsyncLatencyMsMax: 5,
  spaceBytesMax: Number.POSITIVE_INFINITY,
  writeErrorChance: 0,
  fsyncErrorChance: 0,
  tornWriteChance: 0,
};

export type DiskOperation =
  | 'open'
  | 'write'
  | 'read'
  | 'fsync'
  | 'close'
  | 'size'
  | 'rename'
  | 'unlink'
  | 'list'
  | 'fsyncDir';

export interface SimDiskOptions {
  /** Where relative paths resolve; default '/'. Created (durably) if missing. */
  readonly cwd?: string;
  readonly faults?: Partial<SimDiskFaults>;
}

/**
 * Told of every namespace change that matters to durability, at the instant the disk applies it:
 * a rename (the new name is visible) and a directory fsync (the directory's entries are durable).
 * The harness turns these into `rename` and `fsync-dir` events, so a checker knows whether a crash
 * fell between the two.
 */
export type DiskObserver = (
  operation: 'rename' | 'fsyncDir',
  path: string,
  target: string | undefined,
) => void;

export interface WriteFileSyncOptions {
  /** Make the content and the directory entry durable at once; default true. */
  readonly durable?: boolean;
}

type Ok<T> = { readonly ok: true; readonly value: T };

const ERROR_TEXT: Record<DiskError['code'], string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
  EBADF: 'bad file descriptor',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
};

/** A failed DiskResult worded as Node words it: `ENOENT: no such file or directory, open '/x'`. */
export function diskError(
  code: DiskError['code'],
  operation: string,
  path?: string,
): { ok: false; error: DiskError } {
  const where = path === undefined ? operation : `${operation} '${path}'`;
  return { ok: false, error: { code, message: `${code}: ${ERROR_TEXT[code]}, ${where}` } };
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export class SimDisk {
  readonly cwd: string;
  private readonly random: Random;
  private faultsCurrent: SimDiskFaults;
  private readonly dirs = new Set<string>(['/']);
  /** The namespace the software sees. Insertion order comes from deterministic events. */
  private files = new Map<string, FileNode>();
  /** The namespace a crash leaves. */
  private readonly durableFiles = new Map<string, FileNode>();
  private readonly failNextCounts = new Map<DiskOperation, number>();
  private nodeIdLast = 0;
  private observer: DiskObserver | undefined;
  /** Operations complete in issue order, like one device queue; this is when the last one does. */
  private completionLastMs = 0;

  constructor(random: Random, options: SimDiskOptions = {}) {
    this.random = random;
    this.faultsCurrent = checkFaults({ ...SIM_DISK_DEFAULTS, ...options.faults });
    const cwd = options.cwd ?? '/';
    assert(posix.isAbsolute(cwd), 'the disk cwd must be absolute');
    this.cwd = posix.normalize(cwd);
    this.mkdirSync(this.cwd);
  }

  /** Sets (or clears) the one observer of renames and directory fsyncs. */
  setObserver(observer: DiskObserver | undefined): void {
    this.observer = observer;
  }

  // --- Fault knobs ----------------------------------------------------------------------------------

  get faults(): SimDiskFaults {
    return this.faultsCurrent;
  }

  /** Changes some knobs; returns the previous settings so a test phase can restore them. */
  setFaults(faults: Partial<SimDiskFaults>): SimDiskFaults {
    const previous = this.faultsCurrent;
    this.faultsCurrent = checkFaults({ ...previous, ...faults });
    return previous;
  }

  /** Makes the next `count` operations of kind `operation` fail with EIO, deterministically. */
  failNext(operation: DiskOperation, count = 1): void {
    assert(Number.isInteger(count) && count >= 0, 'failNext count must be a non-negative integer');
    this.failNextCounts.set(operation, (this.failNextCounts.get(operation) ?? 0) + count);
  }

  // --- Scheduling helpers for sim-disk-env.ts ---------------------------------------------------------

  /** The delay after which an operation issued at `nowMs` completes, keeping issue order. */
  completionDelayMs(operation: DiskOperation, nowMs: number): number {
    const faults = this.faultsCurrent;
    const fsync = operation === 'fsync' || operation === 'fsyncDir';
    const latencyMs = fsync
      ? randomBetween(this.random, faults.fsyncLatencyMsMin, faults.fsyncLatencyMsMax)
      : randomBetween(this.random, faults.latencyMsMin, faults.latencyMsMax);
    const completionMs = Math.max(this.completionLastMs, nowMs + latencyMs);
    this.completionLastMs = completionMs;
    return completionMs - nowMs;
  }

  /** An injected failure for an operation completing now, if any (failNext first, then chances). */
  injectedError(operation: DiskOperation): DiskError['code'] | undefined {
    const pending = this.failNextCounts.get(operation) ?? 0;
    if (pending > 0) {
      this.failNextCounts.set(operation, pending - 1);
      return 'EIO';
    }
    const faults = this.faultsCurrent;
    const chance =
      operation === 'write'
        ? faults.writeErrorChance
        : operation === 'fsync' || operation === 'fsyncDir'
          ? faults.fsyncErrorChance
          : 0;
    if (chance > 0 && this.random.chance(chance)) return 'EIO';
    return undefined;
  }

  // --- Operations (applied when their completion event runs) ----------------------------------------------

  resolve(path: string): string {
    return posix.resolve(this.cwd, path);
  }

  openFile(path: string, mode: OpenMode): DiskResult<FileNode> {
    const full = this.resolve(path);
    if (this.dirs.has(full)) return diskError('EISDIR', 'open', full);
    const parentError = this.checkParent(full, 'open');
    if (parentError !== undefined) return parentError;
    let node = this.files.get(full);
    if (mode === 'read') return node === undefined ? diskError('ENOENT', 'open', full) : ok(node);
    if (node === undefined) {
      node = this.createNode();
      this.files.set(full, node);
    } else if (mode === 'write') {
      node.truncate();
    }
    return ok(node);
  }

  writeFile(node: FileNode, data: Uint8Array): DiskResult<number> {
    const spaceBytesMax = this.faultsCurrent.spaceBytesMax;
    if (
      spaceBytesMax !== Number.POSITIVE_INFINITY &&
      this.usedBytes() + data.length > spaceBytesMax
    ) {
      return diskError('ENOSPC', 'write');
    }
    node.append(data);
    return ok(data.length);
  }

  sizeOf(path: string): DiskResult<number> {
    const full = this.resolve(path);
    if (this.dirs.has(full)) return diskError('EISDIR', 'stat', full);
    const node = this.files.get(full);
    return node === undefined ? diskError('ENOENT', 'stat', full) : ok(node.size);
  }

  renameFile(source: string, target: string): DiskResult<void> {
    const sourceFull = this.resolve(source);
    const targetFull = this.resolve(target);
    const node = this.files.get(sourceFull);
    if (this.dirs.has(sourceFull) || this.dirs.has(targetFull))
      return diskError('EISDIR', 'rename', sourceFull);
    if (node === undefined) return diskError('ENOENT', 'rename', sourceFull);
    const parentError = this.checkParent(targetFull, 'rename');
    if (parentError !== undefined) return parentError;
    if (sourceFull === targetFull) return ok(undefined);
    this.files.delete(sourceFull);
    this.files.set(targetFull, node);
    this.observer?.('rename', sourceFull, targetFull);
    return ok(undefined);
  }

  unlinkFile(path: string): DiskResult<void> {
    const full = this.resolve(path);
    if (this.dirs.has(full)) return diskError('EISDIR', 'unlink', full);
    if (!this.files.delete(full)) return diskError('ENOENT', 'unlink', full);
    return ok(undefined);
  }

  listDir(dir: string): DiskResult<string[]> {
    const full = this.resolve(dir);
    if (!this.dirs.has(full))
      return diskError(this.files.has(full) ? 'ENOTDIR' : 'ENOENT', 'scandir', full);
    const names: string[] = [];
    for (const path of this.files.keys()) {
      if (posix.dirname(path) === full) names.push(posix.basename(path));
    }
    for (const path of this.dirs) {
      if (path !== '/' && posix.dirname(path) === full) names.push(posix.basename(path));
    }
    return ok(names.sort());
  }

  /** Makes the current entries of `dir` (creates, renames, unlinks) durable. */
  syncDir(dir: string): DiskResult<void> {
    const full = this.resolve(dir);
    if (!this.dirs.has(full))
      return diskError(this.files.has(full) ? 'ENOTDIR' : 'ENOENT', 'fsync', full);
    const paths = new Set<string>();
    for (const path of this.files.keys()) if (posix.dirname(path) === full) paths.add(path);
    for (const path of this.durableFiles.keys()) if (posix.dirname(path) === full) paths.add(path);
    for (const path of paths) {
      const node = this.files.get(path);
      if (node === undefined) this.durableFiles.delete(path);
      else this.durableFiles.set(path, node);
    }
    this.observer?.('fsyncDir', full, undefined);
    return ok(undefined);
  }

  // --- Crash --------------------------------------------------------------------------------------

  /** The host lost power: keep only what was durable (sim-file.ts for contents). */
  crash(): void {
    const restored = new Map(this.durableFiles);
    const seen = new Set<FileNode>();
    for (const node of restored.values()) {
      if (seen.has(node)) continue;
      seen.add(node);
      node.crash(this.random, this.faultsCurrent.tornWriteChance);
    }
    // Injected failures (failNext) stay armed: a scenario may aim them at the restarted software.
    this.files = restored;
  }

  // --- Harness helpers (synchronous, outside simulated time) -------------------------------------------

  /** The current content of a file, or undefined if there is none. */
  readFileSync(path: string): Uint8Array | undefined {
    return this.files.get(this.resolve(path))?.content();
  }

  /** The content a crash right now would leave at `path` (ignoring torn writes), or undefined. */
  readDurableFileSync(path: string): Uint8Array | undefined {
    return this.durableFiles.get(this.resolve(path))?.durableContent();
  }

  /** Creates or replaces a file (creating its directories), durable unless `durable: false`. */
  writeFileSync(path: string, data: Uint8Array, options: WriteFileSyncOptions = {}): void {
    const full = this.resolve(path);
    assert(!this.dirs.has(full), `writeFileSync: ${full} is a directory`);
    this.mkdirSync(posix.dirname(full));
    const node = this.createNode();
    node.append(data);
    this.files.set(full, node);
    if (options.durable ?? true) {
      node.sync();
      this.durableFiles.set(full, node);
    }
  }

  /** Removes a file; durably unless `durable: false`. Returns false if there was none. */
  unlinkSync(path: string, options: WriteFileSyncOptions = {}): boolean {
    const full = this.resolve(path);
    const existed = this.files.delete(full);
    if (options.durable ?? true) this.durableFiles.delete(full);
    return existed;
  }

  existsSync(path: string): boolean {
    const full = this.resolve(path);
    return this.files.has(full) || this.dirs.has(full);
  }

  /** Sorted entry names of a directory, or undefined if it does not exist. */
  listSync(dir: string): string[] | undefined {
    const result = this.listDir(dir);
    return result.ok ? result.value : undefined;
  }

  /** Creates a directory and its parents, durably (`mkdir -p`). */
  mkdirSync(path: string): void {
    const full = this.resolve(path);
    const missing: string[] = [];
    for (let dir = full; !this.dirs.has(dir); dir = posix.dirname(dir)) {
      assert(!this.files.has(dir), `mkdirSync: ${dir} is a file`);
      missing.push(dir);
    }
    for (const dir of missing.reverse()) this.dirs.add(dir);
  }

  /** Bytes held by the files of the current namespace (what `spaceBytesMax` limits). */
  usedBytes(): number {
    let total = 0;
    const seen = new Set<FileNode>();
    for (const node of this.files.values()) {
      if (seen.has(node)) continue;
      seen.add(node);
      total += node.size;
    }
    return total;
  }

  /** Bytes a crash right now would lose from the files of the current namespace. */
  unsyncedBytes(): number {
    let total = 0;
    for (const node of new Set(this.files.values())) total += node.unsyncedBytes;
    return total;
  }

  private createNode(): FileNode {
    this.nodeIdLast += 1;
    return new FileNode(this.nodeIdLast);
  }

  private checkParent(
    full: string,
    operation: string,
  ): { ok: false; error: DiskError } | undefined {
    const parent = posix.dirname(full);
    if (this.dirs.has(parent)) return undefined;
    return diskError(this.files.has(parent) ? 'ENOTDIR' : 'ENOENT', operation, full);
  }
}

function checkFaults(faults: SimDiskFaults): SimDiskFaults {
  for (const [min, max] of [
    [faults.latencyMsMin, faults.latencyMsMax],
    [faults.fsyncLatencyMsMin, faults.fsyncLatencyMsMax],
  ] as const) {
    assert(Number.isInteger(min) && Number.isInteger(max), 'disk latencies must be integers');
    assert(min >= 0 && min <= max, 'disk latency ranges need 0 <= min <= max');
  }
  assert(faults.spaceBytesMax >= 0, 'spaceBytesMax must be >= 0');
  for (const chance of [faults.writeErrorChance, faults.fsyncErrorChance, faults.tornWriteChance]) {
    assert(chance >= 0 && chance <= 1, 'fault chances must be in [0, 1]');
  }
  return faults;
}
