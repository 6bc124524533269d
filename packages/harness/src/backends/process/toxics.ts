/**
 * Toxics: what the fault proxy (fault-proxy.ts) does to the bytes of one direction of a link, in
 * Toxiproxy's vocabulary and with its semantics, plus `hold`, the simulator's partition.
 *
 * - latency { latencyMs, jitterMs }: each chunk waits latency +- jitter (uniform, per chunk); order
 *   is kept, so a chunk never overtakes the one before it (as Toxiproxy's sequential pipe).
 * - bandwidth { rateKbps }: at most rate KB/s (1 KB = 1000 bytes, as Toxiproxy); a chunk of n bytes
 *   takes n / rate after the one before it.
 * - slicer { averageSize, sizeVariation, delayUs }: each chunk is cut into slices of averageSize +-
 *   sizeVariation bytes, delayUs apart (exercises the peer's incremental decoder).
 * - timeout { timeoutMs }: no data gets through (it is dropped); with timeoutMs > 0 the connection
 *   is closed that long after the toxic applies to it; with 0 it stays open, silent, until removed.
 * - reset_peer { timeoutMs }: data flows until timeoutMs after the toxic applies, then both sides
 *   get a TCP RST (ECONNRESET).
 * - hold: the bytes stop and are kept, in order, and delivered when the toxic is removed: what TCP
 *   retransmission makes of a network partition, and what the simulator's `partition` and `hold`
 *   do (nothing is dropped mid-stream). Toxiproxy has no word for it; its nearest is `timeout 0`,
 *   which drops the bytes (a stream with a hole in it, which no real network produces).
 * `down` is not a toxic but a state of the whole proxy (FaultProxy.setDown).
 *
 * Toxiproxy's `upstream` is the direction client -> server, `downstream` server -> client.
 */

export type ToxicDirection = 'upstream' | 'downstream';

export type Toxic =
  | { readonly type: 'latency'; readonly latencyMs: number; readonly jitterMs?: number }
  | { readonly type: 'bandwidth'; readonly rateKbps: number }
  | {
      readonly type: 'slicer';
      readonly averageSize: number;
      readonly sizeVariation?: number;
      readonly delayUs?: number;
    }
  | { readonly type: 'timeout'; readonly timeoutMs: number }
  | { readonly type: 'reset_peer'; readonly timeoutMs: number }
  | { readonly type: 'hold' };

export type ToxicType = Toxic['type'];

/** Bytes per KB in Toxiproxy's bandwidth rate. */
export const BANDWIDTH_BYTES_PER_KB = 1000;

/** One scheduled piece of a direction's stream: its bytes and when it may be written. */
export interface Piece {
  readonly bytes: Buffer;
  readonly dueMs: number;
}

/**
 * Where the pieces of one incoming chunk go, given the toxics in force (in the order they were
 * added), the arrival time, and when the previous piece was due. `random` gives floats in [0, 1).
 * Returns no pieces when a timeout toxic drops the data. Pure, so it is unit-tested directly.
 */
export function schedulePieces(
  chunk: Buffer,
  toxics: readonly Toxic[],
  nowMs: number,
  previousDueMs: number,
  random: () => number,
): Piece[] {
  if (toxics.some((toxic) => toxic.type === 'timeout')) return [];
  let slices: { bytes: Buffer; offsetMs: number }[] = [{ bytes: chunk, offsetMs: 0 }];
  let delayMs = 0;
  let rateKbps = 0;
  for (const toxic of toxics) {
    switch (toxic.type) {
      case 'slicer':
        slices = slices.flatMap((slice) => sliceChunk(slice.bytes, toxic, random));
        break;
      case 'latency': {
        const jitter = toxic.jitterMs ?? 0;
        delayMs += Math.max(0, toxic.latencyMs + (random() * 2 - 1) * jitter);
        break;
      }
      case 'bandwidth':
        rateKbps = rateKbps === 0 ? toxic.rateKbps : Math.min(rateKbps, toxic.rateKbps);
        break;
      default:
        break;
    }
  }
  const pieces: Piece[] = [];
  let due = previousDueMs;
  for (const slice of slices) {
    const transferMs =
      rateKbps > 0 ? (slice.bytes.length / (rateKbps * BANDWIDTH_BYTES_PER_KB)) * 1000 : 0;
    due = Math.max(due, nowMs + delayMs + slice.offsetMs) + transferMs;
    pieces.push({ bytes: slice.bytes, dueMs: due });
  }
  return pieces;
}

function sliceChunk(
  chunk: Buffer,
  toxic: Extract<Toxic, { type: 'slicer' }>,
  random: () => number,
): { bytes: Buffer; offsetMs: number }[] {
  const average = Math.max(1, Math.floor(toxic.averageSize));
  const variation = Math.max(0, Math.min(average - 1, Math.floor(toxic.sizeVariation ?? 0)));
  const stepMs = (toxic.delayUs ?? 0) / 1000;
  const slices: { bytes: Buffer; offsetMs: number }[] = [];
  let at = 0;
  while (at < chunk.length) {
    const size = average + Math.round((random() * 2 - 1) * variation);
    const end = Math.min(chunk.length, at + Math.max(1, size));
    slices.push({ bytes: chunk.subarray(at, end), offsetMs: slices.length * stepMs });
    at = end;
  }
  return slices;
}
