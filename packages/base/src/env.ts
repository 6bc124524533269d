/**
 * The Env: every way the server, replica and harness reach time, the network, the disk and randomness.
 *
 * Core code (protocol, replica, server, the harness's sim backend) never calls Date.now, setTimeout,
 * node:net, node:fs or Math.random; it receives an Env in its constructor (DESIGN.md, Principle 1).
 * Two implementations exist: src/real/ (node:net, node:fs, real time) and src/sim/ (one virtual-time
 * event queue, an in-memory network and disk, a seeded PRNG). Because every callback below is
 * delivered as a separate event and runs to completion, a simulated run is a pure function of its seed.
 *
 * Operating errors (a refused connection, a full disk) are values delivered to callbacks, never
 * exceptions: callers must handle them. Exceptions mean programmer errors (see assert.ts).
 */

/** Two clocks kept apart, as TigerBeetle's Time does: one for durations, one for calendars. */
export interface Clock {
  /** Milliseconds from an arbitrary origin; never goes backwards. Use for timeouts and durations. */
  monotonicMs(): number;
  /** Milliseconds since the Unix epoch; may jump (NTP, a simulated skew). Use for TTLs and LASTSAVE. */
  wallMs(): number;
}

/** An opaque handle for a pending timer. */
export type TimerId = number & { readonly __brand: 'TimerId' };

export interface Timers {
  /** Runs `fn` once, `ms` milliseconds from now (0 means "after the current event"). */
  after(ms: number, fn: () => void): TimerId;
  /** Cancels a pending timer; a no-op if it already ran or was cancelled. */
  cancel(id: TimerId): void;
}

/** Why a network operation failed, in the vocabulary of POSIX errno names. */
export interface NetError {
  readonly code:
    | 'ECONNREFUSED'
    | 'ECONNRESET'
    | 'EADDRINUSE'
    | 'EADDRNOTAVAIL'
    | 'ETIMEDOUT'
    | 'EIO';
  readonly message: string;
}

export type NetResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: NetError };

/**
 * One end of a reliable byte stream (TCP). Bytes written arrive in order, possibly split or
 * coalesced differently than they were written; nothing is dropped in the middle of a stream.
 */
export interface Connection {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Queues bytes for sending. Writing after close is ignored. */
  write(data: Uint8Array): void;
  /** Bytes written but not yet handed to the peer (the client's output buffer). */
  bufferedBytes(): number;
  /**
   * Sends what is queued, then closes (a FIN), without waiting for the peer: as close(2) on a
   * socket, this end is released once its bytes are handed over, and `onClose` fires then. The
   * peer reads the bytes, then end of stream; what it sends afterwards is discarded. A server
   * that ends a client keeps no descriptor for a peer that never closes its side.
   */
  end(): void;
  /** Closes at once, dropping queued bytes (a RST to the peer). */
  destroy(): void;
  /**
   * Stops delivering data until resumeReading(): the bytes wait in the network (the kernel's
   * receive buffer, then the peer's send buffer), so a peer that keeps writing is slowed down by
   * TCP flow control instead of growing this side's memory. Idempotent.
   */
  pauseReading(): void;
  /** Delivers data again after pauseReading(). Idempotent. */
  resumeReading(): void;
  /** Registers the single data handler. Chunks are delivered in order, each as its own event. */
  onData(handler: (chunk: Buffer) => void): void;
  /** Registers the single close handler; it runs exactly once, with an error if the stream broke. */
  onClose(handler: (error: NetError | undefined) => void): void;
}

export interface Listener {
  readonly host: string;
  /** The bound port: the one asked for, or the one the system picked for port 0. */
  readonly port: number;
  /** Stops accepting; open connections stay open. */
  close(): void;
}

export interface ListenOptions {
  readonly host: string;
  /** 0 lets the network pick a free port. */
  readonly port: number;
  /** The listen(2) backlog (Redis's tcp-backlog); the simulated network has no accept queue. */
  readonly backlog?: number;
  /**
   * Told when accepting a connection failed while listening (EMFILE: out of descriptors); the
   * listener goes on. Without it such failures pass unseen.
   */
  readonly onAcceptError?: (error: NetError) => void;
}

