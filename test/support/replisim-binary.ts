/**
 * Runs the replisim-server binary (packages/server/bin/replisim-server.js, which loads the compiled
 * dist/: build with `npx tsc -b` first) as a child process. `spawnReplisimServer` waits for the log
 * line `Running mode=standalone, port=N.` and returns N; `runReplisimServer` runs it to completion
 * for cases that exit on their own (--version, a bad option, a port in use).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ChildHandle,
  type RunResult,
  runChild,
  spawnChild,
  waitForOutput,
} from './processes.js';

export const REPLISIM_BINARY: string = fileURLToPath(
  new URL('../../packages/server/bin/replisim-server.js', import.meta.url),
);
const COMPILED_ENTRY = fileURLToPath(
  new URL('../../packages/server/dist/bin/replisim-server.js', import.meta.url),
);

const PORT_LINE = /Running mode=standalone, port=(\d+)\./;

export interface ReplisimProcess {
  readonly port: number;
  readonly process: ChildHandle;
  /** SIGTERM (or `signal`), then SIGKILL after a grace period; resolves with the exit status. */
  stop(signal?: NodeJS.Signals): ReturnType<ChildHandle['stop']>;
}

function assertBuilt(): void {
  if (!existsSync(COMPILED_ENTRY)) {
    throw new Error(`${COMPILED_ENTRY} is missing: run \`npx tsc -b\` first`);
  }
}

/** Starts the binary with `args` and resolves once it logged the port it listens on. */
export async function spawnReplisimServer(
  args: readonly string[],
  options: { readonly cwd?: string } = {},
): Promise<ReplisimProcess> {
  assertBuilt();
  const handle = spawnChild(process.execPath, [REPLISIM_BINARY, ...args], options);
  try {
    const output = await waitForOutput(handle, (text) => PORT_LINE.test(text), 10_000);
    const port = Number(PORT_LINE.exec(output)?.[1]);
    return { port, process: handle, stop: (signal) => handle.stop(signal) };
  } catch (error) {
    await handle.stop('SIGKILL');
    throw error;
  }
}

/** Runs the binary until it exits on its own (or is killed after timeoutMs). */
export function runReplisimServer(
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs?: number } = {},
): Promise<RunResult> {
  assertBuilt();
  return runChild(process.execPath, [REPLISIM_BINARY, ...args], options);
}
