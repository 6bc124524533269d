/**
 * One direction of a simulated TCP stream: the bytes a sender wrote, in flight to the receiver.
 *
 * The model, and why:
 * - Each write becomes a segment stamped with an arrival time: now plus a latency drawn for the link,
 *   but never earlier than the segment before it, so bytes are never reordered. A link with a
 *   bandwidth limit also serialises: a segment starts transmitting when the one before it is done,
 *   and takes its size over the rate (Toxiproxy's bandwidth toxic).
 * - Delivery takes every segment that has arrived (up to `chunkBytesMax`) as one chunk, which
 *   coalesces writes; with probability `fragmentChance` it cuts the chunk at a random point instead,
 *   leaving the rest for the next delivery. The receiver's decoder thus sees frames split and joined
 *   at places chosen by the seed, never by the writer.
 * - A blocked link (partition or hold) stalls the pipe at its head: nothing is dropped. When the link
 *   opens, every waiting segment is re-timed from then (TCP retransmission), in order.
 * - FIN and RST travel as segments too, so a close arrives after the data written before it; a RST
 *   replaces whatever was still queued, as a reset does.
 * - Bytes still queued count in `bytes`, which the sender's `bufferedBytes()` reports.
 * - Data waits while the receiver has no data handler or has paused reading, as a paused Node
 *   socket does; it keeps counting in the sender's `bufferedBytes()` (TCP flow control).
 */
import { assert } from '../assert.js';
import type { Random } from '../env.js';
import type { Life } from './life.js';
import type { EventId, Scheduler } from './scheduler.js';

/** The network services a pipe needs. */
export interface PipeContext {
  readonly scheduler: Scheduler;
  readonly random: Random;
  readonly fragmentChance: number;
  readonly chunkBytesMax: number;
  latencyMs(source: string, target: string): number;
  /** The link's rate limit in bytes per second, or undefined for none. */
  bandwidthBytesPerSec(source: string, target: string): number | undefined;
  isBlocked(source: string, target: string): boolean;
  /** The pipe stalled on a blocked link; call `resume()` when the link opens. */
  pipeStalled(pipe: Pipe): void;
  /** Sees every write as the sender made it (the teaching mode's wire view); must not draw. */
  observeWrite?(source: string, target: string, data: Buffer): void;
}

/** The endpoint a pipe delivers into. */
export interface PipeReceiver {
  readonly life: Life;
  isClosed(): boolean;
  /** A data handler is registered and reading is not paused. */
  isReading(): boolean;
  receiveData(chunk: Buffer): void;
  receiveFin(): void;
  receiveReset(): void;
}

type SegmentKind = 'data' | 'fin' | 'rst';

interface Segment {
  readonly kind: SegmentKind;
  /** For data: the bytes not yet delivered (a fragment delivery leaves the rest here). */
  data: Buffer;
  arriveAtMs: number;
}

const EMPTY = Buffer.alloc(0);
/** Compact the segment array once this many consumed entries sit at its front. */
const COMPACT_AFTER = 64;

export class Pipe {
  readonly source: string;
  readonly target: string;
  /** Data bytes written and not yet delivered to the receiver's handler. */
  bytes = 0;
  private readonly context: PipeContext;
  private readonly receiver: PipeReceiver;
  private readonly label: string;
  private segments: Segment[] = [];
  private headIndex = 0;
  private arriveLastMs = 0;
  /** With a bandwidth limit: when the link finishes sending what is queued (fractional ms). */
  private sendFreeAtMs = 0;
  private deliverEvent: EventId | undefined;
  /** The head arrived while the link was blocked; waits for `resume`. */
  private stalled = false;

  constructor(
    context: PipeContext,
    source: string,
    target: string,
    receiver: PipeReceiver,
    label: string,
  ) {
    this.context = context;
    this.source = source;
    this.target = target;
    this.receiver = receiver;
    this.label = label;
  }

  pushData(data: Buffer): void {
    assert(data.length > 0, 'empty writes are filtered by the connection');
    if (this.receiver.isClosed()) return;
    this.context.observeWrite?.(this.source, this.target, data);
    this.bytes += data.length;
    this.push('data', data);
  }

  pushFin(): void {
    if (this.receiver.isClosed()) return;
    this.push('fin', EMPTY);
  }

  /** Drops everything queued and sends a reset in its place. */
  pushReset(): void {
    this.clear();
    if (this.receiver.isClosed()) return;
    this.push('rst', EMPTY);
  }

  /** Drops everything queued and stops delivering. */
  clear(): void {
    this.segments = [];
    this.headIndex = 0;
    this.bytes = 0;
    this.arriveLastMs = 0;
    this.sendFreeAtMs = 0;
    this.stalled = false;
    if (this.deliverEvent !== undefined) this.receiver.life.cancel(this.deliverEvent);
    this.deliverEvent = undefined;
  }

