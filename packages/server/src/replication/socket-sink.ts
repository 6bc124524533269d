/**
 * The sink of a diskless sync (Redis's rdbSaveToSlavesSockets + rdbSaveRioWithEOFMark): the
 * snapshot's bytes go straight to the sockets of the replicas it serves, framed as
 * `$EOF:<40 hex mark>\r\n<rdb bytes><mark>` (reference §3.3), since the length is not known up
 * front. One snapshot feeds every replica it was started for; a replica that disconnects is skipped.
 *
 * Backpressure: `queuedBytes` is the unsent output of the slowest replica, so the snapshot's
 * slices wait for it (persistence.ts stops above SINK_QUEUE_BYTES_MAX). Connections have no drain
 * event, so while above the mark this sink looks again every POLL_MS and reports the drain.
 * When every replica is gone the transfer fails (Redis kills the child: "last replica dropped").
 */
import type { Env, TimerId } from '@replisim/base';
import { type SaveSink, SINK_QUEUE_BYTES_MAX } from '../persistence/persistence.js';
import type { RdbFileResult } from '../persistence/rdb-file.js';
import type { ReplicaClient } from './replica-client.js';

const POLL_MS = 5;

export class SocketSink implements SaveSink {
  readonly tempName = '';
  private readonly env: Env;
  private readonly replicas: readonly ReplicaClient[];
  private readonly mark: Buffer;
  private readonly onDrain: () => void;
  private readonly done: (result: RdbFileResult) => void;
  private state: 'open' | 'done' | 'aborted' = 'open';
  private poll: TimerId | undefined;
  private written = 0;

  constructor(
    env: Env,
    replicas: readonly ReplicaClient[],
    mark: string,
    onDrain: () => void,
    done: (result: RdbFileResult) => void,
  ) {
    this.env = env;
    this.replicas = replicas;
    this.mark = Buffer.from(mark, 'latin1');
    this.onDrain = onDrain;
    this.done = done;
    this.broadcast(Buffer.from(`$EOF:${mark}\r\n`, 'latin1'));
  }

  get active(): boolean {
    return this.state === 'open';
  }

  /** The slowest connected replica's unsent bytes. */
  get queuedBytes(): number {
    let most = 0;
    for (const replica of this.replicas) {
      if (replica.connected) most = Math.max(most, replica.client.connection.bufferedBytes());
    }
    return most;
  }

  write(chunk: Buffer): void {
    if (this.state !== 'open' || chunk.length === 0) return;
    this.written += chunk.length;
    if (!this.broadcast(chunk)) {
      this.finish({
        ok: false,
        step: 'rdbSaveRio',
        error: { code: 'EIO', message: 'Diskless rdb transfer, last replica dropped' },
      });
      return;
    }
    if (this.queuedBytes > SINK_QUEUE_BYTES_MAX) this.watchDrain();
  }

  end(): void {
    if (this.state !== 'open') return;
    this.broadcast(this.mark);
    this.env.timers.after(0, () => this.finish({ ok: true, bytes: this.written }));
  }

  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    if (this.poll !== undefined) this.env.timers.cancel(this.poll);
  }

  /** Writes to every connected replica; false when none is left. */
  private broadcast(bytes: Buffer): boolean {
    let any = false;
    for (const replica of this.replicas) {
      if (!replica.connected) continue;
      replica.client.connection.write(bytes);
      any = true;
    }
    return any;
  }

  private watchDrain(): void {
    if (this.poll !== undefined) return;
    this.poll = this.env.timers.after(POLL_MS, () => {
      this.poll = undefined;
      if (this.state !== 'open') return;
      if (this.queuedBytes > SINK_QUEUE_BYTES_MAX) {
        this.watchDrain();
        return;
      }
      this.onDrain();
    });
  }

  private finish(result: RdbFileResult): void {
    if (this.state !== 'open') return;
    this.state = 'done';
    if (this.poll !== undefined) this.env.timers.cancel(this.poll);
    this.done(result);
  }
}
