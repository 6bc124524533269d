/**
 * Differential test of the latency monitor against redis-server 7.0.15, in RESP2 and RESP3: LATENCY
 * DOCTOR's texts while monitoring is off and while nothing was slow, HELP, arity errors, and after a
 * DEBUG SLEEP of 200 ms above a 100 ms threshold the same event class in LATEST and HISTORY (times
 * and milliseconds checked for plausibility, since two servers cannot take exactly the same time),
 * RESET's counts, and nothing recorded below the threshold; GRAPH of two spikes (numbers and ages
 * masked) and its error for an unknown event.
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

/** LATEST or HISTORY with times and milliseconds replaced by checks that they are plausible. */
function masked(value: RespValue): unknown {
  if (value.kind !== 'array') throw new Error(`expected an array, got ${value.kind}`);
  return value.items.map((item) => {
    if (item.kind !== 'array') throw new Error('expected an array entry');
    return item.items.map((field) => {
      if (field.kind === 'bulk') return field.value.toString();
      if (field.kind !== 'integer') throw new Error(`unexpected ${field.kind}`);
      const n = Number(field.value);
      // A unix time is now; a latency is the sleep's 200 ms and a bit.
      if (n > 1_000_000_000) return Math.abs(n - Date.now() / 1000) < 30 ? 'now' : n;
      return n >= 200 && n < 2000 ? '~200ms' : n;
    });
  });
}

describe('LATENCY against redis-server', () => {
  const servers = useServerPair({ both: ['--enable-debug-command', 'yes'] });
  for (const protocol of [2, 3] as const) {
    it(`monitors, reports and resets as Redis does (RESP${protocol})`, async () => {
      const { ports } = servers();
      const redis = await RawClient.connect(ports.redis);
      const ours = await RawClient.connect(ports.replisim);
      const both = async (...argv: string[]) => [
        await redis.call(...argv),
        await ours.call(...argv),
      ];
      const same = async (...argv: string[]) => {
        const [expected, actual] = await both(...argv);
        expect(actual?.bytes.toString('latin1'), argv.join(' ')).toBe(
          expected?.bytes.toString('latin1'),
        );
      };
      try {
        if (protocol === 3) await both('HELLO', '3');
        await same('CONFIG', 'SET', 'latency-monitor-threshold', '0');
        await same('LATENCY', 'RESET');
        await same('LATENCY', 'DOCTOR');
        await same('LATENCY', 'LATEST');
        await same('LATENCY', 'LATEST', 'x');
        await same('LATENCY', 'HISTORY');
        await same('LATENCY', 'HISTORY', 'command');
        await same('LATENCY', 'HELP');
        await same('LATENCY', 'GRAPH', 'command');
        await same('LATENCY', 'GRAPH');
        await same('LATENCY', 'NOPE');
        await same('CONFIG', 'SET', 'latency-monitor-threshold', '100');
        await same('LATENCY', 'DOCTOR');
        await same('DEBUG', 'SLEEP', '0.01');
        await same('LATENCY', 'LATEST');
        await same('DEBUG', 'SLEEP', '0.2');
        for (const argv of [
          ['LATENCY', 'LATEST'],
          ['LATENCY', 'HISTORY', 'command'],
        ]) {
          const [expected, actual] = await both(...argv);
          if (expected === undefined || actual === undefined) throw new Error('no reply');
          expect(masked(actual.value), argv.join(' ')).toEqual(masked(expected.value));
        }
        // A second, larger spike a second later: GRAPH's two columns, with the numbers of the
        // title and the ages (two clocks) masked.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await same('DEBUG', 'SLEEP', '0.5');
        const [redisGraph, ourGraph] = await both('LATENCY', 'GRAPH', 'command');
        const maskGraph = (reply: typeof redisGraph) =>
          (reply?.bytes.toString('latin1') ?? '')
            .replace(/^[$=][0-9]+/, 'LEN')
            .replace(/[0-9]+ ms/g, 'N ms')
            .replace(/\n[0-9][0-9]\n/, '\nAGES\n');
        expect(maskGraph(ourGraph)).toBe(maskGraph(redisGraph));
        expect(ourGraph?.bytes.toString('latin1')).toContain('\n #\n |\n |\n_|\n');
        await same('LATENCY', 'RESET', 'nope', 'command', 'command');
        await same('LATENCY', 'LATEST');
        await same('CONFIG', 'SET', 'latency-monitor-threshold', '0');
      } finally {
        redis.close();
        ours.close();
      }
    });
  }
});
