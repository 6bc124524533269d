/**
 * Receiving a full-sync payload (Redis's readSyncBulkPayload), after the preamble line has been
 * read (handshake.ts parsePreamble). PayloadReceiver knows the framing; where the bytes go is a
 * PayloadSink: a temp file that the host installs when complete (temp-file-sink.ts, the default
 * `repl-diskless-load disabled`), or the host's own loader fed straight from the socket.
 *
 * - length mode (`$<n>`): exactly n bytes are the payload; whatever follows in the same chunk is
 *   already the command stream, and is handed back as `rest`.
 * - mark mode (`$EOF:<40 chars>`): the payload ends with the mark. The last 40 bytes received are
 *   held back until more arrive, so the mark never reaches the sink and no truncate is needed.
 *   Nothing may follow the mark (the master holds the stream until our first ACK).
 */
import type { InstallResult } from './replica-host.js';

export type PayloadFraming =
  | { readonly kind: 'length'; readonly bytes: number }
  | { readonly kind: 'mark'; readonly mark: Buffer };

export const EOF_MARK_LENGTH = 40;

export type PayloadProgress =
  | { readonly kind: 'more' }
  | { readonly kind: 'complete'; readonly rest: Buffer };

/** Where payload bytes go, in order; `finish` installs them as the node's dataset. */
export interface PayloadSink {
  write(bytes: Buffer): void;
  /** Every byte was written: make it the dataset. `done` runs once, in a later event. */
  finish(done: (result: InstallResult) => void): void;
  /** The transfer was abandoned (link lost, REPLICAOF): drop what was received. */
  abort(): void;
}

export class PayloadReceiver {
  readonly framing: PayloadFraming;
  /** Payload bytes received (the mark excluded once found). */
  receivedBytes = 0;
  private readonly sink: PayloadSink;
  private complete = false;
  private tail: Buffer = Buffer.alloc(0);

  constructor(framing: PayloadFraming, sink: PayloadSink) {
    this.framing = framing;
    this.sink = sink;
  }

  /** The payload's size when known (length mode), for INFO's master_sync_total_bytes; else -1. */
  get totalBytes(): number {
    return this.framing.kind === 'length' ? this.framing.bytes : -1;
  }

  /** Takes received bytes; reports whether the payload is complete. */
  push(chunk: Buffer): PayloadProgress {
    if (this.complete) return { kind: 'complete', rest: chunk };
    if (this.framing.kind === 'length') {
      const left = this.framing.bytes - this.receivedBytes;
      const body = chunk.length <= left ? chunk : chunk.subarray(0, left);
      if (body.length > 0) this.sink.write(body);
      this.receivedBytes += body.length;
      if (this.receivedBytes < this.framing.bytes) return { kind: 'more' };
      this.complete = true;
      return { kind: 'complete', rest: chunk.subarray(body.length) };
    }
    const data = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    if (data.length > EOF_MARK_LENGTH) {
      const body = data.subarray(0, data.length - EOF_MARK_LENGTH);
      this.sink.write(Buffer.from(body));
      this.receivedBytes += body.length;
      this.tail = Buffer.from(data.subarray(data.length - EOF_MARK_LENGTH));
    } else {
      this.tail = Buffer.from(data);
    }
    if (this.tail.length === EOF_MARK_LENGTH && this.tail.equals(this.framing.mark)) {
      this.complete = true;
      return { kind: 'complete', rest: Buffer.alloc(0) };
    }
    return { kind: 'more' };
  }

  /** After `complete`: the sink installs the payload. */
  finish(done: (result: InstallResult) => void): void {
    this.sink.finish(done);
  }

  abort(): void {
    this.sink.abort();
  }
}
