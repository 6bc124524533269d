/**
 * The latency monitor (Redis's latency.c): per event class ("command", "fast-command"), the latest
 * LATENCY_SAMPLES_MAX samples of events that lasted at least `latency-monitor-threshold` ms, one per
 * second (a second sample in the same second keeps the larger), and the all-time maximum. call()
 * offers every command's duration; a command that stalls the node on purpose (DEBUG SLEEP, which
 * here pauses input on a timer rather than blocking) is charged the pause, as it would have taken
 * that long in Redis.
 */

/** Redis's LATENCY_TS_LEN: samples kept per event class. */
export const LATENCY_SAMPLES_MAX = 160;

export interface LatencySample {
  /** Unix seconds. */
  readonly timeSeconds: number;
  latencyMs: number;
}

export interface LatencySeries {
  /** Oldest first. */
  readonly samples: LatencySample[];
  maxMs: number;
}

export class LatencyMonitor {
  /** By event name, in the order the events first happened. */
  readonly events: Map<string, LatencySeries> = new Map();

  /** latencyAddSampleIfNeeded: records `latencyMs` if monitoring is on and it is long enough. */
  offer(thresholdMs: number, event: string, latencyMs: number, wallMs: number): void {
    if (thresholdMs <= 0 || latencyMs < thresholdMs) return;
    const timeSeconds = Math.floor(wallMs / 1000);
    let series = this.events.get(event);
    if (series === undefined) {
      series = { samples: [], maxMs: 0 };
      this.events.set(event, series);
    }
    if (latencyMs > series.maxMs) series.maxMs = latencyMs;
    const last = series.samples[series.samples.length - 1];
    if (last !== undefined && last.timeSeconds === timeSeconds) {
      if (latencyMs > last.latencyMs) last.latencyMs = latencyMs;
      return;
    }
    series.samples.push({ timeSeconds, latencyMs });
    if (series.samples.length > LATENCY_SAMPLES_MAX) series.samples.shift();
  }

  /** latencyResetEvent for each name (all when none): how many event classes were reset. */
  reset(names: readonly string[]): number {
    if (names.length === 0) {
      const count = this.events.size;
      this.events.clear();
      return count;
    }
    let count = 0;
    for (const name of names) if (this.events.delete(name)) count++;
    return count;
  }
}