/**
 * The process's descriptor limit (RLIMIT_NOFILE), which bounds how many clients a node can hold.
 * The real one reads and sets the OS limit (real/open-files.ts); a simulated node is given a fixed
 * one (sim/open-files.ts). Errors are the C library's strerror text, as Redis logs them.
 */
export interface OpenFilesLimit {
  /** The current soft limit (getrlimit's rlim_cur). */
  current():
    | { readonly ok: true; readonly value: number }
    | { readonly ok: false; readonly error: string };
  /** setrlimit with soft and hard limit `limit`: undefined on success, else why it failed. */
  set(limit: number): string | undefined;
}

export interface Network {
  /** Starts listening; `done` receives the listener or EADDRINUSE/EADDRNOTAVAIL. */
  listen(
    options: ListenOptions,
    onConnection: (connection: Connection) => void,
    done: (result: NetResult<Listener>) => void,
  ): void;
  /** Opens a stream to host:port; `done` receives the connection or ECONNREFUSED/ETIMEDOUT. */
  connect(host: string, port: number, done: (result: NetResult<Connection>) => void): void;
}

/** Why a disk operation failed. */
export interface DiskError {
  readonly code: 'ENOENT' | 'EEXIST' | 'ENOSPC' | 'EIO' | 'EBADF' | 'EISDIR' | 'ENOTDIR' | 'EACCES';
  readonly message: string;
}

export type DiskResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DiskError };

/** An open file. Writes go to the end of the file (append) or, for 'write', to a truncated file. */
export type FileHandle = number & { readonly __brand: 'FileHandle' };

export type OpenMode =
  /** Read only; the file must exist. */
  | 'read'
  /** Create or truncate, then write sequentially. */
  | 'write'
  /** Create if missing, then append. */
  | 'append';

/**
 * A directory tree of files with crash semantics: data written is durable only after `fsync` of the
 * file, and a create, rename or unlink is durable only after `fsyncDir` of its directory. Paths are
 * POSIX-style strings; relative paths resolve against the process's (or host's) working directory.
 */
export interface Disk {
  open(path: string, mode: OpenMode, done: (result: DiskResult<FileHandle>) => void): void;
  /** Appends `data` at the handle's position; `done` gets the byte count written. */
  write(file: FileHandle, data: Uint8Array, done: (result: DiskResult<number>) => void): void;
  /** Reads up to `length` bytes at `position`; fewer at the end of the file, none past it. */
  read(
    file: FileHandle,
    position: number,
    length: number,
    done: (result: DiskResult<Uint8Array>) => void,
  ): void;
  fsync(file: FileHandle, done: (result: DiskResult<void>) => void): void;
  close(file: FileHandle, done: (result: DiskResult<void>) => void): void;
  /** Size in bytes of a file, or ENOENT. */
  size(path: string, done: (result: DiskResult<number>) => void): void;
  /** Atomically replaces `target` with `source`. */
  rename(source: string, target: string, done: (result: DiskResult<void>) => void): void;
  unlink(path: string, done: (result: DiskResult<void>) => void): void;
  /** Names (not paths) of the entries of a directory, sorted. */
  list(dir: string, done: (result: DiskResult<string[]>) => void): void;
  /** Makes creates, renames and unlinks in `dir` durable. */
  fsyncDir(dir: string, done: (result: DiskResult<void>) => void): void;
}

/** A seeded stream of random numbers; `fork` gives an independent sub-stream per component. */
export interface Random {
  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number;
  /** An integer in [0, bound), bound <= 2^32, without modulo bias. */
  int(bound: number): number;
  /** A float in [0, 1). */
  float(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** `length` lower-case hex characters (replication ids, $EOF marks). */
  hex(length: number): string;
  /** A new independent generator whose seed is drawn from this one (one sub-seed per component). */
  fork(): Random;
}

/** Everything a node needs from the outside world. */
/** CPU time this process has used, as getrusage reports it (INFO's used_cpu_user/sys). */
export interface CpuUsage {
  readonly userSeconds: number;
  readonly systemSeconds: number;
}

export interface Env {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly network: Network;
  readonly disk: Disk;
  readonly random: Random;
  /**
   * The CPU time used so far: process.cpuUsage() in the real Env; in the simulation the virtual
   * time since the host booted counts as user time (a simulated node is busy or idle only in
   * virtual time). Optional so test doubles need not provide it; INFO then shows zeros.
   */
  readonly cpuUsage?: () => CpuUsage;
}
