/**
 * The latency histogram model against numbers read off redis-server 7.0.15: LATENCY HISTOGRAM's
 * bucket bounds (8 µs for a 5 µs call, 1 µs for a call under 1 µs, 541065 for 2^29 ns, 1073741 for
 * anything past it, clamped at 1 s), cumulative counts, INFO's percentile values (6.015 µs for a
 * 6 µs call) and what the statistics count.
 */
import { describe, expect, it } from 'vitest';
import { CommandStats, LatencyHistogram } from './command-stats.js';

function bucketsOf(...nanoseconds: number[]): [number, number][] {
  const histogram = new LatencyHistogram();
  for (const value of nanoseconds) histogram.record(value);
  return histogram.buckets();
}

describe('LatencyHistogram', () => {
  it('reports the bounds Redis prints, cumulatively, up to the level holding the last value', () => {
    expect(bucketsOf(5000)).toEqual([[8, 1]]);
    expect(bucketsOf(0)).toEqual([[1, 1]]);
    expect(bucketsOf(1000, 1000, 3000, 40_000)).toEqual([
      [1, 2],
      [4, 3],
      [66, 4],
    ]);
    expect(bucketsOf(2 ** 29)).toEqual([[541065, 1]]);
    expect(bucketsOf(5_000_000_000)).toEqual([[1073741, 1]]);
    expect(bucketsOf()).toEqual([]);
  });

  it('gives percentiles as the highest value of the sub-bucket holding them', () => {
    const histogram = new LatencyHistogram();
    histogram.record(6000);
    expect(histogram.valueAtPercentile(50)).toBe(6015);
    for (let i = 0; i < 99; i++) histogram.record(1000);
    expect(histogram.valueAtPercentile(50)).toBe(1003);
    expect(histogram.valueAtPercentile(100)).toBe(6015);
  });
});

describe('CommandStats', () => {
  it('counts calls, time, failures and rejections, and tracks a histogram only when asked', () => {
    const stats = new CommandStats();
    stats.called('get', 3, false, true);
    stats.called('get', 5, true, false);
    stats.rejected('get');
    expect(stats.byCommand.get('get')).toMatchObject({
      calls: 2,
      usec: 8,
      failedCalls: 1,
      rejectedCalls: 1,
    });
    expect(stats.byCommand.get('get')?.histogram?.total).toBe(1);
    stats.reset();
    expect(stats.byCommand.size).toBe(0);
  });
});
