/**
 * maxclients fitted to the descriptor limit (open-files.ts), on the simulated Env. Goal: as Redis's
 * adjustOpenFilesLimit, a node whose limit is below maxclients + 32 first tries to raise it, then
 * lowers maxclients with Redis's three log lines, refuses clients past it with -ERR max number of
 * clients reached, logs the raise when it succeeds, and does not start on a limit of 32 or less.
 * Method: the node is given a SimOpenFilesLimit (a soft limit and how far setrlimit may raise it)
 * and started on a simulated host; the log lines are compared as Redis 7.0.15 prints them (the
 * real-process comparison is test/open-files-limit.test.ts).
 */
import { SimOpenFilesLimit, SimWorld } from '@replisim/base';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { ServerNode, type StartResult } from './node.js';
import { adjustOpenFilesLimit } from './open-files.js';
import { SimClient } from './testing/sim-client.js';
import { runUntil, SIM_SERVER_ADDRESS } from './testing/sim-server.js';

function start(limits: SimOpenFilesLimit, options: readonly string[] = []) {
  const world = new SimWorld({ seed: 61 });
  const host = world.addHost('server', SIM_SERVER_ADDRESS);
  const loaded = loadConfig('', [
    ...['--port', '6379', '--bind', '0.0.0.0', '--save', '', '--protected-mode', 'no'],
    ...options,
  ]);
  if (!loaded.ok) throw new Error(loaded.error.reason);
  const logs: string[] = [];
  const node = new ServerNode({
    env: host.env,
    config: loaded.config,
    // Without the "pid:role date time level " prefix.
    logSink: (line) => logs.push(line.replace(/^\d+:[A-Z] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, '')),
    pid: 4242,
    openFiles: limits,
  });
  let result: StartResult | undefined;
  node.start((outcome) => {
    result = outcome;
  });
  runUntil(world, () => result !== undefined, 1000);
  return { world, node, logs, result };
}

describe('maxclients and the descriptor limit', () => {
  it('lowers maxclients to the limit minus 32 with Redis log lines, and refuses the extra client', () => {
    const { world, node, logs, result } = start(new SimOpenFilesLimit({ soft: 64 }));
    expect(result?.ok).toBe(true);
    expect(logs.slice(0, 3)).toEqual([
      'You requested maxclients of 10000 requiring at least 10032 max file descriptors.',
      "Server can't set maximum open files to 10032 because of OS error: Operation not permitted.",
      "Current maximum open files is 64. maxclients has been reduced to 32 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
    ]);
    const clientHost = world.addHost('client', '10.0.0.2');
    const clients = Array.from({ length: 32 }, () => SimClient.open(world, clientHost));
    expect(clients[31]?.call('CONFIG', 'GET', 'maxclients')).toBe(
      '*2\r\n$10\r\nmaxclients\r\n$2\r\n32\r\n',
    );
    const extra = SimClient.open(world, clientHost);
    expect(extra.read(1)[0]?.bytes.toString()).toBe('-ERR max number of clients reached\r\n');
    expect(extra.waitClosed()).toBe(true);
    expect(node.clients.size).toBe(32);
  });

  it('raises the limit when the OS allows it, and keeps maxclients', () => {
    const { node, logs } = start(new SimOpenFilesLimit({ soft: 1024, raisableTo: 1_048_576 }));
    expect(logs[0]).toBe(
      'Increased maximum number of open files to 10032 (it was originally set to 1024).',
    );
    expect(node.config.maxclients).toBe(10000);
  });

  it('settles on the highest limit the OS grants, lowering its aim 16 at a time', () => {
    const { node, logs } = start(new SimOpenFilesLimit({ soft: 1024, raisableTo: 2010 }));
    // 10032 - 16k reaches 2000 (<= 2010) first: the limit becomes 2000, maxclients 1968.
    expect(node.config.maxclients).toBe(1968);
    expect(logs[2]).toBe(
      "Current maximum open files is 2000. maxclients has been reduced to 1968 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
    );
  });

  it('leaves a maxclients that fits alone, and does not start with 32 descriptors or fewer', () => {
    expect(start(new SimOpenFilesLimit({ soft: 164 }), ['--maxclients', '100']).logs[0]).toBe(
      undefined,
    );
    const { result, logs } = start(new SimOpenFilesLimit({ soft: 32 }));
    expect(result).toEqual({
      ok: false,
      logged: true,
      message:
        "Your current 'ulimit -n' of 32 is not enough for the server to start. Please increase your open file limit to at least 10032. Exiting.",
    });
    expect(logs).toEqual([result?.ok === false ? result.message : '']);
  });

  it('assumes 1024 when the limit cannot be read', () => {
    const lines: string[] = [];
    const result = adjustOpenFilesLimit(
      10000,
      { current: () => ({ ok: false, error: 'No such file or directory' }), set: () => undefined },
      (_level, text) => lines.push(text),
    );
    expect(result).toEqual({ ok: true, maxclients: 992 });
    expect(lines).toEqual([
      'Unable to obtain the current NOFILE limit (No such file or directory), assuming 1024 and setting the max clients configuration accordingly.',
    ]);
  });
});
