/**
 * A hand-driven replica on a simulated host, for tests of the master side: it sends whatever
 * commands the test gives (REPLCONF, PSYNC, REPLCONF ACK) and keeps every byte the master sends,
 * raw, because a sync is not RESP all the way (`$<len>\r\n<rdb>` has no trailing CRLF). `sync()`
 * cuts what arrived into the parts of a sync: keepalive newlines, the +FULLRESYNC / +CONTINUE line,
 * the payload, and the stream after it.
 *
 * Payloads of many megabytes arrive in thousands of chunks, so bytes are joined only when read, and
 * waitPayload asks only "has the payload's end arrived?" per chunk (from the length, or by looking
 * for the EOF mark in the new bytes) instead of joining and parsing everything each time: that made
 * a 12 MB diskless test quadratic, over 30 s on a loaded machine.
 */
import { assert, type Connection, type SimHost, type SimWorld } from '@replisim/base';
import { encodeCommand } from '@replisim/protocol';
import { runUntil, SIM_SERVER_ADDRESS, SIM_SERVER_PORT } from './sim-server.js';

export interface ParsedSync {
  /** `+FULLRESYNC <id> <offset>`, `+CONTINUE [<id>]`, or '' for plain SYNC. */
  readonly line: string;
  /** The RDB payload (empty for +CONTINUE). */
  readonly payload: Buffer;
  /** Every byte after the payload (after the line for +CONTINUE). */
  readonly stream: Buffer;
  /** Keepalive newlines seen before the payload. */
  readonly newlines: number;
  /** The `$EOF:` mark of a diskless payload, undefined for `$<len>` framing. */
  readonly eofMark?: string;
}

/** How the payload in flight ends, once its header has arrived (see waitPayload). */
type PayloadEnd =
  | { readonly kind: 'complete' }
  | { readonly kind: 'length'; readonly endBytes: number }
  | { readonly kind: 'mark'; readonly mark: Buffer; tail: Buffer; found: boolean };

/** Bytes of the start of a sync searched for its header (newlines, +FULLRESYNC line, $ line). */
const HEADER_BYTES_MAX = 4096;

export class SimRawReplica {
  readonly connection: Connection;
  private readonly world: SimWorld;
  /** Everything received so far is `joined` followed by `pending`. */
  private joined: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private receivedBytes = 0;
  private payloadEnd: PayloadEnd | undefined;
  closed = false;

  private constructor(world: SimWorld, connection: Connection) {
    this.world = world;
    this.connection = connection;
    connection.onData((chunk) => {
      this.pending.push(chunk);
      this.receivedBytes += chunk.length;
      this.trackPayloadEnd(chunk);
    });
    connection.onClose(() => {
      this.closed = true;
    });
  }

  /** Every byte the master sent (after what handshake() took out). */
  get received(): Buffer {
    if (this.pending.length > 0) {
      this.joined = Buffer.concat([this.joined, ...this.pending]);
      this.pending = [];
    }
    return this.joined;
  }

  set received(bytes: Buffer) {
    this.joined = bytes;
    this.pending = [];
    this.receivedBytes = bytes.length;
    this.payloadEnd = undefined;
  }

  /** Updates payloadEnd with a new chunk: finds the header first, then watches for the end. */
  private trackPayloadEnd(chunk: Buffer): void {
    const end = this.payloadEnd;
    if (end === undefined) {
      if (this.receivedBytes > HEADER_BYTES_MAX && this.joined.length >= HEADER_BYTES_MAX) return;
      this.payloadEnd = payloadEndOf(this.received);
      return;
    }
    if (end.kind !== 'mark' || end.found) return;
    const window = Buffer.concat([end.tail, chunk]);
    end.found = window.indexOf(end.mark) >= 0;
    end.tail = window.subarray(Math.max(0, window.length - end.mark.length + 1));
  }

  /** Whether the whole payload (or a +CONTINUE) has arrived, without joining or parsing it. */
  private payloadArrived(): boolean {
    const end = this.payloadEnd;
    if (end === undefined) return false;
    if (end.kind === 'complete') return true;
    if (end.kind === 'length') return this.receivedBytes >= end.endBytes;
    return end.found;
  }

  static open(world: SimWorld, host: SimHost, port: number = SIM_SERVER_PORT): SimRawReplica {
    let replica: SimRawReplica | undefined;
    host.env.network.connect(SIM_SERVER_ADDRESS, port, (result) => {
      assert(result.ok, 'connect failed');
      replica = new SimRawReplica(world, result.value);
    });
    runUntil(world, () => replica !== undefined, 1000);
    assert(replica !== undefined, 'connect timed out');
    return replica;
  }

