/**
 * Starts a replisim ServerNode inside the test process, on the real Env (real sockets and time),
 * bound to 127.0.0.1 on a port the OS picks. Options are redis-server command-line words
 * (`['--requirepass', 'x']`), parsed by the same loadConfig the binary uses, so a test configures
 * both servers of a differential test with the same words. Log lines are kept in `logs`.
 * Persistence is off unless the options add save rules (`--save ''` first, as redis-server.ts does),
 * so no test saves a dump.rdb into the working directory behind its back.
 */
import { createRealEnv } from '@replisim/base/real';
import { loadConfig, ServerNode } from '@replisim/server';

export interface ReplisimNode {
  readonly node: ServerNode;
  readonly port: number;
  readonly logs: string[];
  stop(): void;
}

export function startReplisimNode(options: readonly string[] = []): Promise<ReplisimNode> {
  const loaded = loadConfig('', ['--port', '0', '--bind', '127.0.0.1', '--save', '', ...options]);
  if (!loaded.ok) throw new Error(`bad options: ${loaded.error.reason} (${loaded.error.text})`);
  const logs: string[] = [];
  const node = new ServerNode({
    env: createRealEnv(),
    config: loaded.config,
    logSink: (line) => logs.push(line),
    pid: process.pid,
  });
  return new Promise((resolve, reject) => {
    node.start((result) => {
      if (!result.ok) {
        reject(new Error(result.message));
        return;
      }
      resolve({ node, port: result.port, logs, stop: () => node.stop() });
    });
  });
}
