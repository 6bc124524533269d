/**
 * The container backend (`--backend container`): scenarios on Docker containers through
 * testcontainers, links through Toxiproxy.
 *
 * - Without a Docker engine (as on the machines this was written on) the command exits 2 with one
 *   line naming the reason, and testcontainers is never loaded: not by the CLI's modules, not by
 *   the refused run. Method: a child Node runs the CLI's `runCli` with DOCKER_HOST at a socket that
 *   does not exist, then lists the CommonJS modules it loaded; as a control it then imports
 *   testcontainers itself and must see it in the same list.
 * - With an engine, the container matrix: `failover` on redis:7.0 containers and on replisim
 *   containers must reach the simulator's verdict, and every container must be gone afterwards.
 *   Skipped without an engine, saying why. The first run pulls redis:7.0 and Toxiproxy and builds
 *   the replisim image, hence the long bound; a GitHub Actions ubuntu runner has Docker.
 *
 * Needs `npx tsc -b` first (the CLI and replisim-server run from dist).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ContainerBackend, probeContainerEngine, runScenario } from '@replisim/harness';
import { failover } from '@replisim/scenarios';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const engine = probeContainerEngine();
if (!engine.ok) console.log(`container backend matrix skipped: ${engine.reason}`);

/** Counts the loaded CommonJS modules from testcontainers' packages, before and after a control. */
const CHILD = `
import { createRequire } from 'node:module';
const { runCli } = await import('./scenarios/dist/cli.js');
const count = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\\\/]@?testcontainers[\\\\/]/.test(k)).length;
const code = await runCli(['run', 'failover', '--backend', 'container', '--server', 'redis']);
const before = count();
await import('testcontainers');
console.log(JSON.stringify({ code, before, after: count() }));
`;

describe('replisim run --backend container', () => {
  it('without an engine exits 2 in one line, and never loads testcontainers', {
    timeout: 30_000,
  }, () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      code: number;
      before: number;
      after: number;
    };
    expect(result.code).toBe(2);
    expect(child.stderr).toBe(
      'the container backend needs a Docker engine: no Docker engine: no socket at /nonexistent/docker.sock\n',
    );
    expect(result.before).toBe(0);
    // The control: the same count does see testcontainers once it is loaded.
    expect(result.after).toBeGreaterThan(0);
  });

  for (const server of ['redis', 'replisim'] as const) {
    it.skipIf(!engine.ok)(
      `failover on ${server} containers reaches the simulator's verdict`,
      { timeout: 600_000 },
      async () => {
        const sim = await runScenario(failover, { seed: 1 });
        const backend = new ContainerBackend({ seed: 1, server });
        const real = await runScenario(failover, { seed: 1, backend });
        expect(real.backend).toBe('container');
        expect(real.undecided).toBeUndefined();
        expect(real.verdict).toBe(sim.verdict);
        expect(real.expectations.filter((e) => !e.ok)).toEqual(
          sim.expectations.filter((e) => !e.ok),
        );
        const left = execFileSync(
          'docker',
          ['ps', '-aq', '--filter', 'label=org.testcontainers=true', '--filter', 'status=running'],
          { encoding: 'utf8' },
        );
        // Ryuk (testcontainers' reaper) stays until this process exits; nothing else may.
        expect(left.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
      },
    );
  }
});