  send(...argv: string[]): void {
    this.connection.write(encodeCommand(argv));
  }

  /** Sends a handshake command and waits for its `+OK` (or error) line; returns the line. */
  handshake(...argv: string[]): string {
    const before = this.received.length;
    this.send(...argv);
    runUntil(this.world, () => this.received.indexOf('\r\n', before) >= 0, 1000);
    const end = this.received.indexOf('\r\n', before);
    assert(end >= 0, `no reply to ${argv.join(' ')}`);
    const line = this.received.subarray(before, end).toString('latin1');
    this.received = Buffer.concat([
      this.received.subarray(0, before),
      this.received.subarray(end + 2),
    ]);
    return line;
  }

  /** Runs the world until the sync's payload is complete (or `msMax` passes). */
  waitPayload(msMax = 5000): ParsedSync {
    runUntil(this.world, () => this.payloadArrived() || this.closed, msMax);
    const parsed = parseSync(this.received);
    assert(parsed !== undefined, `no complete payload in ${this.received.length} bytes`);
    return parsed;
  }

  /** Runs the world until the stream after the payload holds `bytes` bytes. */
  waitStream(bytes: number, msMax = 5000): Buffer {
    runUntil(this.world, () => (parseSync(this.received)?.stream.length ?? 0) >= bytes, msMax);
    return parseSync(this.received)?.stream ?? Buffer.alloc(0);
  }

  close(): void {
    this.connection.destroy();
  }
}

/**
 * Where the payload at the start of `data` ends, once its header is there: a byte count for
 * `$<len>` framing, the mark for `$EOF:` framing (searched from the payload's start), complete for
 * +CONTINUE; undefined while the header is incomplete.
 */
function payloadEndOf(data: Buffer): PayloadEnd | undefined {
  let at = 0;
  while (data[at] === 0x0a) at++;
  if (data[at] === 0x2b) {
    const end = data.indexOf('\r\n', at);
    if (end < 0) return undefined;
    if (data.subarray(at, end).toString('latin1').startsWith('+CONTINUE')) {
      return { kind: 'complete' };
    }
    at = end + 2;
    while (data[at] === 0x0a) at++;
  }
  if (data[at] !== 0x24) return undefined;
  const headerEnd = data.indexOf('\r\n', at);
  if (headerEnd < 0) return undefined;
  const header = data.subarray(at, headerEnd).toString('latin1');
  if (header.startsWith('$EOF:')) {
    const mark = Buffer.from(header.slice(5), 'latin1');
    const rest = data.subarray(headerEnd + 2);
    return {
      kind: 'mark',
      mark,
      found: rest.indexOf(mark) >= 0,
      tail: rest.subarray(Math.max(0, rest.length - mark.length + 1)),
    };
  }
  return { kind: 'length', endBytes: headerEnd + 2 + Number(header.slice(1)) };
}

/** Splits a master's output into line, payload and stream; undefined while incomplete. */
export function parseSync(data: Buffer): ParsedSync | undefined {
  let at = 0;
  let newlines = 0;
  const skipNewlines = (): void => {
    while (data[at] === 0x0a) {
      at++;
      newlines++;
    }
  };
  skipNewlines();
  let line = '';
  if (data[at] === 0x2b) {
    const end = data.indexOf('\r\n', at);
    if (end < 0) return undefined;
    line = data.subarray(at, end).toString('latin1');
    at = end + 2;
    if (line.startsWith('+CONTINUE')) {
      return { line, payload: Buffer.alloc(0), stream: data.subarray(at), newlines };
    }
    skipNewlines();
  }
  if (data[at] !== 0x24) return undefined;
  const headerEnd = data.indexOf('\r\n', at);
  if (headerEnd < 0) return undefined;
  const header = data.subarray(at, headerEnd).toString('latin1');
  if (header.startsWith('$EOF:')) {
    // Diskless: the payload runs up to the 40-character mark the header announced.
    const mark = header.slice(5);
    const end = data.indexOf(mark, headerEnd + 2, 'latin1');
    if (end < 0) return undefined;
    return {
      line,
      payload: data.subarray(headerEnd + 2, end),
      stream: data.subarray(end + mark.length),
      newlines,
      eofMark: mark,
    };
  }
  const length = Number(data.subarray(at + 1, headerEnd).toString('latin1'));
  const start = headerEnd + 2;
  if (data.length < start + length) return undefined;
  return {
    line,
    payload: data.subarray(start, start + length),
    stream: data.subarray(start + length),
    newlines,
  };
}
