/**
 * A callback-driven RESP client over any Env connection: the harness's clients. It never runs the
 * world itself, so many clients can be in flight while a scenario lets time pass and injects faults.
 * Replies are matched to requests in order (RESP has no ids); when the connection breaks, every
 * pending callback gets `undefined`, which is how a client sees a crash: no reply, so the outcome
 * of what it sent is unknown.
 */
import type { Connection } from '@replisim/base';
import { encodeCommand, RespDecoder, type RespValue } from '@replisim/protocol';

export type ReplyHandler = (reply: RespValue | undefined) => void;

export class RespClient {
  private readonly connection: Connection;
  private readonly decoder = new RespDecoder();
  private readonly pending: ReplyHandler[] = [];
  private closedFlag = false;

  constructor(connection: Connection) {
    this.connection = connection;
    connection.onData((chunk) => this.onData(chunk));
    connection.onClose(() => this.onClose());
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Sends one command; `onReply` runs with its reply, or undefined if the connection dies first. */
  send(argv: readonly (string | Buffer)[], onReply: ReplyHandler): void {
    if (this.closedFlag) {
      onReply(undefined);
      return;
    }
    this.pending.push(onReply);
    this.connection.write(encodeCommand(argv));
  }

  close(): void {
    this.connection.destroy();
    this.onClose();
  }

  private onData(chunk: Buffer): void {
    this.decoder.feed(chunk);
    for (;;) {
      const result = this.decoder.next();
      if (result.kind === 'incomplete') return;
      if (result.kind === 'error') {
        this.close();
        return;
      }
      this.pending.shift()?.(result.value);
    }
  }

  private onClose(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const handler of this.pending.splice(0)) handler(undefined);
  }
}

/** A reply as text: the string of a simple/bulk/error reply, the decimal of an integer. */
export function replyText(reply: RespValue | undefined): string | undefined {
  if (reply === undefined) return undefined;
  switch (reply.kind) {
    case 'simple':
    case 'error':
      return reply.value;
    case 'bulk':
    case 'verbatim':
      return reply.value.toString('latin1');
    case 'integer':
      return reply.value.toString();
    default:
      return undefined;
  }
}

/** A reply as redis-cli shows it in one line: errors as `(error) ...`, nil as `(nil)`. */
export function replyLine(reply: RespValue | undefined): string {
  if (reply === undefined) return '(no reply)';
  if (reply.kind === 'error') return `(error) ${reply.value}`;
  if (reply.kind === 'null') return '(nil)';
  return replyText(reply) ?? `(${reply.kind})`;
}

/** One field of an INFO reply (`name:value` lines), or undefined. */
export function infoField(reply: RespValue | undefined, name: string): string | undefined {
  const text = replyText(reply);
  if (text === undefined) return undefined;
  const prefix = `${name}:`;
  for (const line of text.split('\r\n')) {
    if (line.startsWith(prefix)) return line.slice(prefix.length);
  }
  return undefined;
}
