/**
 * The process backend's client: ioredis, the client most Node users run, as a CommandChannel
 * (client/command-channel.ts), so the RecordingClient records the same history over it as over the
 * simulator's RespClient.
 *
 * ioredis is configured to behave as one Jepsen process, one connection:
 * - no reconnect (`retryStrategy` returns null), no offline queue, no resend of unfulfilled
 *   commands after a reconnect: a command is sent once, so its history entry means what it says;
 * - `commandTimeout`: a command without a reply by then gets `undefined`, which the history
 *   records as `info` (outcome unknown), never as `fail`;
 * - replies as Buffers (`replyEncoding: null`), converted to the harness's RespValue: an error
 *   reply (ReplyError) is `error`, an integer `integer`, a string `bulk`, nil `null`.
 * ioredis 6 opens with HELLO 3 (RESP3, with RESP2-shaped replies by default) and sends CLIENT
 * SETINFO and an INFO ready check, as it does for its users.
 */

import { createRequire } from 'node:module';
import type { RespValue } from '@replisim/protocol';
import type { Redis } from 'ioredis';
import type { CommandChannel } from '../../client/command-channel.js';
import type { ReplyHandler } from '../../client/resp-client.js';

/**
 * ioredis is loaded on the first connection, not when this module is imported: the CLI imports
 * the process backend for every command, and loading ioredis took about a tenth of a fresh
 * `replisim run` in the simulator, which never uses it (BENCHMARKS.md, simulator speed).
 */
let ioredis: typeof import('ioredis') | undefined;
function ioredisModule(): typeof import('ioredis') {
  ioredis ??= createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return ioredis;
}

/** How long a command may wait for its reply before it counts as unknown (info). */
export const COMMAND_TIMEOUT_MS_DEFAULT = 15_000;
/** How long connecting may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

export class IoredisChannel implements CommandChannel {
  private readonly redis: Redis;
  private pending = 0;
  /** Why the last command got no reply (ioredis's message: a timeout, a closed connection). */
  noReplyReason: string | undefined;

  private constructor(redis: Redis) {
    this.redis = redis;
  }

  /** Connects; `done` gets the channel, or undefined if the connection failed. */
  static open(
    host: string,
    port: number,
    done: (channel: IoredisChannel | undefined) => void,
    options: { readonly commandTimeoutMs?: number } = {},
  ): void {
    const settings = {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS_DEFAULT,
    };
    const redis = new (ioredisModule().Redis)(port, host, settings);
    // Connection errors surface through the commands' replies; an unhandled 'error' would crash.
    redis.on('error', () => {});
    redis.connect().then(
      () => done(new IoredisChannel(redis)),
      () => {
        redis.disconnect();
        done(undefined);
      },
    );
  }

  get closed(): boolean {
    return this.redis.status === 'end' || this.redis.status === 'close';
  }

  get inFlight(): number {
    return this.pending;
  }

  send(argv: readonly string[], onReply: ReplyHandler): void {
    const [name, ...args] = argv;
    if (name === undefined || this.closed) {
      onReply(undefined);
      return;
    }
    this.pending++;
    const command = new (ioredisModule().Command)(name, args, { replyEncoding: null });
    this.redis.sendCommand(command);
    command.promise.then(
      (value: unknown) => {
        this.pending--;
        onReply(respOf(value));
      },
      (error: unknown) => {
        this.pending--;
        if (error instanceof Error && error.name === 'ReplyError') {
          onReply({ kind: 'error', value: error.message });
          return;
        }
        this.noReplyReason = `no reply: ${error instanceof Error ? error.message : String(error)}`;
        onReply(undefined);
      },
    );
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** An ioredis reply (Buffers, numbers, arrays, null, nested errors) as a RespValue. */
export function respOf(value: unknown): RespValue {
  if (value === null || value === undefined) return { kind: 'null' };
  if (Buffer.isBuffer(value)) return { kind: 'bulk', value };
  if (typeof value === 'string') return { kind: 'bulk', value: Buffer.from(value, 'latin1') };
  if (typeof value === 'number') return { kind: 'integer', value: BigInt(value) };
  if (typeof value === 'bigint') return { kind: 'integer', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(respOf) };
  if (value instanceof Error) return { kind: 'error', value: value.message };
  return { kind: 'bulk', value: Buffer.from(String(value), 'latin1') };
}
