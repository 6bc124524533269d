/**
 * Ctrl-C during `replisim run --backend process`: every server process and every temporary dir of
 * the run must be gone when the command exits (status 130). The CLI runs as a child with its own
 * TMPDIR, so the run's node dirs, which are also its servers' working directories, identify
 * exactly what it started; after SIGINT neither a dir nor a process in one may remain.
 *
 * Needs `npx tsc -b` first (the replisim binary runs from dist) and redis-server on PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild } from './support/processes.js';

const CLI = fileURLToPath(new URL('../scenarios/bin/replisim.js', import.meta.url));

function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pids of running processes whose working directory is under `dir` (each server runs in its node
 * dir; redis-server rewrites its command line, so /proc/<pid>/cwd is what identifies it).
 */
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

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('replisim run --backend process under Ctrl-C', () => {
  it.skipIf(!hasRedis())(
    'stops every server and removes every node dir, then exits 130',
    { timeout: 30_000 },
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'replisim-sigint-'));
      dirs.push(tmp);
      const cli = spawnChild(
        process.execPath,
        [CLI, 'run', 'failover', '--backend', 'process', '--server', 'redis'],
        { env: { ...process.env, TMPDIR: tmp } },
      );
      // Wait until the three servers run (the timeline is printed only at the end of the run).
      const deadline = Date.now() + 20_000;
      while (processesIn(tmp).length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(processesIn(tmp).length).toBeGreaterThanOrEqual(3);
      process.kill(cli.pid, 'SIGINT');
      const status = await cli.exited();
      expect(status.code).toBe(130);
      expect(cli.stderr()).toMatch(/interrupted: stopping every node process/);
      expect(processesIn(tmp)).toEqual([]);
      expect(readdirSync(tmp).filter((name) => name.startsWith('replisim-'))).toEqual([]);
    },
  );
});