  /** The link opened again: re-time the waiting segments from now and deliver them in order. */
  resume(): void {
    if (!this.stalled) return;
    this.stalled = false;
    const nowMs = this.context.scheduler.now();
    this.arriveLastMs = 0;
    this.sendFreeAtMs = 0;
    for (let index = this.headIndex; index < this.segments.length; index++) {
      const segment = this.segments[index];
      assert(segment !== undefined, 'segments between head and end exist');
      segment.arriveAtMs = this.arriveAt(nowMs, segment.data.length);
    }
    this.schedule();
  }

  /** The receiver registered its data handler or resumed reading: deliver what waited for it. */
  kick(): void {
    this.schedule();
  }

  private push(kind: SegmentKind, data: Buffer): void {
    const arriveAtMs = this.arriveAt(this.context.scheduler.now(), data.length);
    this.segments.push({ kind, data, arriveAtMs });
    this.schedule();
  }

  private arriveAt(nowMs: number, bytes: number): number {
    const rate = this.context.bandwidthBytesPerSec(this.source, this.target);
    let sentMs = nowMs;
    if (rate !== undefined) {
      this.sendFreeAtMs = Math.max(this.sendFreeAtMs, nowMs) + (bytes * 1000) / rate;
      sentMs = Math.ceil(this.sendFreeAtMs);
    }
    const arriveAtMs = Math.max(
      this.arriveLastMs,
      sentMs + this.context.latencyMs(this.source, this.target),
    );
    this.arriveLastMs = arriveAtMs;
    return arriveAtMs;
  }

  private head(): Segment | undefined {
    return this.segments[this.headIndex];
  }

  private shift(): void {
    this.headIndex += 1;
    if (this.headIndex === this.segments.length) {
      this.segments = [];
      this.headIndex = 0;
    } else if (this.headIndex >= COMPACT_AFTER) {
      this.segments = this.segments.slice(this.headIndex);
      this.headIndex = 0;
    }
  }

  private schedule(): void {
    if (this.deliverEvent !== undefined || this.stalled) return;
    const head = this.head();
    if (head === undefined) return;
    if (head.kind === 'data' && !this.receiver.isReading()) return;
    const delayMs = Math.max(0, head.arriveAtMs - this.context.scheduler.now());
    this.deliverEvent = this.receiver.life.schedule(delayMs, this.label, () => this.deliver());
  }

  private deliver(): void {
    this.deliverEvent = undefined;
    const head = this.head();
    if (head === undefined || this.receiver.isClosed()) return;
    const nowMs = this.context.scheduler.now();
    assert(head.arriveAtMs <= nowMs, 'a delivery runs when its head segment has arrived');
    if (this.context.isBlocked(this.source, this.target)) {
      this.stalled = true;
      this.context.pipeStalled(this);
      return;
    }
    if (head.kind === 'rst') {
      this.clear();
      this.receiver.receiveReset();
      return;
    }
    if (head.kind === 'fin') {
      this.shift();
      assert(this.head() === undefined, 'nothing follows a FIN');
      this.receiver.receiveFin();
      return;
    }
    if (!this.receiver.isReading()) return;
    const chunk = this.takeChunk(nowMs);
    this.receiver.receiveData(chunk);
    this.schedule();
  }

  /** Cuts the next chunk from the arrived data segments: all of it, or a random prefix. */
  private takeChunk(nowMs: number): Buffer {
    const chunkBytesMax = this.context.chunkBytesMax;
    let available = 0;
    for (let index = this.headIndex; index < this.segments.length; index++) {
      const segment = this.segments[index];
      if (segment === undefined || segment.kind !== 'data' || segment.arriveAtMs > nowMs) break;
      available += segment.data.length;
      if (available >= chunkBytesMax) break;
    }
    available = Math.min(available, chunkBytesMax);
    assert(available > 0, 'the head is an arrived data segment');
    let size = available;
    if (available > 1 && this.context.random.chance(this.context.fragmentChance)) {
      size = 1 + this.context.random.int(available);
    }
    this.bytes -= size;
    assert(this.bytes >= 0, 'pipe byte count never goes negative');
    const head = this.head();
    assert(head !== undefined, 'takeChunk has a head');
    if (size <= head.data.length) return this.takeFromHead(head, size);
    // The chunk spans segments: one copy joins them, as a kernel receive buffer would.
    const chunk = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const segment = this.head();
      assert(segment !== undefined, 'takeChunk counted enough arrived bytes');
      const part = this.takeFromHead(segment, Math.min(size - filled, segment.data.length));
      chunk.set(part, filled);
      filled += part.length;
    }
    return chunk;
  }

  private takeFromHead(head: Segment, size: number): Buffer {
    assert(head.kind === 'data', 'takeFromHead reads data segments');
    if (size === head.data.length) {
      this.shift();
      return head.data;
    }
    const part = head.data.subarray(0, size);
    head.data = head.data.subarray(size);
    return part;
  }
}
