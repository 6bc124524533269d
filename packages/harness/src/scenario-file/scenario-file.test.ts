/**
 * Scenario files: a mistake names the file, the line and the field; a valid file runs as a
 * Scenario whose steps, checks and expectations become verdict lines; ranges are drawn per seed.
 */
import { describe, expect, it } from 'vitest';
import { SimBackend } from '../backends/sim/sim-backend.js';
import { runScenario } from '../run/run-scenario.js';
import { parseScenarioText, ScenarioFileError, scenarioOfText } from './index.js';

const GOOD = `name: tiny-file
summary: one node, a few keys, a snapshot
story: One node takes five keys and a SAVE.
params:
  keys: 5
  pause: { range: [1s, 3s] }
nodes:
  n1: { config: { save: '' } }
steps:
  - start: n1
  - set: { node: n1, keys: '\${keys}' }
  - run: '\${pause}'
  - call: { node: n1, command: [SAVE], reply: OK }
  - check: { node: n1, keys: '\${keys}' }
expect:
  - event: { node: n1, kind: save, count: 1 }
`;

function errorOf(text: string): ScenarioFileError {
  try {
    parseScenarioText(text, 'my.yaml');
  } catch (error) {
    if (error instanceof ScenarioFileError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('scenario files', () => {
  it('names file, line and field for an unknown step verb', () => {
    const error = errorOf(GOOD.replace('  - run: ', '  - sleep: '));
    expect(error.message).toBe('my.yaml:12: steps[2].sleep: unknown field sleep');
  });

  it('names the line of a value of the wrong type', () => {
    const error = errorOf(GOOD.replace('command: [SAVE]', 'command: SAVE'));
    expect(error.message).toMatch(/^my\.yaml:13: steps\[3\]\.call\.command: expected array/);
  });

  it('reports broken YAML with its line', () => {
    const error = errorOf(`${GOOD}  - [unclosed\n`);
    expect(error.line).toBeGreaterThanOrEqual(17);
    expect(error.message).toMatch(/^my\.yaml:\d+: not valid YAML/);
  });

  it('runs a valid file to a held verdict with its own lines', async () => {
    const result = await runScenario(scenarioOfText(GOOD, 'my.yaml'), { seed: 1 });
    expect(result.verdict).toBe('held');
    expect(result.expectations.map((e) => e.ok)).toEqual([true, true, true]);
    expect(result.expectations[2]?.line).toMatch(/1 save event\(s\) on n1/);
  });

  it('draws a range from the seed, and --set pins it', async () => {
    const scenario = scenarioOfText(GOOD, 'my.yaml');
    const drawn = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5])
      drawn.add((await runScenario(scenario, { seed })).durationMs);
    expect(drawn.size).toBeGreaterThan(1);
    const pinned = await runScenario(scenario, { seed: 1, params: { pause: '2s' } });
    expect(pinned.events.some((e) => e.text.includes('drawn from seed'))).toBe(false);
  });

  it('fails the verdict when an expectation does not hold', async () => {
    const text = GOOD.replace('kind: save, count: 1', 'kind: save, count: 2');
    const result = await runScenario(scenarioOfText(text, 'my.yaml'), { seed: 1 });
    expect(result.verdict).toBe('violated');
  });

  it('points a replicaof step at the target as the replica reaches it (its link, on real backends)', async () => {
    const text = `name: replicaof-link
summary: a replica attached by a step
story: n2 starts alone, then a step makes it follow n1.
nodes:
  n1: { config: { save: '' } }
  n2: { config: { save: '' } }
steps:
  - start: n1
  - start: n2
  - replicaof: { node: n2, of: n1 }
`;
    const asked: string[] = [];
    // The simulator has one address per node; this one also notes who asked for it.
    class RecordingBackend extends SimBackend {
      override address(name: string, from?: string) {
        asked.push(`${name} from ${from ?? 'clients'}`);
        return super.address(name);
      }
    }
    const backend = new RecordingBackend({ seed: 1 });
    await runScenario(scenarioOfText(text, 'link.yaml'), { seed: 1, backend });
    expect(asked[0]).toBe('n1 from n2');
  });
});
