/**
 * The flagship scenario end to end in the simulator: on several seeds it must pass, and its
 * timeline must show the path the story promises, in order: replica-b's first return continues
 * from the backlog, its second is refused for lack of backlog and ends in a new full sync. The
 * scenario's own verdict is not taken on trust for that: the test reads the log lines on the
 * timeline. The same seed must replay byte for byte.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../scenario.js';
import { runReplicaPartition } from './replica-partition.js';

/** The index of the first timeline entry of `actor` matching `pattern` after `from`, or -1. */
function entryIndex(result: ScenarioResult, actor: string, pattern: RegExp, from = 0): number {
  return result.timeline.entries.findIndex(
    (entry, index) => index >= from && entry.actor === actor && pattern.test(entry.text),
  );
}

describe('replica-partition', () => {
  it.each([1, 2, 3])('seed %i: partial resync, then full resync, and no write lost', (seed) => {
    const result = runReplicaPartition({ seed });
    expect(result.verdict.filter((line) => !line.startsWith('PASS: '))).toEqual([]);
    expect(result.passed).toBe(true);

    // Both replicas full-synced once at the start, from the same snapshot offset.
    const fullA = entryIndex(result, 'replica-a', /Full resync from master: \w+:\d+/);
    const fullB = entryIndex(result, 'replica-b', /Full resync from master: \w+:\d+/);
    expect(fullA).toBeGreaterThanOrEqual(0);
    expect(fullB).toBeGreaterThanOrEqual(0);

    // Partition #1: B times out, PSYNCs, and the master continues from the backlog.
    const cut1 = entryIndex(result, 'faults', /^partition #1: cuts replica-b/);
    const timeout1 = entryIndex(result, 'replica-b', /MASTER timeout/, cut1);
    const partial = entryIndex(result, 'master', /Partial resynchronization request .* accepted/);
    const continued = entryIndex(result, 'replica-b', /Successful partial resync/, partial);
    expect(cut1).toBeGreaterThan(Math.max(fullA, fullB));
    expect(timeout1).toBeGreaterThan(cut1);
    expect(partial).toBeGreaterThan(timeout1);
    expect(continued).toBeGreaterThan(partial);

    // Partition #2: B times out again, its PSYNC is refused, and it loads a new snapshot.
    const cut2 = entryIndex(result, 'faults', /^partition #2: cuts replica-b/);
    const refused = entryIndex(result, 'master', /Unable to partial resync .* lack of backlog/);
    const fullAgain = entryIndex(result, 'replica-b', /Full resync from master/, cut2);
    expect(cut2).toBeGreaterThan(continued);
    expect(refused).toBeGreaterThan(cut2);
    expect(fullAgain).toBeGreaterThan(refused);
    // Nothing else: one partial resync, one refusal, and replica-a never synced again.
    const story = result.timeline.render();
    expect(story.match(/Partial resynchronization request/g)).toHaveLength(1);
    expect(story.match(/lack of backlog/g)).toHaveLength(1);
    expect(story.match(/replica-a +log: Full resync/g)).toHaveLength(1);
    expect(result.verdict.join('\n')).toContain(
      'sync_full:3 sync_partial_ok:1 sync_partial_err:1 (expected',
    );
  });

  it('replays exactly from its seed', () => {
    const a = runReplicaPartition({ seed: 7 });
    const b = runReplicaPartition({ seed: 7 });
    expect(a.timeline.render()).toBe(b.timeline.render());
    expect(a.verdict).toEqual(b.verdict);
  });
});
