/**
 * Child processes the tests start: spawn with output captured, wait for exit, stop by pid.
 *
 * Tests must stop what they start (afterAll, by pid). Two safety nets cover the cases where a test
 * cannot: every child is started under `setpriv --pdeathsig KILL` (util-linux), so the kernel kills
 * it when the test process dies, even by a signal (vitest ends a worker with SIGTERM after a hook
 * timeout, and no `exit` event runs then); and an `exit` hook SIGKILLs any child still running
 * when the process exits normally. setpriv execs the command, so the pid, exit code and signals are
 * the command's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ExitStatus {
  /** The exit code, or null when a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running child with its output so far. */
export interface ChildHandle {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far (UTF-8). */
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (at once if it already has). */
  exited(): Promise<ExitStatus>;
  /** Sends `signal` (default SIGTERM); after `graceMs` without exit, SIGKILL. Resolves on exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ExitStatus>;
}

const running = new Set<ChildProcess>();

const SETPRIV = '/usr/bin/setpriv';
const HAS_SETPRIV = existsSync(SETPRIV);

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface SpawnOptions {
  readonly cwd?: string;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
}

export function spawnChild(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildHandle {
  const [file, argv] = HAS_SETPRIV
    ? [SETPRIV, ['--pdeathsig', 'KILL', command, ...args]]
    : [command, [...args]];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  const pid = child.pid;
  running.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  // EPIPE when the child exits before reading all of its input is not a test failure.
  child.stdin.on('error', () => {});
  child.stdin.end(options.input);
  let status: ExitStatus | undefined;
  const exit = new Promise<ExitStatus>((resolve) => {
    // 'close' (not 'exit') so stdout and stderr are complete when the promise resolves.
    child.once('close', (code, signal) => {
      running.delete(child);
      status = { code, signal };
      resolve(status);
    });
  });
  return {
    child,
    pid,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
    exited: () => exit,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (status !== undefined) return status;
      process.kill(pid, signal);
      const timer = setTimeout(() => {
        if (status === undefined) process.kill(pid, 'SIGKILL');
      }, graceMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}

export interface RunResult extends ExitStatus {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (SIGKILL after `timeoutMs`) and returns its status and output. */
export async function runChild(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { readonly timeoutMs?: number } = {},
): Promise<RunResult> {
  const handle = spawnChild(command, args, options);
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const status = await handle.exited();
  clearTimeout(timer);
  return { ...status, stdout: handle.stdout(), stderr: handle.stderr() };
}

/** Resolves when `predicate(stdout)` holds, rejects if the process exits first or after timeoutMs. */
export function waitForOutput(
  handle: ChildHandle,
  predicate: (stdout: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const text = handle.stdout();
      if (!predicate(text)) return false;
      cleanup();
      resolve(text);
      return true;
    };
    const onExit = (): void => {
      if (check()) return;
      cleanup();
      reject(
        new Error(
          `process exited before the expected output:\n${handle.stdout()}${handle.stderr()}`,
        ),
      );
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for output:\n${handle.stdout()}${handle.stderr()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      handle.child.stdout?.off('data', check);
      handle.child.off('close', onExit);
    };
    handle.child.stdout?.on('data', check);
    handle.child.once('close', onExit);
    check();
  });
}
