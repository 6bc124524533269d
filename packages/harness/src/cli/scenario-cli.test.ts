/**
 * The CLI over scenario files and run folders: `run ./file.yaml` and `run ./file.mjs` work, a
 * malformed file is refused with file:line and exit 2, `replay <run-dir>` reproduces the recorded
 * trace hash and exits 1 when it differs, and `step` refuses a bad seed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'replisim-scenario-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (chunk) => {
      text += chunk;
    },
    err: (chunk) => {
      text += chunk;
    },
    text: () => text,
  };
}

const YAML = `name: two-keys
summary: one node, two keys
story: One node takes two keys.
nodes:
  n1: { config: { save: '' } }
steps:
  - start: n1
  - set: { node: n1, keys: 2 }
  - check: { node: n1, keys: 2 }
`;

describe('replisim run and replay over files', () => {
  it('runs a YAML file to a held verdict', async () => {
    const file = join(dir, 'two.yaml');
    writeFileSync(file, YAML);
    const io = capture();
    expect(await main(['run', file], [], 'none', io)).toBe(0);
    expect(io.text()).toMatch(/PASS: n1 holds 2 keys \(expected 2\)/);
    expect(io.text()).toContain(`npx replisim run ${file} --seed 1`);
  });

  it('refuses a malformed file with file:line and exit 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, YAML.replace('keys: 2 }\n  - check', 'keys: two }\n  - chek'));
    const io = capture();
    expect(await main(['run', file], [], 'none', io)).toBe(2);
    expect(io.text()).toBe(`${file}:9: steps[2].chek: unknown field chek\n`);
  });

  it('runs an ES module exporting a scenario', async () => {
    const file = join(dir, 'mine.mjs');
    writeFileSync(
      file,
      `export const scenario = {
  name: 'mine', summary: 'one node', story: 'One node boots.',
  async run({ cluster, expect }) {
    cluster.node({ name: 'n1', options: ['--save', ''] });
    await cluster.start();
    expect(cluster.serving('n1'), 'n1 serves');
  },
};\n`,
    );
    const io = capture();
    expect(await main(['run', file, '--seed=4'], [], 'none', io)).toBe(0);
    expect(io.text()).toMatch(/PASS: n1 serves/);
  });

  it('replays a run folder to the same trace hash, and exits 1 when it differs', async () => {
    const file = join(dir, 'two.yaml');
    writeFileSync(file, YAML);
    const out = join(dir, 'run');
    expect(await main(['run', file, '--seed', '9', '--out', out], [], 'none', capture())).toBe(0);
    const io = capture();
    expect(await main(['replay', out], [], 'none', io)).toBe(0);
    expect(io.text()).toMatch(/Same trace hash as recorded: [0-9a-f]+/);
    const summaryPath = join(out, 'summary.json');
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(summaryPath, JSON.stringify({ ...summary, traceHash: 'feedface' }));
    const changed = capture();
    expect(await main(['replay', out], [], 'none', changed)).toBe(1);
    expect(changed.text()).toMatch(/TRACE HASH DIFFERS: recorded feedface/);
  });

  it('step refuses a seed that is not a non-negative integer', async () => {
    const io = capture();
    expect(await main(['step', 'x', '--seed', '1.5'], [], 'none', io)).toBe(2);
    expect(io.text()).toMatch(/--seed needs a non-negative integer, not 1.5/);
  });
});
