/**
 * What a fresh `replisim run` loads: the simulator needs no Redis client, so ioredis (the process
 * backend's client, about a tenth of a fresh `npm start` to load) is loaded only when a process
 * backend opens its first connection (backends/process/ioredis-channel.ts). BENCHMARKS.md has the
 * figures.
 *
 * Method: a child node imports the compiled CLI (scenarios/dist/cli.js, so the suite needs
 * `npx tsc -b` first) as `npm start` does, then lists the CommonJS modules it has loaded.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChild } from './support/processes.js';

const CLI = fileURLToPath(new URL('../scenarios/dist/cli.js', import.meta.url));
const CHANNEL = fileURLToPath(
  new URL('../packages/harness/dist/backends/process/ioredis-channel.js', import.meta.url),
);

/** The CommonJS module paths loaded after importing `modules` in a fresh node. */
async function loadedAfter(modules: readonly string[], then = ''): Promise<string[]> {
  const script = [
    "import { createRequire } from 'node:module';",
    ...modules.map((path, i) => `const m${i} = await import(${JSON.stringify(path)});`),
    then,
    'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));',
  ].join('\n');
  const result = await runChild('node', ['--input-type=module', '-e', script], {
    timeoutMs: 20_000,
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

describe('a fresh CLI process', () => {
  it('does not load ioredis until a process-backend connection needs it', async () => {
    const loaded = await loadedAfter([CLI, CHANNEL]);
    expect(loaded.some((path) => path.includes('/node_modules/ioredis/'))).toBe(false);
    // The channel loads it on first use (a refused connection on a closed port is enough).
    const used = await loadedAfter(
      [CHANNEL],
      'await new Promise((done) => m0.IoredisChannel.open("127.0.0.1", 1, done));',
    );
    expect(used.some((path) => path.includes('/node_modules/ioredis/'))).toBe(true);
  });
});
