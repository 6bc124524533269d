/**
 * The replication backlog: the last `size` bytes of the replication stream, kept so a replica that
 * lost its link can continue from its offset (PSYNC +CONTINUE) instead of taking a new snapshot.
 *
 * A ring buffer of fixed capacity. Offsets are those of the stream (master_repl_offset counts every
 * byte ever fed): the backlog holds bytes [firstByteOffset, lastByteOffset], `histlen` of them.
 * Redis 7.0 shares its blocks with replica output buffers and never trims a block a replica still
 * references; here each replica has its own output queue, so the backlog is exactly `size` bytes
 * and INFO's repl_backlog_histlen never exceeds repl-backlog-size.
 */
import { assert } from '@replisim/base';

export class ReplicationBacklog {
  readonly size: number;
  private readonly ring: Buffer;
  /** Index in `ring` where the next byte goes. */
  private writeIndex = 0;
  /** Bytes of history held (at most size). */
  histlen = 0;
  /** Offset of the last byte fed (master_repl_offset when the backlog was fed last). */
  lastByteOffset: number;

  /** A backlog whose first byte will be the one after `offset` (Redis: offset + 1). */
  constructor(size: number, offset: number) {
    assert(size > 0, 'a backlog needs a size');
    this.size = size;
    this.ring = Buffer.allocUnsafe(size);
    this.lastByteOffset = offset;
  }

  /** repl_backlog_first_byte_offset: the offset of the oldest byte held (lastByteOffset+1 if empty). */
  get firstByteOffset(): number {
    return this.lastByteOffset - this.histlen + 1;
  }

  /** Appends stream bytes; the oldest bytes fall out once `size` is reached. */
  feed(bytes: Uint8Array): void {
    this.lastByteOffset += bytes.length;
    let data = bytes;
    if (data.length >= this.size) {
      data = data.subarray(data.length - this.size);
      this.ring.set(data, 0);
      this.writeIndex = 0;
      this.histlen = this.size;
      return;
    }
    const tail = Math.min(data.length, this.size - this.writeIndex);
    this.ring.set(data.subarray(0, tail), this.writeIndex);
    if (tail < data.length) this.ring.set(data.subarray(tail), 0);
    this.writeIndex = (this.writeIndex + data.length) % this.size;
    this.histlen = Math.min(this.size, this.histlen + data.length);
  }

  /**
   * Whether a replica that has every byte before `offset` can continue from here: `offset` is the
   * first byte it needs, and lastByteOffset + 1 (nothing to send) is allowed (§3.2).
   */
  covers(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.lastByteOffset + 1;
  }

  /** A copy of the bytes from `offset` (inclusive) to the end; `covers(offset)` must hold. */
  readFrom(offset: number): Buffer {
    assert(this.covers(offset), `offset ${offset} is outside the backlog`);
    const length = this.lastByteOffset + 1 - offset;
    const start = (this.writeIndex - length + this.size) % this.size;
    if (start + length <= this.size) return Buffer.from(this.ring.subarray(start, start + length));
    return Buffer.concat([
      this.ring.subarray(start),
      this.ring.subarray(0, (start + length) % this.size),
    ]);
  }
}
