/**
 * One end of a simulated TCP connection, implementing the Env's `Connection`.
 *
 * Two SimConnections make a stream; each owns the pipe carrying its writes to the other (pipe.ts).
 * Close semantics follow a Node socket with `allowHalfOpen: false`:
 * - `end()` queues a FIN after the written bytes and releases this end at once, as close(2) does
 *   once the bytes are in the kernel: its `onClose` runs with no error, nothing more is delivered to
 *   it, and the bytes and the FIN still travel to the peer. The peer, on reading the FIN, ends its
 *   own side and closes with no error (it does not wait for a FIN from an end that is gone). A peer
 *   that never reads the FIN, or never closes, no longer holds anything on this side.
 * - `destroy()` drops what is queued and sends a RST: the local `onClose` runs with no error, the
 *   peer's with ECONNRESET when the RST arrives (a partition holds it like any other segment).
 * - A crash of the host resets its connections silently on its side (its software is gone) and sends
 *   RSTs to the peers; a `resetConnections` fault closes both sides at once with ECONNRESET.
 * Writes are copied, so the writer may reuse its buffer and each receiver gets bytes of its own.
 * Every handler call is its own event on the owning host's current incarnation (life.ts).
 */
import { assert } from '../assert.js';
import type { Connection, NetError } from '../env.js';
import type { Life } from './life.js';
import { Pipe, type PipeContext, type PipeReceiver } from './pipe.js';

/** The network's bookkeeping hook: an endpoint closed (free its port, forget it). */
export type EndpointClosed = (endpoint: SimConnection) => void;

export interface EndpointSpec {
  readonly hostName: string;
  readonly life: Life;
  readonly localAddress: string;
  readonly localPort: number;
  /** True for a client's ephemeral port, which is freed on close; a server end shares its listener's. */
  readonly ownsPort: boolean;
}

type CloseState =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed'; readonly error: NetError | undefined; reported: boolean };

export class SimConnection implements Connection, PipeReceiver {
  readonly id: number;
  readonly hostName: string;
  readonly life: Life;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly ownsPort: boolean;
  private readonly onEndpointClosed: EndpointClosed;
  private peerEnd: SimConnection | undefined;
  private outPipe: Pipe | undefined;
  private state: CloseState = { kind: 'open' };
  private writeEnded = false;
  private finReceived = false;
  private dataHandler: ((chunk: Buffer) => void) | undefined;
  /** False between pauseReading() and resumeReading(): data waits in the peer's pipe. */
  private reading = true;
  private closeHandler: ((error: NetError | undefined) => void) | undefined;

  /** Builds both ends of a new stream; `local` is the connecting side. */
  static pair(
    context: PipeContext,
    id: number,
    local: EndpointSpec,
    remote: EndpointSpec,
    onEndpointClosed: EndpointClosed,
  ): [SimConnection, SimConnection] {
    const a = new SimConnection(id, local, remote, onEndpointClosed);
    const b = new SimConnection(id, remote, local, onEndpointClosed);
    a.peerEnd = b;
    b.peerEnd = a;
    a.outPipe = new Pipe(context, a.hostName, b.hostName, b, `net c${id} >${b.hostName}`);
    b.outPipe = new Pipe(context, b.hostName, a.hostName, a, `net c${id} >${a.hostName}`);
    return [a, b];
  }

  private constructor(
    id: number,
    local: EndpointSpec,
    remote: EndpointSpec,
    onEndpointClosed: EndpointClosed,
  ) {
    this.id = id;
    this.hostName = local.hostName;
    this.life = local.life;
    this.localAddress = local.localAddress;
    this.localPort = local.localPort;
    this.remoteAddress = remote.localAddress;
    this.remotePort = remote.localPort;
    this.ownsPort = local.ownsPort;
    this.onEndpointClosed = onEndpointClosed;
  }

  /** The host at the other end. */
  get peerHostName(): string {
    return this.peer.hostName;
  }

  // --- Connection -------------------------------------------------------------------------------

