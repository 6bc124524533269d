/**
 * The CLI: `run --out` writes the run folder (history.jsonl, events.jsonl, summary.json, logs,
 * report.html), the same seed gives the same trace hash, `report <run-dir>` rebuilds the same page
 * from the JSON files, and mistakes get exit code 2 with a message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvents, parseOps } from '../history/jsonl.js';
import { defineScenario } from '../run/scenario.js';
import { type CliIo, main } from './main.js';

const tiny = defineScenario({
  name: 'tiny',
  summary: 'one node, one write',
  story: 'One node takes one write.',
  params: { value: 'v' },
  async run({ cluster, params }) {
    cluster.node({ name: 'n1', options: ['--save', ''] });
    await cluster.start();
    const client = await cluster.client('n1');
    let done = false;
    client.op(
      'write',
      ['SET', 'k', params['value'] ?? ''],
      { key: 'k', value: params['value'] ?? '' },
      () => {
        done = true;
      },
    );
    await cluster.waitFor('the write', () => done);
    await cluster.call('n1', ['SAVE']);
  },
});

function capture(): CliIo & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    text: () => out,
    errors: () => err,
  };
}

function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('replisim CLI', () => {
  it('writes a run folder whose trace hash repeats for the same seed', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'replisim-cli-'));
      dirs.push(dir);
      const io = capture();
      expect(
        await main(
          ['run', 'tiny', '--seed=3', '--out', dir, '--set', 'value=x1'],
          [tiny],
          'tiny',
          io,
        ),
      ).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({
        scenario: 'tiny',
        seed: 3,
        verdict: 'held',
        params: { value: 'x1' },
      });
      expect(summary.replay).toBe('npx replisim run tiny --seed 3 --set value=x1');
      const ops = parseOps(readFileSync(join(dir, 'history.jsonl'), 'utf8'));
      expect(ops.filter((op) => op.f === 'write').map((op) => op.type)).toEqual(['invoke', 'ok']);
      expect(
        parseEvents(readFileSync(join(dir, 'events.jsonl'), 'utf8')).some((e) => e.kind === 'boot'),
      ).toBe(true);
      expect(readFileSync(join(dir, 'logs', 'n1.log'), 'utf8')).toMatch(
        /^\d+:M .* DB saved on disk$/m,
      );
      hashes.push(summary.traceHash);
    }
    expect(hashes[1]).toBe(hashes[0]);
  });

  it('refuses a bad seed, an unknown scenario, an unknown option and an unknown parameter with exit 2', async () => {
    for (const argv of [
      ['run', 'tiny', '--seed', '-1'],
      ['run', 'tiny', '--seed', 'x'],
      ['run', 'nope'],
      ['run', 'tiny', '--frobnicate'],
      ['run', 'tiny', '--set', 'nope=1'],
      ['explode'],
    ]) {
      const io = capture();
      expect(await main(argv, [tiny], 'tiny', io), argv.join(' ')).toBe(2);
      expect(io.errors(), argv.join(' ')).not.toBe('');
    }
  });

  it('writes report.html with the run, and `report <run-dir>` rebuilds it byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replisim-cli-'));
    dirs.push(dir);
    expect(await main(['run', 'tiny', '--seed=4', '--out', dir], [tiny], 'tiny', capture())).toBe(
      0,
    );
    const written = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(written).toContain('<title>replisim report · tiny · seed 4</title>');
    expect(written).toContain('npx replisim run tiny --seed 4');
    unlinkSync(join(dir, 'report.html'));
    const io = capture();
    expect(await main(['report', dir], [tiny], 'tiny', io)).toBe(0);
    expect(io.text()).toBe(`Report: ${join(dir, 'report.html')}\n`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(written);
  });

  it('refuses `report` without a run folder, with exit 2 and what is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'replisim-cli-'));
    dirs.push(empty);
    for (const argv of [['report'], ['report', empty], ['report', empty, 'extra']]) {
      const io = capture();
      expect(await main(argv, [tiny], 'tiny', io), argv.join(' ')).toBe(2);
      expect(io.errors(), argv.join(' ')).not.toBe('');
    }
    const io = capture();
    await main(['report', empty], [tiny], 'tiny', io);
    expect(io.errors()).toContain('summary.json does not exist');
  });

  it('refuses --server on the sim, and says in one line why the container backend cannot run', async () => {
    const sim = capture();
    expect(await main(['run', 'tiny', '--server', 'redis'], [tiny], 'tiny', sim)).toBe(2);
    expect(sim.errors()).toMatch(/--server and --server-path need --backend process or container/);
    const container = capture();
    expect(await main(['run', 'tiny', '--backend', 'container'], [tiny], 'tiny', container)).toBe(
      2,
    );
    expect(container.errors().trim().split('\n')).toHaveLength(1);
    expect(container.errors()).toMatch(/^the container backend /);
  });

  it.skipIf(!hasRedis())(
    'runs a scenario on real redis-server processes with --backend process',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'replisim-cli-process-'));
      dirs.push(dir);
      const io = capture();
      const argv = ['run', 'tiny', '--backend', 'process', '--server', 'redis', '--out', dir];
      expect(await main(argv, [tiny], 'tiny', io), io.errors()).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({ backend: 'process', verdict: 'held' });
      expect(summary.replay).toBe(
        'npx replisim run tiny --seed 1 --backend process --server redis',
      );
      expect(readFileSync(join(dir, 'logs', 'n1.log'), 'utf8')).toMatch(/DB saved on disk/);
      expect(io.text()).toMatch(/process backend \(real redis-server processes/);
    },
  );

  it('lists scenarios as JSON', async () => {
    const io = capture();
    expect(await main(['list', '--json'], [tiny], 'tiny', io)).toBe(0);
    expect(JSON.parse(io.text())).toEqual([
      { name: 'tiny', summary: 'one node, one write', params: { value: 'v' } },
    ]);
  });
});
