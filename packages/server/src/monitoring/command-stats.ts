/**
 * Per-command statistics (Redis's redisCommand calls, microseconds, rejected_calls, failed_calls
 * and latency_histogram), read by INFO commandstats and latencystats and by LATENCY HISTOGRAM;
 * CONFIG RESETSTAT clears them.
 *
 * The histogram is a model of the hdr_histogram Redis keeps per command (lowest 1 ns, highest
 * 1 s, 2 significant figures): a value v lands in the sub-bucket of width 2^b where b = max(0,
 * floor(log2(v | 255)) - 7), so the histogram holds the same counts per sub-bucket as Redis's
 * and answers with the same numbers: LATENCY HISTOGRAM's cumulative buckets (histogramBuckets,
 * hdr_iter_log_init(1024, 2) as fillCommandCDF walks it) and INFO's percentiles
 * (hdr_value_at_percentile). Durations are recorded in nanoseconds, microseconds times 1000,
 * clamped to [1 ns, 1 s], only while latency-tracking is on and not for a blocked client.
 */

/** LATENCY_HISTOGRAM_MIN_VALUE and _MAX_VALUE (ns). */
const HISTOGRAM_VALUE_MIN = 1;
const HISTOGRAM_VALUE_MAX = 1_000_000_000;
/** 2 significant figures: 256 sub-buckets per bucket, the lower half shared with the bucket below. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_MASK = 255;
/** fillCommandCDF's log iteration: first reporting level 1024 ns, doubling. */
const REPORT_LEVEL_FIRST = 1024;
/**
 * The first value past the histogram's last sub-bucket (bucket 22 covers [2^29, 2^30)): a level
 * at or above it is never reached, and the iteration ends on the last sub-bucket instead.
 */
const HISTOGRAM_END = 2 ** 30;

export class LatencyHistogram {
  /** Count per sub-bucket, by the sub-bucket's lowest value. */
  private readonly counts = new Map<number, number>();
  total = 0;

  record(nanoseconds: number): void {
    const value = Math.min(HISTOGRAM_VALUE_MAX, Math.max(HISTOGRAM_VALUE_MIN, nanoseconds));
    const lowest = lowestEquivalent(value);
    this.counts.set(lowest, (this.counts.get(lowest) ?? 0) + 1);
    this.total++;
  }

  /**
   * fillCommandCDF's pairs: for each reporting level 1024 * 2^k ns, the level's sub-bucket's
   * highest value in µs and how many values were at or below that sub-bucket; only levels where
   * the count grew, up to the level that reaches every value.
   */
  buckets(): [number, number][] {
    const sorted = [...this.counts].sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    let previous = 0;
    for (let level = REPORT_LEVEL_FIRST; previous < this.total; level *= 2) {
      let cumulative = 0;
      for (const [lowest, count] of sorted) if (lowest <= level) cumulative += count;
      // Past the last sub-bucket the walk ends on it: its highest value, and every count.
      const end = level >= HISTOGRAM_END;
      const highest = end ? HISTOGRAM_END - 1 : highestEquivalent(level);
      if (end) cumulative = this.total;
      if (cumulative > previous) out.push([Math.floor(highest / 1000), cumulative]);
      previous = cumulative;
    }
    return out;
  }

  /**
   * hdr_value_at_percentile: the highest equivalent value of the sub-bucket holding it (ns); for
   * the 0th percentile the lowest, as hdr does.
   */
  valueAtPercentile(percentile: number): number {
    const wanted = Math.min(percentile, 100);
    const countAt = Math.max(1, Math.floor((wanted / 100) * this.total + 0.5));
    let total = 0;
    for (const [lowest, count] of [...this.counts].sort((a, b) => a[0] - b[0])) {
      total += count;
      if (total >= countAt) return percentile === 0 ? lowest : highestEquivalent(lowest);
    }
    return 0;
  }
}

function bucketShift(value: number): number {
  const magnitude = Math.floor(Math.log2(value | SUB_BUCKET_MASK));
  return Math.max(0, magnitude - SUB_BUCKET_HALF_COUNT_MAGNITUDE);
}

function lowestEquivalent(value: number): number {
  const width = 2 ** bucketShift(value);
  return Math.floor(value / width) * width;
}

function highestEquivalent(value: number): number {
  return lowestEquivalent(value) + 2 ** bucketShift(value) - 1;
}

export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Created at the first tracked call, as Redis allocates it lazily. */
  histogram: LatencyHistogram | undefined;
}

export class CommandStats {
  /** By full name (`config|get`), in the order the commands were first seen. */
  readonly byCommand: Map<string, CommandStat> = new Map();

  private stat(name: string): CommandStat {
    let stat = this.byCommand.get(name);
    if (stat === undefined) {
      stat = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, histogram: undefined };
      this.byCommand.set(name, stat);
    }
    return stat;
  }

  /** A call ran: its duration, whether it failed, and the histogram sample if tracked. */
  called(name: string, usec: number, failed: boolean, tracked: boolean): void {
    const stat = this.stat(name);
    stat.calls++;
    stat.usec += usec;
    if (failed) stat.failedCalls++;
    if (!tracked) return;
    stat.histogram ??= new LatencyHistogram();
    stat.histogram.record(usec * 1000);
  }

  rejected(name: string): void {
    this.stat(name).rejectedCalls++;
  }

  /** CONFIG RESETSTAT (resetCommandTableStats). */
  reset(): void {
    this.byCommand.clear();
  }
}
