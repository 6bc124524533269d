/**
 * Starts a real redis-server (the reference implementation) for differential tests: loopback only,
 * an OS-picked port, persistence off (`--save ''`, `--appendonly no`), its working directory a
 * fresh temp dir; `stop()` kills it by pid and removes the directory. Call `stop()` in afterAll,
 * always.
 *
 * The port comes from pickFreePort, so another process can grab it first; a server that exits
 * before answering PING is retried on a new port a few times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickFreePort } from './free-port.js';
import { type ChildHandle, spawnChild } from './processes.js';
import { waitForPing } from './wait-for-ping.js';

const ATTEMPTS_MAX = 3;

export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly process: ChildHandle;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * A redis.conf to start from (it goes first on the command line, as redis-server requires).
   * With a file, its `save` rules stand: `--save ''` is not added.
   */
  readonly configFile?: string;
}

/** `extraArgs` are appended to the command line (they win), e.g. ['--requirepass', 'secret']. */
export async function startRedisServer(
  extraArgs: readonly string[] = [],
  options: RedisServerOptions = {},
): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
    const port = await pickFreePort();
    const args = [
      ...(options.configFile === undefined ? ['--save', ''] : [options.configFile]),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
      ...extraArgs,
    ];
    const handle = spawnChild('redis-server', args, { cwd: dir });
    let exited = false;
    void handle.exited().then(() => {
      exited = true;
    });
    try {
      await waitForPing(port, 10_000, () => exited);
    } catch (error) {
      lastError = error;
      await handle.stop('SIGKILL');
      continue;
    }
    return {
      port,
      pid: handle.pid,
      dir,
      process: handle,
      async stop() {
        await handle.stop('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`redis-server did not start: ${String(lastError)}`);
}
