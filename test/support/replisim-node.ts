/**
 * Starts a replisim ServerNode inside the test process, on the real Env (real sockets and time),
 * bound to 127.0.0.1 on a port the OS picks. Options are redis-server command-line words
 * (`['--requirepass', 'x']`), parsed by the same loadConfig the binary uses, so a test configures
 * both servers of a differential test with the same words. Log lines are kept in `logs`.
 * Persistence is off unless the options add save rules (`--save ''` first, as redis-server.ts does),
 * and each node gets its own temporary `dir` (removed at stop) unless the options name one: a
 * replica writes the dump it receives from its master there, and a node loads a dump.rdb it finds
 * there at start, so a shared working directory would carry keys from one test into another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealEnv } from '@replisim/base/real';
import { loadConfig, ServerNode } from '@replisim/server';

export interface ReplisimNode {
  readonly node: ServerNode;
  readonly port: number;
  readonly logs: string[];
  stop(): void;
}

export function startReplisimNode(options: readonly string[] = []): Promise<ReplisimNode> {
  const ownDir = options.includes('--dir')
    ? undefined
    : mkdtempSync(join(tmpdir(), 'replisim-node-'));
  const dirWords = ownDir === undefined ? [] : ['--dir', ownDir];
  const loaded = loadConfig('', [
    '--port',
    '0',
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...dirWords,
    ...options,
  ]);
  if (!loaded.ok) throw new Error(`bad options: ${loaded.error.reason} (${loaded.error.text})`);
  const removeDir = () => {
    if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
  };
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
        removeDir();
        reject(new Error(result.message));
        return;
      }
      const stop = () => {
        node.stop();
        removeDir();
      };
      resolve({ node, port: result.port, logs, stop });
    });
  });
}
