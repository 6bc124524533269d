/**
 * One real server process of the process backend: replisim-server (run by this Node binary) or a
 * redis-server from PATH, on loopback, in its own directory, logging to stdout (`--logfile ""`),
 * which is read line by line.
 *
 * Cleanup is layered, because a run can end in every way: `stop()` SIGKILLs and waits; an `exit`
 * hook SIGKILLs whatever is still running when the harness exits normally; and every child runs
 * under `setpriv --pdeathsig KILL` (util-linux) where it exists, so the kernel kills it when the
 * harness dies by a signal (Ctrl-C, a test runner's SIGTERM). setpriv execs the server, so the pid
 * that gets SIGSTOP, SIGTERM and SIGKILL is the server's own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const SETPRIV = '/usr/bin/setpriv';
const HAS_SETPRIV = existsSync(SETPRIV);
/** Bytes of an unterminated stdout line kept before it is cut (a runaway line cannot eat memory). */
const LINE_BYTES_MAX = 64 * 1024;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerCommand {
  readonly file: string;
  /** Arguments before the option words (the replisim-server script path). */
  readonly prefix: readonly string[];
}

export class ServerProcess {
  readonly pid: number;
  private readonly child: ChildProcess;
  private exitStatus: Exit | undefined;
  private readonly exitPromise: Promise<Exit>;
  private partial = '';

  constructor(
    command: ServerCommand,
    args: readonly string[],
    cwd: string,
    onLine: (line: string) => void,
    onExit: (exit: Exit) => void,
  ) {
    const argv = [...command.prefix, ...args];
    const [file, fullArgv] = HAS_SETPRIV
      ? [SETPRIV, ['--pdeathsig', 'KILL', command.file, ...argv]]
      : [command.file, argv];
    this.child = spawn(file, fullArgv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`could not start ${command.file}`);
    this.pid = this.child.pid;
    running.add(this.child);
    const read = (chunk: Buffer): void => {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split('\n');
      this.partial = (lines.pop() ?? '').slice(-LINE_BYTES_MAX);
      for (const line of lines) if (line !== '') onLine(line);
    };
    this.child.stdout?.on('data', read);
    this.child.stderr?.on('data', read);
    this.exitPromise = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        running.delete(this.child);
        if (this.partial !== '') onLine(this.partial);
        this.partial = '';
        this.exitStatus = { code, signal };
        onExit(this.exitStatus);
        resolve(this.exitStatus);
      });
    });
  }

  get alive(): boolean {
    return this.exitStatus === undefined;
  }

  exited(): Promise<Exit> {
    return this.exitPromise;
  }

  /** Sends a signal if the process still runs (a process that is gone needs none). */
  signal(signal: NodeJS.Signals): void {
    if (this.exitStatus !== undefined) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // It exited between the check and the kill: nothing to do.
    }
  }

  /** SIGKILL (after SIGCONT, so a paused process dies at once) and wait for the exit. */
  async stop(): Promise<Exit> {
    this.signal('SIGKILL');
    this.signal('SIGCONT');
    return this.exitPromise;
  }
}

/**
 * A free loopback port: the OS picks one for a throwaway listener, which is closed. redis-server
 * cannot be told `--port 0` (there it means "no TCP"), so the port is chosen this way and a server
 * that loses the race exits at once and is started again on another port.
 */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
