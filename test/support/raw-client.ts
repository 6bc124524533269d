/**
 * A raw RESP client for byte-exact tests: it writes whatever bytes it is given and hands back each
 * reply as the exact bytes the server sent, so two servers can be compared byte for byte.
 *
 * A RespDecoder tells where each reply ends; the bytes themselves are kept untouched. It also
 * records when the server closed the connection, which is part of the expected behaviour (QUIT, a
 * protocol error, a kill). Uses node:net directly: it is a test tool, not simulator code.
 */
import { connect, type Socket } from 'node:net';
import { encodeCommand, RespDecoder, type RespValue } from '@replisim/protocol';

/** One complete reply: its wire bytes and its decoded value. */
export interface RawReply {
  readonly bytes: Buffer;
  readonly value: RespValue;
}

export class RawClient {
  private readonly socket: Socket;
  private readonly decoder = new RespDecoder();
  /** Bytes fed to the decoder since the last complete reply. */
  private pending: Buffer = Buffer.alloc(0);
  private readonly replies: RawReply[] = [];
  private closedFlag = false;
  private decodeError: string | undefined;
  private wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closedFlag = true;
      this.notify();
    });
    // A reset (ECONNRESET) is reported as a close; the tests look at the close, not its cause.
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  /** True once the server closed the connection (or it broke). */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Writes raw bytes (a string is sent as latin1, byte for byte). */
  send(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Sends one command as a multibulk request. */
  command(...argv: (string | Buffer)[]): void {
    this.socket.write(encodeCommand(argv));
  }

  /** Waits for `count` more replies; rejects on a timeout, a close, or a malformed reply. */
  async read(count: number, timeoutMs = 2000): Promise<RawReply[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count) {
      if (this.decodeError !== undefined) throw new Error(`bad reply: ${this.decodeError}`);
      if (this.closedFlag) {
        throw new Error(`connection closed after ${this.replies.length} of ${count} replies`);
      }
      if (!(await this.waitEvent(deadline))) {
        throw new Error(`timed out after ${this.replies.length} of ${count} replies`);
      }
    }
    return this.replies.splice(0, count);
  }

  /** Sends a command and returns the bytes of its reply. */
  async call(...argv: (string | Buffer)[]): Promise<RawReply> {
    this.command(...argv);
    const [reply] = await this.read(1);
    if (reply === undefined) throw new Error('no reply');
    return reply;
  }

  /** Waits until the server closes the connection; false if it is still open after timeoutMs. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedFlag) {
      if (!(await this.waitEvent(deadline))) return false;
    }
    return true;
  }

  /** Replies received and not read yet (after a close, what arrived before it). */
  unread(): RawReply[] {
    return this.replies.splice(0);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    this.decoder.feed(chunk);
    for (;;) {
      const result = this.decoder.next();
      if (result.kind === 'incomplete') break;
      if (result.kind === 'error') {
        this.decodeError = result.message;
        break;
      }
      const consumed = this.pending.length - this.decoder.bufferedBytes();
      this.replies.push({ bytes: this.pending.subarray(0, consumed), value: result.value });
      this.pending = this.pending.subarray(consumed);
    }
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves true at the next data or close event, false at the deadline. */
  private waitEvent(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.wake = undefined;
          resolve(false);
        },
        Math.max(0, deadline - Date.now()),
      );
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
