/**
 * A CommandChannel: what a RecordingClient needs from a client connection. Send one command and get
 * its reply (undefined when none came: the connection died or the command timed out, so its outcome
 * is unknown), close, and say how many replies are pending. RespClient (resp-client.ts) is the
 * harness's own, over an Env connection; the process backend offers one over ioredis
 * (backends/process/ioredis-channel.ts), the client most Node users run against real Redis.
 */
import type { ReplyHandler } from './resp-client.js';

export interface CommandChannel {
  readonly closed: boolean;
  /** Requests sent and not answered yet. */
  readonly inFlight: number;
  /** Why the last `undefined` reply came (a timeout, say), if the channel knows better than "closed". */
  readonly noReplyReason?: string | undefined;
  /** Sends one command; `onReply` runs with its reply, or undefined if none came. */
  send(argv: readonly string[], onReply: ReplyHandler): void;
  close(): void;
}