  write(data: Uint8Array): void {
    if (this.state.kind === 'closed' || this.writeEnded) return;
    if (data.length === 0) return;
    this.out.pushData(Buffer.from(data));
  }

  bufferedBytes(): number {
    return this.out.bytes;
  }

  end(): void {
    if (this.state.kind === 'closed' || this.writeEnded) return;
    this.writeEnded = true;
    this.out.pushFin();
    // The pipe keeps carrying what was written; this end is released now (see the module doc).
    this.close(undefined);
  }

  destroy(): void {
    if (this.state.kind === 'closed') return;
    this.out.pushReset();
    this.close(undefined);
  }

  pauseReading(): void {
    this.reading = false;
  }

  resumeReading(): void {
    if (this.reading) return;
    this.reading = true;
    this.peer.out.kick();
  }

  onData(handler: (chunk: Buffer) => void): void {
    assert(this.dataHandler === undefined, 'onData registers the single data handler');
    this.dataHandler = handler;
    this.peer.out.kick();
  }

  onClose(handler: (error: NetError | undefined) => void): void {
    assert(this.closeHandler === undefined, 'onClose registers the single close handler');
    this.closeHandler = handler;
    this.reportClose();
  }

  // --- PipeReceiver (called by the peer's pipe) ----------------------------------------------------

  isClosed(): boolean {
    return this.state.kind === 'closed';
  }

  isReading(): boolean {
    return this.dataHandler !== undefined && this.reading;
  }

  receiveData(chunk: Buffer): void {
    assert(this.dataHandler !== undefined, 'data is delivered only once a handler exists');
    assert(this.state.kind === 'open', 'data is delivered only to an open endpoint');
    this.dataHandler(chunk);
  }

  receiveFin(): void {
    assert(!this.finReceived, 'a stream carries one FIN per direction');
    this.finReceived = true;
    // allowHalfOpen: false — reading the peer's FIN ends our side too.
    if (!this.writeEnded) {
      this.writeEnded = true;
      this.out.pushFin();
    }
    const peer = this.peer;
    // Both FINs are through, or the peer ended and released its end without waiting for ours.
    if (peer.finReceived || peer.isClosed()) {
      this.close(undefined);
      peer.close(undefined);
    }
  }

  receiveReset(): void {
    this.close(resetError(this));
  }

  // --- Faults (called by the network) ----------------------------------------------------------

  /** Our host crashed: the peer gets a RST; our side just vanishes with the software. */
  crash(): void {
    if (this.state.kind === 'closed') return;
    this.out.pushReset();
    this.close(undefined);
  }

  /** A reset of the link: both sides see ECONNRESET now. */
  resetNow(): void {
    if (this.state.kind === 'closed') return;
    this.close(resetError(this));
  }

  // --- Internals --------------------------------------------------------------------------------

  private get peer(): SimConnection {
    assert(this.peerEnd !== undefined, 'pair() links both ends');
    return this.peerEnd;
  }

  private get out(): Pipe {
    assert(this.outPipe !== undefined, 'pair() creates both pipes');
    return this.outPipe;
  }

  private close(error: NetError | undefined): void {
    if (this.state.kind === 'closed') return;
    this.state = { kind: 'closed', error, reported: false };
    // Nothing more is delivered to us; an error also discards what we had not sent yet.
    this.peer.out.clear();
    if (error !== undefined) this.out.clear();
    this.onEndpointClosed(this);
    this.reportClose();
  }

  /** Runs the close handler once, as its own event, when both the handler and the close exist. */
  private reportClose(): void {
    const state = this.state;
    const handler = this.closeHandler;
    if (state.kind !== 'closed' || state.reported || handler === undefined) return;
    state.reported = true;
    this.life.schedule(0, `close c${this.id}`, () => handler(state.error));
  }
}

function resetError(connection: SimConnection): NetError {
  return {
    code: 'ECONNRESET',
    message: `read ECONNRESET (${connection.remoteAddress}:${connection.remotePort})`,
  };
}
