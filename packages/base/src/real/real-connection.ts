/**
 * A real TCP connection: the Env's `Connection` over a node:net Socket.
 *
 * It is on the server's hot path, so it adds nothing per chunk: `write` keeps the caller's bytes
 * without copying, and the data handler is attached to the socket's 'data' event directly, so each
 * Buffer Node reads is delivered as is. Nagle is off.
 *
 * Writes are batched per event-loop turn, as Redis does in beforeSleep: bytes written while the loop
 * runs its I/O callbacks are handed to the sockets together in the check phase that follows
 * (setImmediate), not one socket at a time between reads. On loopback each write() also wakes the
 * peer, and with many clients sending at once, writing all replies after all reads lets the peer
 * find several replies per wakeup (under redis-benchmark -c 50 -P 16: about +20% GET and +5% SET
 * throughput for replisim, +20-30% for a bare node:net server; see BENCHMARKS.md). Nothing waits
 * longer than the end of the current turn. `end` and `destroy` hand over bytes still waiting first,
 * so the order and content of what the peer receives are what they were with immediate writes.
 * `bufferedBytes` counts the waiting bytes, so an output limit sees a reply as soon as it is
 * written, as Redis counts its reply list before writing it.
 *
 * Close is reported once, from the socket's 'close' event, with the error the socket saw ('error'
 * always precedes 'close'), except after our own `destroy()`, which is not a failure. `end()` is
 * destroySoon(): the FIN goes out after the bytes and the descriptor is released as soon as they
 * are in the kernel, as Redis's close() does, instead of waiting for a peer that may never close. `destroy()`
 * sends a RST (resetAndDestroy), matching the Env contract and the simulator.
 */
import type { Socket } from 'node:net';
import { assert } from '../assert.js';
import type { Connection, NetError } from '../env.js';

export class RealConnection implements Connection {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly socket: Socket;
  private error: NetError | undefined;
  private destroyedLocally = false;
  private closed = false;
  private reported = false;
  private dataHandlerSet = false;
  private closeHandler: ((error: NetError | undefined) => void) | undefined;
  /** Bytes written this turn and not yet handed to the socket: none, one chunk, or several. */
  private waiting: Uint8Array | Uint8Array[] | null = null;
  private waitingBytes = 0;

  /** Wraps a connected socket. */
  constructor(socket: Socket) {
    this.socket = socket;
    this.localAddress = socket.localAddress ?? '';
    this.localPort = socket.localPort ?? 0;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error ??= toNetError(error);
    });
    socket.once('close', () => {
      this.closed = true;
      this.report();
    });
  }

  write(data: Uint8Array): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded || data.length === 0) return;
    const waiting = this.waiting;
    if (waiting === null) {
      this.waiting = data;
      scheduleFlush(this);
    } else if (Array.isArray(waiting)) {
      waiting.push(data);
    } else {
      this.waiting = [waiting, data];
    }
    this.waitingBytes += data.length;
  }

  bufferedBytes(): number {
    return this.socket.writableLength + this.waitingBytes;
  }

  end(): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    this.flush();
    // end() then destroy() once the bytes are in the kernel ('finish'): the descriptor is released
    // without waiting for the peer's FIN, which a peer that stays connected never sends.
    socket.destroySoon();
  }

  destroy(): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    this.flush();
    this.destroyedLocally = true;
    socket.resetAndDestroy();
  }

  /** Hands the bytes written this turn to the socket (in the flush phase, or before closing). */
  flush(): void {
    const waiting = this.waiting;
    if (waiting === null) return;
    this.waiting = null;
    this.waitingBytes = 0;
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    if (!Array.isArray(waiting)) {
      socket.write(waiting);
      return;
    }
    socket.cork();
    for (const chunk of waiting) socket.write(chunk);
    socket.uncork();
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  onData(handler: (chunk: Buffer) => void): void {
    assert(!this.dataHandlerSet, 'onData registers the single data handler');
    this.dataHandlerSet = true;
    this.socket.on('data', handler);
  }

  onClose(handler: (error: NetError | undefined) => void): void {
    assert(this.closeHandler === undefined, 'onClose registers the single close handler');
    this.closeHandler = handler;
    if (this.closed) {
      // Closed before anyone listened: still report it asynchronously, as its own event.
      setImmediate(() => this.report());
    }
  }

  private report(): void {
    const handler = this.closeHandler;
    if (handler === undefined || this.reported) return;
    this.reported = true;
    handler(this.destroyedLocally ? undefined : this.error);
  }
}

/** Connections with bytes waiting for the flush at the end of this event-loop turn. */
const flushQueue: RealConnection[] = [];
let flushScheduled = false;

function scheduleFlush(connection: RealConnection): void {
  flushQueue.push(connection);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushAll);
}

function flushAll(): void {
  flushScheduled = false;
  // A flush only hands bytes to sockets (it runs no handler), so the queue cannot grow meanwhile.
  for (let i = 0; i < flushQueue.length; i++) flushQueue[i]?.flush();
  flushQueue.length = 0;
}

const NET_CODES: ReadonlySet<string> = new Set<NetError['code']>([
  'ECONNREFUSED',
  'ECONNRESET',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'EIO',
]);

function isNetCode(code: string | undefined): code is NetError['code'] {
  return code !== undefined && NET_CODES.has(code);
}

/** Maps a Node socket error to the Env's vocabulary; a broken pipe is a reset seen from the writer. */
export function toNetError(error: NodeJS.ErrnoException): NetError {
  const code = error.code === 'EPIPE' ? 'ECONNRESET' : error.code;
  if (isNetCode(code)) return { code, message: error.message };
  return { code: 'EIO', message: error.message };
}
