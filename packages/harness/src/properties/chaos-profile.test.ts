/**
 * The process profile: cases drawn for real processes never hold a fault a real process cannot
 * take (they are left out, not refused at run time), nor a slow-disk configuration, and a
 * redis-server cluster never gets replisim's own option. Method: draw many seeds' cases and look at
 * them; then run one redis-target case on the simulator (virtual time, fast) and read the options
 * its nodes booted with.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from './chaos-case.js';
import { PROCESS_FAULT_MS_MAX, processProfile, SIM_PROFILE } from './chaos-profile.js';
import { caseForSeed, runChaosCase } from './chaos-runner.js';

const SEEDS = Number(process.env['REPLISIM_PROFILE_SEEDS'] ?? '300');
const NEVER_ON_PROCESS = [
  'disk-full',
  'disk-eio',
  'slow-fsync',
  'clock-jump',
  'crash-after-rename',
];

describe('processProfile', () => {
  it('leaves the disk, clock and rename-window faults out of every drawn case, and says why', () => {
    const profile = processProfile('replisim');
    expect(profile.excluded.map((excluded) => excluded.kind)).toEqual(
      expect.arrayContaining(NEVER_ON_PROCESS),
    );
    for (const excluded of profile.excluded) expect(excluded.why.length).toBeGreaterThan(20);
    expect(profile.draw.kinds).toEqual(FAULT_KINDS.filter((k) => !NEVER_ON_PROCESS.includes(k)));
    const seen = new Set<string>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const chaos = caseForSeed(seed, profile);
      for (const fault of chaos.faults) {
        expect(NEVER_ON_PROCESS).not.toContain(fault.kind);
        expect(fault.durationMs).toBeLessThanOrEqual(PROCESS_FAULT_MS_MAX);
        expect(fault.atMs).toBeLessThan(chaos.safetyMs);
        seen.add(fault.kind);
      }
      expect(chaos.enabled.filter((kind) => NEVER_ON_PROCESS.includes(kind))).toEqual([]);
      expect(chaos.config.diskLatencyMs).toBe(0);
      expect(chaos.target).toEqual({ backend: 'process', server: 'replisim' });
    }
    // Everything a real process can take does come up.
    expect([...seen].sort()).toEqual([...profile.draw.kinds].sort());
  });

  it('draws no repl-snapshot-reuse for redis-server, and its nodes boot without the option', async () => {
    const redis = processProfile('redis', 1_000);
    expect(redis.excluded.map((excluded) => excluded.kind)).toContain(
      'repl-snapshot-reuse (configuration)',
    );
    for (let seed = 1; seed <= SEEDS; seed++) {
      expect(caseForSeed(seed, redis).config.snapshotReuse).toBe('no');
    }
    // The same case, once for each server, run on the simulator: only replisim's nodes get it.
    const chaos = { ...caseForSeed(3, redis), faults: [] };
    const boots = async (server: 'redis' | 'replisim'): Promise<string[]> => {
      const result = await runChaosCase({ ...chaos, target: { backend: 'process', server } }, 3);
      return result.events.filter((event) => event.kind === 'boot').map((event) => event.text);
    };
    const redisBoots = await boots('redis');
    expect(redisBoots.length).toBeGreaterThan(0);
    for (const text of redisBoots) expect(text).not.toContain('repl-snapshot-reuse');
    for (const text of await boots('replisim')) expect(text).toContain('--repl-snapshot-reuse no');
  });

  it('leaves the simulator its whole space', () => {
    expect(SIM_PROFILE.excluded).toEqual([]);
    expect(SIM_PROFILE.draw.kinds).toEqual(FAULT_KINDS);
    expect(caseForSeed(1).target).toBeUndefined();
  });
});
