/**
 * The byte queue under RequestParser and RespDecoder: unparsed input as one contiguous window
 * `bytes[start, end)`, filled without copying whenever it can be.
 *
 * - When the window is empty, a fed chunk becomes the window as it is (no copy). Values the readers
 *   hand out are then `subarray` views of the caller's chunks.
 * - When a tail is left over (a line cut by the chunk boundary), the tail and the chunk are copied
 *   into a slab that grows geometrically: a line trickling in byte by byte costs O(n), not O(n²).
 *   Bytes already handed out are never written again: the slab only grows past `end`, and a full
 *   slab is replaced by a new one, never reused.
 * - A bulk body longer than the window goes to a "fill": a buffer that later chunks are copied
 *   into (Redis's big-argument path), so a value arriving in many chunks is not re-concatenated.
 *   The fill grows geometrically up to the declared length instead of being allocated at once, so
 *   a 20-byte `$536870912\r\n` does not cost 512 MiB before any data arrives. While a fill is
 *   missing bytes the window is empty; once complete, it waits for fillTake() and later chunks
 *   queue in the window behind it (the caller may feed several chunks between two parses).
 */
import { assert } from '@replisim/base';

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Views handed out as Buffers. `subarray` on a Buffer goes through Buffer's species constructor
 * (the legacy `Buffer()` function, then Buffer.from's argument checks), which costs about twice as
 * much as constructing the typed array directly, the way Node's own FastBuffer is made. A
 * BufferView is the same thing as a FastBuffer: a Uint8Array whose prototype chain holds
 * Buffer.prototype and whose `constructor` is Buffer, so it is a Buffer to every test and method.
 */
class BufferView extends Uint8Array {}
Object.setPrototypeOf(BufferView.prototype, Buffer.prototype);
Object.defineProperty(BufferView.prototype, 'constructor', {
  value: Buffer,
  writable: true,
  configurable: true,
});

/** `bytes.subarray(start, end)` at half the cost (see BufferView). */
export function viewOf(bytes: Buffer, start: number, end: number): Buffer {
  const buffer = bytes.buffer as ArrayBuffer;
  return new BufferView(buffer, bytes.byteOffset + start, end - start) as unknown as Buffer;
}

/** The smallest slab allocated for a leftover tail. */
const SLAB_BYTES_MIN = 4096;

/** The first allocation of a fill that is longer than this (PROTO_IOBUF_LEN). */
const FILL_BYTES_INITIAL = 16 * 1024;

export class InputBuffer {
  /** Read-only for callers: the window is `bytes[start, end)`; consumeTo() advances `start`. */
  bytes: Buffer = EMPTY;
  /** `bytes.buffer` and `bytes.byteOffset`, read once per chunk rather than once per view. */
  private arrayBuffer: ArrayBuffer = EMPTY.buffer as ArrayBuffer;
  private byteOffset = 0;
  start = 0;
  end = 0;
  /**
   * How many bytes from `start` a reader has searched for a line end without finding one. Readers
   * resume their search there; it is reset whenever `start` moves.
   */
  scanned = 0;
  /** True when `bytes` is a slab this class allocated, so the space past `end` is free. */
  private owned = false;
  private fill: Buffer | null = null;
  /** Bytes the open fill needs in total; `fill` grows towards it. */
  private fillLength = 0;
  private fillOffset = 0;

  /** Appends a chunk. The caller must not modify it afterwards: views of it are handed out. */
  feed(chunk: Buffer): void {
    let rest = chunk;
    // Only a fill still missing bytes takes them. A complete fill waits for fillTake() while later
    // chunks queue in the window behind it: the parser may not run between feeds (a paused node).
    if (this.fill !== null && this.fillOffset < this.fillLength) {
      assert(this.start === this.end, 'window must be empty while a fill is missing bytes');
      const count = Math.min(rest.length, this.fillLength - this.fillOffset);
      const fill = this.fillReserve(this.fillOffset + count);
      rest.copy(fill, this.fillOffset, 0, count);
      this.fillOffset += count;
      rest = rest.subarray(count);
    }
    if (rest.length === 0) return;
    if (this.start === this.end) {
      this.setBytes(rest);
      this.start = 0;
      this.end = rest.length;
      this.scanned = 0;
      this.owned = false;
      return;
    }
    this.append(rest);
  }

  /** `bytes.subarray(start, end)` for a range of the window, as viewOf does. */
  view(start: number, end: number): Buffer {
    return new BufferView(
      this.arrayBuffer,
      this.byteOffset + start,
      end - start,
    ) as unknown as Buffer;
  }

  available(): number {
    return this.end - this.start;
  }

  /** Consumes the window up to `index` (exclusive). */
  consumeTo(index: number): void {
    assert(index >= this.start, 'consume forwards');
    assert(index <= this.end, 'consume only what is buffered');
    this.start = index;
    this.scanned = 0;
  }

  /** Unparsed bytes, counting a partly filled bulk (Redis's qbuf). */
  bufferedBytes(): number {
    return this.end - this.start + (this.fill === null ? 0 : this.fillOffset);
  }

  /**
   * Opens a fill of `length` bytes and moves the whole window into it. The caller has checked that
   * the window holds fewer than `length` bytes.
   */
  fillStart(length: number): void {
    assert(this.fill === null, 'one fill at a time');
    assert(this.available() < length, 'fill only what is not there yet');
    const available = this.available();
    const target = Buffer.allocUnsafe(Math.min(length, Math.max(available, FILL_BYTES_INITIAL)));
    this.bytes.copy(target, 0, this.start, this.end);
    this.fill = target;
    this.fillLength = length;
    this.fillOffset = available;
    this.clear();
  }

  fillActive(): boolean {
    return this.fill !== null;
  }

  /** Returns the filled buffer once complete and closes the fill; null while bytes are missing. */
  fillTake(): Buffer | null {
    const target = this.fill;
    if (target === null || this.fillOffset < this.fillLength) return null;
    assert(target.length === this.fillLength, 'a complete fill has exactly its length');
    this.fill = null;
    this.fillLength = 0;
    this.fillOffset = 0;
    return target;
  }

  /** Removes and returns every unparsed byte (a view, no copy). Not allowed during a fill. */
  takeAll(): Buffer {
    assert(this.fill === null, 'takeAll during a fill would lose the filled bytes');
    const taken = this.bytes.subarray(this.start, this.end);
    this.clear();
    return taken;
  }

  /** Grows the fill geometrically, capped at its declared length, to hold `bytesNeeded` bytes. */
  private fillReserve(bytesNeeded: number): Buffer {
    const fill = this.fill;
    assert(fill !== null, 'no open fill');
    assert(bytesNeeded <= this.fillLength, 'a fill never exceeds its length');
    if (bytesNeeded <= fill.length) return fill;
    const capacity = Math.min(this.fillLength, Math.max(bytesNeeded, 2 * fill.length));
    const grown = Buffer.allocUnsafe(capacity);
    fill.copy(grown, 0, 0, this.fillOffset);
    this.fill = grown;
    return grown;
  }

  private setBytes(bytes: Buffer): void {
    this.bytes = bytes;
    this.arrayBuffer = bytes.buffer as ArrayBuffer;
    this.byteOffset = bytes.byteOffset;
  }

  private clear(): void {
    this.setBytes(EMPTY);
    this.start = 0;
    this.end = 0;
    this.scanned = 0;
    this.owned = false;
  }

  private append(chunk: Buffer): void {
    const pending = this.end - this.start;
    if (this.owned && this.end + chunk.length <= this.bytes.length) {
      chunk.copy(this.bytes, this.end);
      this.end += chunk.length;
      return;
    }
    const capacity = Math.max(SLAB_BYTES_MIN, 2 * (pending + chunk.length));
    const slab = Buffer.allocUnsafe(capacity);
    this.bytes.copy(slab, 0, this.start, this.end);
    chunk.copy(slab, pending);
    this.setBytes(slab);
    this.start = 0;
    this.end = pending + chunk.length;
    this.owned = true;
  }
}
