/**
 * Differential test of the per-command statistics against redis-server 7.0.15, in RESP2 and RESP3:
 * LATENCY HISTOGRAM's shape (a map of command to `calls` and `histogram_usec`, each bucket a
 * power-of-two µs bound from Redis's set, counts cumulative up to the calls), which commands it
 * names for names, `container|sub`, a container, unknown and repeated names; INFO commandstats'
 * and latencystats' lines with their numbers masked (durations differ between two servers), and
 * CONFIG RESETSTAT forgetting them. Reply order of a map is Redis's hash order, so maps are
 * compared as sorted entries.
 */
import type { RespValue } from '@replisim/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

/** Every µs bound fillCommandCDF can print: highest equivalents of 1024 * 2^k ns, and the end. */
const BOUNDS = new Set([
  1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33816, 67633, 135266,
  270532, 541065, 1073741,
]);

/** A map or a flat RESP2 array of pairs, as [key, value] entries. */
function pairs(value: RespValue): [RespValue, RespValue][] {
  if (value.kind === 'map') return value.entries;
  if (value.kind !== 'array') throw new Error(`expected a map, got ${value.kind}`);
  const out: [RespValue, RespValue][] = [];
  for (let i = 0; i + 1 < value.items.length; i += 2) {
    const key = value.items[i];
    const item = value.items[i + 1];
    if (key !== undefined && item !== undefined) out.push([key, item]);
  }
  return out;
}

const text = (value: RespValue): string =>
  value.kind === 'bulk' ? value.value.toString('latin1') : String(value.kind);
const int = (value: RespValue): number => (value.kind === 'integer' ? Number(value.value) : -1);

/** HISTOGRAM's reply as sorted `command calls=<n>` lines, after checking each histogram. */
function histogramShape(value: RespValue): string[] {
  return pairs(value)
    .map(([name, body]) => {
      const fields = new Map(pairs(body).map(([key, item]) => [text(key), item]));
      const calls = int(fields.get('calls') ?? { kind: 'null' });
      const buckets = pairs(fields.get('histogram_usec') ?? { kind: 'null' });
      let previous = 0;
      for (const [bound, count] of buckets) {
        expect(BOUNDS.has(int(bound)), `bound ${int(bound)}`).toBe(true);
        expect(int(count)).toBeGreaterThan(previous);
        previous = int(count);
      }
      expect(previous).toBe(calls);
      return `${text(name)} calls=${calls}`;
    })
    .sort();
}

/**
 * INFO lines with the durations masked (calls, rejected_calls and failed_calls stay), sorted
 * (Redis lists commands in hash order).
 */
const infoShape = (reply: RespValue): string[] =>
  (reply.kind === 'bulk' || reply.kind === 'verbatim' ? reply.value.toString('latin1') : '')
    .split('\r\n')
    .map((line) =>
      line
        .replace(/usec=[0-9]+,usec_per_call=[0-9.]+/, 'usec=N')
        .replace(/(p[0-9.]+)=[0-9.]+/g, '$1=N'),
    )
    .sort();

describe('per-command statistics against redis-server', () => {
  const servers = useServerPair();
  for (const protocol of [2, 3] as const) {
    it(`LATENCY HISTOGRAM and INFO commandstats/latencystats match Redis (RESP${protocol})`, async () => {
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
      const sameShape = async (...argv: string[]) => {
        const [expected, actual] = await both(...argv);
        if (expected === undefined || actual === undefined) throw new Error('no reply');
        expect(histogramShape(actual.value), argv.join(' ')).toEqual(
          histogramShape(expected.value),
        );
      };
      const sameInfo = async (section: string) => {
        const [expected, actual] = await both('INFO', section);
        if (expected === undefined || actual === undefined) throw new Error('no reply');
        expect(infoShape(actual.value), section).toEqual(infoShape(expected.value));
      };
      try {
        if (protocol === 3) await both('HELLO', '3');
        await same('CONFIG', 'RESETSTAT');
        // RESETSTAT itself is recorded after it cleared the statistics, on both.
        await sameShape('LATENCY', 'HISTOGRAM');
        for (let i = 0; i < 5; i++) await same('SET', `k${i}`, 'v');
        for (let i = 0; i < 3; i++) await same('GET', `k${i}`);
        await same('CONFIG', 'GET', 'maxmemory');
        await same('GET');
        await same('INCR', 'k0');
        await sameShape(
          'LATENCY',
          'HISTOGRAM',
          'set',
          'GET',
          'nope',
          'config',
          'config|get',
          'set',
        );
        await sameShape('LATENCY', 'HISTOGRAM', 'incr');
        await same('LATENCY', 'HISTOGRAM', 'nope', 'config|nope', 'a|b|c');
        await sameInfo('commandstats');
        await sameInfo('latencystats');
        await same('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.9 100');
        await sameInfo('latencystats');
        await same('CONFIG', 'SET', 'latency-tracking', 'no');
        await sameInfo('latencystats');
        await same('SET', 'k9', 'v');
        await same('CONFIG', 'SET', 'latency-tracking', 'yes');
        await same('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
        await sameShape('LATENCY', 'HISTOGRAM', 'set');
        await same('CONFIG', 'RESETSTAT');
        await sameInfo('commandstats');
      } finally {
        redis.close();
        ours.close();
      }
    });
  }
});
