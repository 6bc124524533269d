/**
 * The flagship scenario end to end in the simulator: it must pass on several seeds (the node comes
 * back with exactly the last completed snapshot), crash while snapshot #2 is still running, and
 * replay byte for byte from its seed.
 */
import { describe, expect, it } from 'vitest';
import { runCrashDuringBgsave } from './crash-during-bgsave.js';

const KEYS = 3000;

describe('crash-during-bgsave', () => {
  it.each([1, 2, 3])('seed %i: the restarted node holds exactly snapshot #1', (seed) => {
    const result = runCrashDuringBgsave({ seed, keys: KEYS });
    expect(result.verdict[0]).toMatch(/^PASS: .* snapshot #1 at its snapshot point/);
    expect(result.passed).toBe(true);
    const story = result.timeline.render();
    // The power loss really interrupted snapshot #2, and writes were lost.
    expect(story).toMatch(
      /power loss on node1 during snapshot #2: (temp-\d+\.rdb holds \d+ of about \d+ bytes|its file was complete and renamed)/,
    );
    expect(result.verdict[1]).toMatch(/^[1-9]\d* acknowledged writes were lost/);
  });

  it('replays exactly from its seed', () => {
    const a = runCrashDuringBgsave({ seed: 7, keys: KEYS });
    const b = runCrashDuringBgsave({ seed: 7, keys: KEYS });
    expect(a.timeline.render()).toBe(b.timeline.render());
    expect(a.verdict).toEqual(b.verdict);
  });
});
