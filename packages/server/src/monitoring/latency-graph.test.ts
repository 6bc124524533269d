/**
 * LATENCY GRAPH's text for samples whose graph redis-server 7.0.15 drew (101, ~300 and 503 ms,
 * two, one and zero seconds old), the age labels past a minute, hour and day, and one sample.
 */
import { describe, expect, it } from 'vitest';
import { latencyGraph } from './latency-graph.js';

const DASHES = '-'.repeat(80);

describe('latencyGraph', () => {
  it("draws Redis's graph for three samples", () => {
    const series = {
      samples: [
        { timeSeconds: 998, latencyMs: 101 },
        { timeSeconds: 999, latencyMs: 300 },
        { timeSeconds: 1000, latencyMs: 503 },
      ],
      maxMs: 503,
    };
    expect(latencyGraph('command', series, 1000)).toBe(
      `command - high 503 ms, low 101 ms (all time high 503 ms)\n${DASHES}\n  #\n  |\n #|\n_||\n   \n210\nsss\n`,
    );
  });

  it('labels older samples in minutes, hours and days, and draws one sample flat', () => {
    const now = 200_000;
    const series = {
      samples: [
        { timeSeconds: now - 90, latencyMs: 10 },
        { timeSeconds: now - 7200, latencyMs: 10 },
        { timeSeconds: now - 2 * 86400, latencyMs: 10 },
      ],
      maxMs: 12,
    };
    expect(latencyGraph('fork', series, now)).toBe(
      `fork - high 10 ms, low 10 ms (all time high 12 ms)\n${DASHES}\n   \n   \n   \n___\n   \n122\nmhd\n`,
    );
  });
});
