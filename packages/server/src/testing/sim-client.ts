/**
 * A raw RESP client on a simulated host, for tests: it writes the bytes it is given and keeps each
 * reply as the exact bytes the server sent (a RespDecoder only finds where a reply ends), plus
 * whether and how the server closed the connection. The simulated network delivers the bytes split
 * and joined as its seed decides, so byte-exact checks here also cover the server's handling of
 * fragmented input. Driven by the world: call `SimClient.open` and then run virtual time.
 */
import {
  assert,
  type Connection,
  type NetError,
  type SimHost,
  type SimWorld,
} from '@replisim/base';
import { encodeCommand, RespDecoder, type RespValue } from '@replisim/protocol';
import { runUntil, SIM_SERVER_ADDRESS, SIM_SERVER_PORT } from './sim-server.js';

export interface SimReply {
  readonly bytes: Buffer;
  readonly value: RespValue;
}

/** How long `open` waits for the connection, in virtual ms (several SYN latencies). */
const CONNECT_MS_MAX = 1000;
/** How long `read` waits for replies by default, in virtual ms. */
const READ_MS_DEFAULT = 1000;

export class SimClient {
  readonly connection: Connection;
  private readonly world: SimWorld;
  private readonly decoder = new RespDecoder();
  private pending: Buffer = Buffer.alloc(0);
  private readonly replies: SimReply[] = [];
  private closeState: { readonly error: NetError | undefined } | undefined;
  /** The decoder's complaint if the server sent something that is not RESP. */
  decodeError: string | undefined;

  private constructor(world: SimWorld, connection: Connection) {
    this.world = world;
    this.connection = connection;
    connection.onData((chunk) => this.onData(chunk));
    connection.onClose((error) => {
      this.closeState = { error };
    });
  }

  /** Connects from `host` to the sim server and runs the world until the connection is up. */
  static open(
    world: SimWorld,
    host: SimHost,
    address: string = SIM_SERVER_ADDRESS,
    port: number = SIM_SERVER_PORT,
  ): SimClient {
    let client: SimClient | undefined;
    let failure: NetError | undefined;
    host.env.network.connect(address, port, (result) => {
      if (result.ok) client = new SimClient(world, result.value);
      else failure = result.error;
    });
    runUntil(world, () => client !== undefined || failure !== undefined, CONNECT_MS_MAX);
    assert(client !== undefined, `connect failed: ${failure?.code ?? 'timeout'}`);
    return client;
  }

  get closed(): boolean {
    return this.closeState !== undefined;
  }

  /** The error the close came with (ECONNRESET for a reset), undefined for a clean close. */
  get closeError(): NetError | undefined {
    return this.closeState?.error;
  }

  /** Writes raw bytes (a string as latin1), all in one write. */
  send(data: string | Buffer): void {
    this.connection.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Writes commands as multibulk requests, all in one write (a pipeline). */
  pipeline(commands: readonly (readonly (string | Buffer)[])[]): void {
    this.send(Buffer.concat(commands.map((argv) => encodeCommand([...argv]))));
  }

  /** Runs the world until `count` replies are waiting (or the connection closed) and takes them. */
  read(count: number, durationMsMax: number = READ_MS_DEFAULT): SimReply[] {
    runUntil(this.world, () => this.replies.length >= count || this.closed, durationMsMax);
    assert(this.decodeError === undefined, `bad reply: ${this.decodeError}`);
    assert(
      this.replies.length >= count,
      `${this.replies.length} of ${count} replies${this.closed ? ' before the close' : ''}`,
    );
    return this.replies.splice(0, count);
  }

  /** Sends one command and returns its reply's bytes as latin1 text. */
  call(...argv: (string | Buffer)[]): string {
    this.pipeline([argv]);
    const [reply] = this.read(1);
    assert(reply !== undefined, 'one reply');
    return reply.bytes.toString('latin1');
  }

  /** Runs the world until the server closes the connection; false if it is open after the wait. */
  waitClosed(durationMsMax: number = READ_MS_DEFAULT): boolean {
    return runUntil(this.world, () => this.closed, durationMsMax);
  }

  /** Replies received and not read yet. */
  unread(): SimReply[] {
    return this.replies.splice(0);
  }

  close(): void {
    this.connection.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    this.decoder.feed(chunk);
    for (;;) {
      const result = this.decoder.next();
      if (result.kind === 'incomplete') return;
      if (result.kind === 'error') {
        this.decodeError = result.message;
        return;
      }
      const consumed = this.pending.length - this.decoder.bufferedBytes();
      this.replies.push({ bytes: this.pending.subarray(0, consumed), value: result.value });
      this.pending = this.pending.subarray(consumed);
    }
  }
}

/**
 * Opens a new client on a new host each call (c1 at 10.0.0.2, c2 at 10.0.0.3, ...; the server is
 * 10.0.0.1), for tests that need several connections, e.g. one that blocks and one that serves it.
 */
export function clientOpener(world: SimWorld): () => SimClient {
  let hosts = 0;
  return () => {
    hosts++;
    return SimClient.open(world, world.addHost(`c${hosts}`, `10.0.0.${hosts + 1}`));
  };
}
