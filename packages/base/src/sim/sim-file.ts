/**
 * The contents of one simulated file (an inode), with what would survive a crash.
 *
 * The durability model (turmoil-fs's, which is what makes `appendfsync` and RDB's temp-file-plus-rename
 * meaningful): what reads see is the current content; what survives a crash is the content as of the
 * last `fsync`. Appends after that fsync are the unsynced tail. A crash loses the tail, or with a torn
 * write keeps a random prefix of it. A truncation (open for 'write') not yet fsynced is undone by a
 * crash too: the file comes back with its last durable content.
 *
 * The durable content is kept as a prefix length of the current buffer as long as the file has only
 * grown since the last fsync, so an fsync costs nothing and appending stays amortised O(1); only a
 * truncation over durable bytes makes a separate copy of them.
 */
import { assert } from '../assert.js';
import type { Random } from '../env.js';

const CAPACITY_MIN = 64;

export class FileNode {
  /** Unique per disk; tells two inodes apart in tests and traces. */
  readonly id: number;
  private buffer: Uint8Array = new Uint8Array(0);
  private length = 0;
  /** When `durableBase` is undefined, the durable content is `buffer[0, durableLength)`. */
  private durableLength = 0;
  /** The durable content, when a truncation since the last fsync made it differ from a prefix. */
  private durableBase: Uint8Array | undefined;

  constructor(id: number) {
    this.id = id;
  }

  get size(): number {
    return this.length;
  }

  /** Bytes a crash right now could lose. */
  get unsyncedBytes(): number {
    if (this.durableBase !== undefined) return this.length;
    return this.length - this.durableLength;
  }

  append(data: Uint8Array): void {
    const lengthNew = this.length + data.length;
    if (lengthNew > this.buffer.length) {
      const grown = new Uint8Array(Math.max(CAPACITY_MIN, lengthNew, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(data, this.length);
    this.length = lengthNew;
  }

  /** Empties the file (open for 'write'); the old durable content is kept until the next fsync. */
  truncate(): void {
    if (this.durableBase === undefined) {
      this.durableBase = this.buffer.slice(0, this.durableLength);
    }
    this.buffer = new Uint8Array(0);
    this.length = 0;
  }

  /** A copy of up to `length` bytes at `position`; empty past the end. */
  read(position: number, length: number): Uint8Array {
    const start = Math.min(position, this.length);
    const end = Math.min(position + length, this.length);
    return this.buffer.slice(start, end);
  }

  content(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  durableContent(): Uint8Array {
    if (this.durableBase !== undefined) return this.durableBase.slice();
    return this.buffer.slice(0, this.durableLength);
  }

  /** fsync: everything written so far is durable. */
  sync(): void {
    this.durableBase = undefined;
    this.durableLength = this.length;
  }

  /** Applies a crash: the file keeps its durable content, plus a torn prefix of the tail maybe. */
  crash(random: Random, tornWriteChance: number): void {
    if (this.durableBase !== undefined) {
      this.buffer = this.durableBase;
      this.length = this.durableBase.length;
      this.durableBase = undefined;
    } else {
      const tail = this.length - this.durableLength;
      assert(tail >= 0, 'the durable prefix is never longer than the file');
      let kept = 0;
      if (tail > 0 && tornWriteChance > 0 && random.chance(tornWriteChance)) {
        kept = random.int(tail + 1);
      }
      this.length = this.durableLength + kept;
    }
    // What is on the platter after the crash is, by definition, durable.
    this.durableLength = this.length;
    assert(this.unsyncedBytes === 0, 'nothing is unsynced right after a crash');
  }
}
