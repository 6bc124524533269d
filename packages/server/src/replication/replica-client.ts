/**
 * The master's view of one replica (Redis's client fields slave_*, repl_*): which step of its sync
 * it is at, what it announced with REPLCONF, and how far it has acknowledged the stream.
 *
 * The states, as Redis's SLAVE_STATE_* (reference §3.1):
 *
 *   wait_bgsave_start  asked for a full sync; no snapshot serves it yet (it gets newlines)
 *   wait_bgsave_end    +FULLRESYNC sent; the snapshot is being written; the stream since the
 *                      snapshot point is buffered in `pending`
 *   send_bulk          the finished file is being sent (`$<len>\r\n` + bytes); still buffering
 *   online             the buffered stream went out and live stream bytes go straight to it
 *
 * A replica that continued with +CONTINUE is online at once. After a diskless payload it is online
 * but its stream stays held until its first REPLCONF ACK (repl_start_cmd_stream_on_ack), so the
 * EOF mark is never glued to stream bytes. The replica's Client stays in the
 * node's client table: it still sends commands (REPLCONF ACK), and its connection is where every
 * payload and stream byte goes, written directly rather than through the reply buffer.
 */
import type { Client } from '../client.js';

export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

/** INFO's state= word for each state (both waits read `wait_bgsave`). */
export const REPLICA_STATE_INFO: Readonly<Record<ReplicaState, string>> = {
  wait_bgsave_start: 'wait_bgsave',
  wait_bgsave_end: 'wait_bgsave',
  send_bulk: 'send_bulk',
  online: 'online',
};

export class ReplicaClient {
  readonly client: Client;
  state: ReplicaState = 'wait_bgsave_start';
  /** REPLCONF capa eof / psync2. */
  capaEof = false;
  capaPsync2 = false;
  /** REPLCONF listening-port (0 = not announced) and ip-address ('' = use the peer address). */
  listeningPort = 0;
  announcedIp = '';
  /** Plain SYNC (Redis's CLIENT_PRE_PSYNC): no +FULLRESYNC, no ACKs expected, no ACK timeout. */
  readonly prePsync: boolean;
  /** Highest REPLCONF ACK offset received (repl_ack_off) and when (repl_ack_time, monotonic ms). */
  ackOffset = 0;
  ackTimeMs: number;
  /** The stream offset its payload ends at (psync_initial_offset), once +FULLRESYNC went out. */
  initialOffset = -1;
  /** Monotonic ms since it waits for a BGSAVE (the diskless delay and keepalives use it). */
  readonly waitingSinceMs: number;
  /** Which path its full sync took (INFO's replisim field and the log): see sync-plan.ts. */
  syncPath = '';
  /** Its payload is streamed by a diskless BGSAVE (no keepalive newlines may go in between). */
  socketTarget = false;
  /** Online after a diskless payload, waiting for the first ACK before the stream starts. */
  streamOnAck = false;
  /** Since when (monotonic ms) its diskless payload has sat unsent in its socket, -1 if not. */
  stalledSinceMs = -1;
  /** The connection closed (the master dropped it from its list). */
  gone = false;
  /** Stream bytes held back until its payload is sent. */
  private readonly pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(client: Client, prePsync: boolean, nowMs: number) {
    this.client = client;
    this.prePsync = prePsync;
    this.ackTimeMs = nowMs;
    this.waitingSinceMs = nowMs;
  }

  /** Whether the connection is still in the node's table and not being closed. */
  get connected(): boolean {
    return !this.gone && !this.client.closing;
  }

  /** Bytes of stream held back while the payload is prepared and sent. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  /** Replica output as Redis counts it for client-output-buffer-limit: unsent socket + held stream. */
  get outputBytes(): number {
    return this.client.connection.bufferedBytes() + this.pendingLength;
  }

  /** The stream bytes of `chunk` this replica must receive: live when online, held otherwise. */
  feed(chunk: Buffer): void {
    if (this.state === 'online' && !this.streamOnAck) {
      this.client.connection.write(chunk);
      return;
    }
    if (this.state === 'wait_bgsave_start') return;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
  }

  /** Starts holding the stream from the snapshot point, with the bytes given (backlog or a peer's). */
  holdFrom(initialOffset: number, heldAlready: readonly Buffer[]): void {
    this.initialOffset = initialOffset;
    this.state = 'wait_bgsave_end';
    for (const chunk of heldAlready) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
    }
  }

  /** A copy of the held stream (a replica joining this one's BGSAVE gets the same bytes). */
  heldStream(): Buffer[] {
    return [...this.pending];
  }

  /**
   * The payload is sent (replicaPutOnline): the held stream goes out and live bytes follow, or,
   * after a diskless payload, both wait for the first ACK (`startStream`).
   */
  putOnline(nowMs: number, streamOnAck: boolean): void {
    this.state = 'online';
    this.ackTimeMs = nowMs;
    this.streamOnAck = streamOnAck;
    if (!streamOnAck) this.startStream();
  }

  /** replicaStartCommandStream: the held stream goes out, live bytes follow. */
  startStream(): void {
    this.streamOnAck = false;
    for (const chunk of this.pending.splice(0)) this.client.connection.write(chunk);
    this.pendingLength = 0;
  }

  /** Redis's replicationGetSlaveName: `ip:listening-port`, or `ip:<unknown-replica-port>`. */
  name(): string {
    const ip = this.ip();
    if (this.listeningPort === 0) return `${ip}:<unknown-replica-port>`;
    return ip.includes(':') ? `[${ip}]:${this.listeningPort}` : `${ip}:${this.listeningPort}`;
  }

  /** The address INFO and ROLE show. */
  ip(): string {
    return this.announcedIp !== '' ? this.announcedIp : this.client.connection.remoteAddress;
  }
}
