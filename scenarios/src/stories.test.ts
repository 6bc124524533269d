/**
 * The YAML stories (scenarios/stories/*.yaml): each holds on a sweep of seeds, `replisim list
 * --json` lists every story with its summary, and `replisim step` can be driven from a pipe through
 * the flagship's first FULLRESYNC. The long sweep:
 *
 *   REPLISIM_SWEEP_SEEDS=200 npx vitest run scenarios/src/stories.test.ts
 *
 * (REPLISIM_STORIES=save-rules,shutdown-saves sweeps only those.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runScenario } from '@replisim/harness';
import { type CliIo, loadStoryDir, main, stepMain } from '@replisim/harness/cli';
import { describe, expect, it } from 'vitest';
import { FLAGSHIP_SCENARIO, SCENARIOS, STORIES_DIR } from './index.js';

const SWEEP_SEEDS = Number(process.env['REPLISIM_SWEEP_SEEDS'] ?? '0');
const SWEEP_FROM = Number(process.env['REPLISIM_SWEEP_FROM'] ?? '1');
/** Seeds per story in CI. */
const CI_SEEDS = 3;
/** Stories that hold 150 MB or simulate long waits: one seed in CI. */
const SLOW = new Set(['save-versus-bgsave', 'save-rules']);
const STORIES = loadStoryDir(STORIES_DIR);
/** REPLISIM_STORIES=a,b sweeps only those stories. */
const ONLY = process.env['REPLISIM_STORIES']?.split(',');
const SWEPT = STORIES.filter((story) => ONLY === undefined || ONLY.includes(story.name));

function capture(): CliIo & { text: () => string } {
  let out = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      out += text;
    },
    text: () => out,
  };
}

describe.each(SWEPT.map((scenario) => ({ scenario })))('$scenario.name', ({ scenario }) => {
  it('holds on a sweep of seeds', { timeout: SWEEP_SEEDS > 0 ? 0 : 30_000 }, async () => {
    const n = SWEEP_SEEDS > 0 ? SWEEP_SEEDS : SLOW.has(scenario.name) ? 1 : CI_SEEDS;
    const from = SWEEP_SEEDS > 0 ? SWEEP_FROM : 1;
    const failures: string[] = [];
    for (let seed = from; seed < from + n; seed++) {
      const result = await runScenario(scenario, { seed });
      if (result.verdict !== 'held') {
        const why = [
          ...result.expectations.filter((e) => !e.ok).map((e) => `FAIL ${e.line}`),
          ...result.findings.filter((f) => f.severity === 'violation').map((f) => f.text),
          ...(result.undecided === undefined ? [] : [result.undecided]),
        ];
        failures.push(`seed ${seed}: ${why.slice(0, 2).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the replisim CLI over the stories', () => {
  it('list --json names every scenario and story with a one-line summary', async () => {
    const io = capture();
    expect(await main(['list', '--json'], [...SCENARIOS, ...STORIES], FLAGSHIP_SCENARIO, io)).toBe(
      0,
    );
    const listed = JSON.parse(io.text()) as { name: string; summary: string }[];
    expect(listed.map((entry) => entry.name)).toEqual(
      [...SCENARIOS, ...STORIES].map((scenario) => scenario.name),
    );
    for (const entry of listed) expect(entry.summary).toMatch(/^[^\n]{10,100}$/);
  });

  it('step replica-partition, driven from a pipe, shows the handshake bytes through the first FULLRESYNC', async () => {
    const io = capture();
    const input = Readable.from(['n\n', 'c\n', 'c\n', 'c\n', 'c\n', 'c\n', 'q\n']);
    const out = mkdtempSync(join(tmpdir(), 'replisim-step-test-'));
    const code = await stepMain(
      ['replica-partition', '--set', 'keys=300', '--out', out],
      SCENARIOS,
      FLAGSHIP_SCENARIO,
      io,
      input,
    );
    expect(code).toBe(0);
    const text = io.text();
    const psync = text.indexOf('PSYNC\\r\\n$1\\r\\n?\\r\\n$2\\r\\n-1');
    const fullresync = text.indexOf('wire master -> replica-');
    expect(psync).toBeGreaterThan(0);
    expect(text).toMatch(/REPLCONF\\r\\n\$14\\r\\nlistening-port/);
    expect(text).toMatch(/\+FULLRESYNC [0-9a-f]{40} \d+\\r\\n/);
    expect(text.indexOf('+FULLRESYNC', fullresync)).toBeGreaterThan(psync);
    expect(text).toMatch(/master +master +replid [0-9a-f]{8} offset \d+ +backlog/);
    expect(text.trimEnd().endsWith('quit.')).toBe(true);
    // Every step leaves its run folder, report included.
    expect(text).toContain(`run folder ${out}`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<title>replisim report');
    rmSync(out, { recursive: true, force: true });
  });
});
