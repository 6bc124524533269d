/**
 * A real TCP connection: the Env's `Connection` over a node:net Socket.
 *
 * It is on the server's hot path, so it adds nothing per chunk: `write` hands the caller's bytes to
 * the socket without copying, and the data handler is attached to the socket's 'data' event directly,
 * so each Buffer Node reads is delivered as is. Nagle is off (replies go out when written).
 *
 * Close is reported once, from the socket's 'close' event, with the error the socket saw ('error'
 * always precedes 'close'), except after our own `destroy()`, which is not a failure. `destroy()`
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
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(data);
  }

  bufferedBytes(): number {
    return this.socket.writableLength;
  }

  end(): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    socket.end();
  }

  destroy(): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    this.destroyedLocally = true;
    socket.resetAndDestroy();
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
