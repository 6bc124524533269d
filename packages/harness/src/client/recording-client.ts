/**
 * A client whose every operation goes into the run's history (history/op.ts): `invoke` when the
 * request goes out, then `ok`, `fail` (an error reply: it did not happen) or `info` (no reply: the
 * outcome is unknown). Workloads use `op` with a callback, so they run in the background of a
 * scenario; scenario steps use `call`, which lets time pass until the reply arrives.
 *
 * One client is one connection and one Jepsen process; its id is its `process`. The connection is a
 * CommandChannel: the harness's RespClient, or a backend's own (ioredis on real processes).
 */
import type { RespValue } from '@replisim/protocol';
import type { History } from '../history/history.js';
import type { OpFunction, OpValue } from '../history/op.js';
import type { CommandChannel } from './command-channel.js';
import { type ReplyHandler, replyLine } from './resp-client.js';

/** Bulk arguments longer than this are abbreviated in the history. */
const COMMAND_ARG_CHARS_MAX = 64;

export interface OpOptions {
  readonly key?: string;
  /** The value on invoke (what a write writes). */
  readonly value?: OpValue;
  /** The value on ok, from the reply (what a read read); default: the invoke's value. */
  readonly resultOf?: (reply: RespValue) => OpValue | undefined;
}

export class RecordingClient {
  readonly id: number;
  readonly node: string;
  private readonly resp: CommandChannel;
  private readonly history: History;

  constructor(id: number, node: string, resp: CommandChannel, history: History) {
    this.id = id;
    this.node = node;
    this.resp = resp;
    this.history = history;
  }

  get closed(): boolean {
    return this.resp.closed;
  }

  get inFlight(): number {
    return this.resp.inFlight;
  }

  /** Sends `argv` as operation `f`, recording invoke and completion; `done` gets the reply. */
  op(f: OpFunction, argv: readonly string[], options: OpOptions, done: ReplyHandler): void {
    const { key, value } = options;
    this.history.op({
      type: 'invoke',
      f,
      process: this.id,
      node: this.node,
      key,
      value,
      command: argv.map((arg) =>
        arg.length > COMMAND_ARG_CHARS_MAX ? `${arg.slice(0, COMMAND_ARG_CHARS_MAX)}...` : arg,
      ),
    });
    this.resp.send(argv, (reply) => {
      if (reply === undefined) {
        this.history.op({
          type: 'info',
          f,
          process: this.id,
          node: this.node,
          key,
          value,
          error: this.resp.noReplyReason ?? 'no reply: the connection closed',
        });
      } else if (reply.kind === 'error') {
        this.history.op({
          type: 'fail',
          f,
          process: this.id,
          node: this.node,
          key,
          value,
          error: reply.value,
        });
      } else {
        const result = options.resultOf === undefined ? value : options.resultOf(reply);
        this.history.op({
          type: 'ok',
          f,
          process: this.id,
          node: this.node,
          key,
          value: result ?? replyLine(reply),
        });
      }
      done(reply);
    });
  }

  /** Records an op of this client without sending anything (a multi-command read's ends). */
  record(
    type: 'invoke' | 'ok' | 'fail' | 'info',
    f: OpFunction,
    fields: {
      readonly value?: OpValue;
      readonly command?: readonly string[];
      readonly error?: string;
    },
  ): void {
    this.history.op({ type, f, process: this.id, node: this.node, ...fields });
  }

  /** Sends without recording: for probes that are not part of the story (INFO polling). */
  sendUnrecorded(argv: readonly string[], done: ReplyHandler): void {
    this.resp.send(argv, done);
  }

  close(): void {
    this.resp.close();
  }
}
