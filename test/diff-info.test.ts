/**
 * INFO against redis-server 7.0.15: the default sections and every field name in Redis's order
 * (values are each server's own, so only names are compared), the errorstats lines after the same
 * errors (exact), and the CPU section's times coming from the process (positive, growing).
 */
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { useServerPair } from './support/server-pair.js';

/** Section titles and field names of an INFO text, in order. */
function names(text: string): string[] {
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => (line.startsWith('#') ? line : (line.split(':')[0] ?? '')));
}

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) map.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return map;
}

async function infoText(client: RawClient, ...sections: string[]): Promise<string> {
  const reply = await client.call('INFO', ...sections);
  if (reply.value.kind !== 'bulk' && reply.value.kind !== 'verbatim') throw new Error('no text');
  return reply.value.value.toString('latin1');
}

describe('INFO against redis-server', () => {
  const servers = useServerPair();

  it('has the default sections and fields of Redis 7.0, in order', async () => {
    const { ports } = servers();
    const redis = await RawClient.connect(ports.redis);
    const ours = await RawClient.connect(ports.replisim);
    try {
      for (const client of [redis, ours]) {
        await client.call('CONFIG', 'RESETSTAT');
        await client.call('NOPE');
        await client.call('GET');
        await client.call('SET', 'k', 'v');
        await client.call('LPUSH', 'k', 'x');
        await client.call('FLUSHALL');
      }
      const [expected, actual] = [await infoText(redis), await infoText(ours)];
      expect(names(actual)).toEqual(names(expected));
      const errorLines = (text: string) =>
        text.split('\r\n').filter((l) => l.startsWith('errorstat_'));
      expect(errorLines(actual)).toEqual(errorLines(expected));
      expect(errorLines(actual)).toEqual(['errorstat_ERR:count=2', 'errorstat_WRONGTYPE:count=1']);
      for (const section of ['cpu', 'errorstats', 'cluster', 'modules']) {
        expect(names(await infoText(ours, section))).toEqual(names(await infoText(redis, section)));
      }
    } finally {
      redis.close();
      ours.close();
    }
  });

  it('reports the CPU time the process used', async () => {
    const ours = await RawClient.connect(servers().ports.replisim);
    try {
      const before = fields(await infoText(ours, 'cpu'));
      const started = process.cpuUsage();
      while (process.cpuUsage(started).user < 20_000) {
        // Burn 20 ms of CPU so the counter moves.
      }
      const after = fields(await infoText(ours, 'cpu'));
      const user = (map: Map<string, string>) => Number(map.get('used_cpu_user'));
      expect(after.get('used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
      expect(user(after) - user(before)).toBeGreaterThanOrEqual(0.02);
      expect(Number(after.get('used_cpu_sys'))).toBeGreaterThan(0);
    } finally {
      ours.close();
    }
  });
});
