/**
 * `replisim chaos --backend process`: chaos cases on real replisim-server and redis-server
 * processes through the fault proxy. Each test runs two seeds on one server and requires: every run
 * decided without a violation, the summary and outcomes in the run folder as on the sim, the
 * summary naming the fault kinds left out on this backend (and why), and nothing left behind: no
 * server process, no child of this process, no node dir. A third test stops a run with the per-run
 * time limit and requires an undecided seed whose failure folder and rerun line name the backend.
 *
 * Method: the CLI runs in this process (its `main`), with TMPDIR pointed at a fresh dir, so every
 * node dir (also each server's working directory) lands there and identifies what the run started.
 * The seeds are ones whose cases are small (one replica at most, no preload) with a 1 s safety
 * phase, so a run takes 2-5 s on an idle machine; the 60 s bounds are for a loaded 2-core one.
 *
 * Needs `npx tsc -b` first (replisim-server runs from dist) and redis-server on PATH; without it the
 * redis tests are skipped, saying so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeContainerEngine } from '@replisim/harness';
import { main } from '@replisim/harness/cli';
import { afterAll, describe, expect, it } from 'vitest';

function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const REDIS = hasRedis();
if (!REDIS) console.log('chaos-process: redis-server is not on PATH; the redis cases are skipped');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Pids whose working directory is under `dir` (redis-server rewrites its command line). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) pids.push(Number(entry));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return pids;
}

/** Pids of the running children of `pid` (the ppid field of /proc/<child>/stat). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return children.sort((a, b) => a - b);
}

interface ChaosJson {
  readonly runs: number;
  readonly held: number;
  readonly violated: number;
  readonly undecided: number;
  readonly backend: string;
  readonly excluded: readonly { readonly kind: string; readonly why: string }[];
  readonly failures: readonly { readonly seed: number; readonly problems: readonly string[] }[];
  readonly replays: readonly string[];
}

/** Runs `replisim chaos` in this process with TMPDIR at a fresh dir; returns what it left. */
async function chaos(args: readonly string[]) {
  const tmp = mkdtempSync(join(tmpdir(), 'replisim-chaos-process-'));
  dirs.push(tmp);
  const out = join(tmp, 'out');
  const childrenBefore = childrenOf(process.pid);
  let stdout = '';
  let stderr = '';
  const previous = process.env['TMPDIR'];
  process.env['TMPDIR'] = tmp;
  let code: number;
  try {
    code = await main(['chaos', ...args, '--out', out, '--json'], [], 'none', {
      out: (text) => {
        stdout += text;
      },
      err: (text) => {
        stderr += text;
      },
    });
  } finally {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  }
  expect(stderr).toBe('');
  return {
    code,
    out,
    summary: JSON.parse(stdout) as ChaosJson,
    processes: processesIn(tmp),
    newChildren: childrenOf(process.pid).filter((pid) => !childrenBefore.includes(pid)),
    nodeDirs: readdirSync(tmp).filter((name) => name.startsWith('replisim-')),
  };
}

const EXCLUDED = ['disk-full', 'disk-eio', 'slow-fsync', 'clock-jump', 'crash-after-rename'];

function expectDecidedAndClean(run: Awaited<ReturnType<typeof chaos>>, backend: string): void {
  const { summary } = run;
  expect(summary.runs).toBe(2);
  expect(summary.violated, JSON.stringify(summary.failures)).toBe(0);
  // A real run may end undecided on a machine too loaded to converge in time; it says why.
  for (const failure of summary.failures) expect(failure.problems[0]).toMatch(/^undecided: /);
  expect(summary.backend).toBe(backend);
  expect(summary.excluded.map((excluded) => excluded.kind)).toEqual(
    expect.arrayContaining(EXCLUDED),
  );
  const outcomes = readFileSync(join(run.out, 'outcomes.jsonl'), 'utf8').trim().split('\n');
  expect(outcomes).toHaveLength(2);
  expect(JSON.parse(readFileSync(join(run.out, 'summary.json'), 'utf8')).backend).toBe(backend);
  expect(run.processes).toEqual([]);
  expect(run.newChildren).toEqual([]);
  expect(run.nodeDirs).toEqual([]);
}

describe('replisim chaos --backend process', () => {
  it('runs two seeds on replisim-server processes and leaves nothing behind', {
    timeout: 60_000,
  }, async () => {
    const args = ['--backend', 'process', '--server', 'replisim', '--safety-ms', '1000'];
    const run = await chaos([...args, '--from', '302', '--seeds', '2']);
    expectDecidedAndClean(run, 'process/replisim');
  });

  it.skipIf(!REDIS)(
    'runs two seeds on redis-server processes and leaves nothing behind',
    { timeout: 60_000 },
    async () => {
      const args = ['--backend', 'process', '--server', 'redis', '--safety-ms', '1000'];
      const run = await chaos([...args, '--from', '23', '--seeds', '2']);
      expectDecidedAndClean(run, 'process/redis');
      expect(run.summary.excluded.map((excluded) => excluded.kind)).toContain(
        'repl-snapshot-reuse (configuration)',
      );
    },
  );

  it.skipIf(!REDIS)(
    'stops a run at its time limit: undecided, its folder kept, a rerun on the same backend',
    { timeout: 60_000 },
    async () => {
      const args = ['--backend', 'process', '--server', 'redis', '--safety-ms', '1000'];
      const run = await chaos([...args, '--seed', '24', '--run-limit', '1']);
      expect(run.code).toBe(2);
      expect(run.summary.undecided).toBe(1);
      expect(run.summary.failures[0]?.problems[0]).toMatch(
        /^undecided: run stopped: the per-run time limit of 1 s ran out/,
      );
      expect(run.summary.replays.join('\n')).toContain(
        'rerun: npx replisim chaos --seed 24 --backend process --server redis --safety-ms 1000',
      );
      const failure = join(run.out, 'failures', 'seed-24');
      expect(JSON.parse(readFileSync(join(failure, 'case.json'), 'utf8')).target).toEqual({
        backend: 'process',
        server: 'redis',
      });
      expect(existsSync(join(failure, 'run', 'history.jsonl'))).toBe(true);
      expect(run.processes).toEqual([]);
      expect(run.newChildren).toEqual([]);
      expect(run.nodeDirs).toEqual([]);
    },
  );

  it('refuses what a real run cannot do, and the container backend without an engine', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const usage = (args: string[]) => main(['chaos', ...args], [], 'none', io);
    expect(await usage(['--backend', 'process', '--shrink', '2'])).toBe(2);
    expect(await usage(['--backend', 'process', '--check-determinism'])).toBe(2);
    expect(await usage(['--server', 'redis'])).toBe(2);
    expect(lines.join('')).toContain('--server needs --backend process');
    if (!probeContainerEngine().ok) {
      expect(await usage(['--backend', 'container'])).toBe(2);
      expect(lines.at(-1)).toMatch(
        /^the container backend needs a Docker engine: no Docker engine/,
      );
    }
  });
});
