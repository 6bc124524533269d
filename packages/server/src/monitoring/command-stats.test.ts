/**
 * The latency histogram model against numbers read off redis-server 7.0.15: LATENCY HISTOGRAM's
 * bucket bounds (8 µs for a 5 µs call, 1 µs for a call under 1 µs, 541065 for 2^29 ns, 1073741 for
 * anything past it, clamped at 1 s), cumulative counts, INFO's percentile values (6.015 µs for a
 * 6 µs call) and what the statistics count.
 */
import fc from 'fast-check';
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
    expect(histogram.valueAtPercentile(0)).toBe(1000);
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

describe('LatencyHistogram (properties)', () => {
  const RUNS = Number(process.env['HISTOGRAM_PROPERTY_RUNS'] ?? 200);
  const BOUNDS = new Set([
    1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33816, 67633, 135266,
    270532, 541065, 1073741,
  ]);
  const durations = fc.array(fc.integer({ min: 0, max: 2_000_000_000 }), {
    minLength: 1,
    maxLength: 50,
  });

  it('reports increasing bounds from Redis set and cumulative counts ending at the total', () => {
    fc.assert(
      fc.property(durations, (values) => {
        const histogram = new LatencyHistogram();
        for (const value of values) histogram.record(value);
        const buckets = histogram.buckets();
        let previous: [number, number] = [0, 0];
        for (const bucket of buckets) {
          expect(BOUNDS.has(bucket[0])).toBe(true);
          expect(bucket[0]).toBeGreaterThan(previous[0]);
          expect(bucket[1]).toBeGreaterThan(previous[1]);
          previous = bucket;
        }
        expect(previous[1]).toBe(values.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps two significant figures: the 100th percentile is the maximum, less than 1% above', () => {
    fc.assert(
      fc.property(durations, (values) => {
        const histogram = new LatencyHistogram();
        for (const value of values) histogram.record(value);
        const max = Math.min(1_000_000_000, Math.max(1, ...values));
        const top = histogram.valueAtPercentile(100);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(top).toBeLessThan(max * 1.01 + 1);
        expect(histogram.valueAtPercentile(50)).toBeLessThanOrEqual(top);
      }),
      { numRuns: RUNS },
    );
  });
});
