/**
 * maxclients under a low `ulimit -n`, replisim-server next to redis-server 7.0.15 (open-files.ts).
 * Goal: both, started with the same descriptor limit and no right to raise it, log the same three
 * lines (maxclients reduced to the limit minus 32), serve that many clients, and answer the next
 * one with -ERR max number of clients reached instead of resetting it. Method: each binary runs
 * under `prlimit --nofile=256:256`, and, when the test runs as root, under `setpriv
 * --bounding-set -sys_resource` too, so neither may raise its hard limit (as an unprivileged
 * process cannot). 256 rather than Redis's 64: Node needs a few dozen descriptors to load its
 * modules. Needs util-linux's prlimit (and setpriv as root); skipped without it.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups } from './support/cleanups.js';
import { pickFreePort } from './support/free-port.js';
import { type ChildHandle, spawnChild, waitForOutput } from './support/processes.js';
import { RawClient } from './support/raw-client.js';
import { REPLISIM_BINARY } from './support/replisim-binary.js';

const LIMIT = 256;
const MAXCLIENTS = LIMIT - 32;
const PRLIMIT = '/usr/bin/prlimit';
const SETPRIV = '/usr/bin/setpriv';
const AS_ROOT = process.getuid?.() === 0;
const RUNNABLE = existsSync(PRLIMIT) && (!AS_ROOT || existsSync(SETPRIV));

/** The limit wrapper: no CAP_SYS_RESOURCE (as root), then soft and hard limit LIMIT. */
function limited(command: string, args: readonly string[]): [string, string[]] {
  const prlimit = [PRLIMIT, `--nofile=${LIMIT}:${LIMIT}`, command, ...args];
  return AS_ROOT
    ? [SETPRIV, ['--bounding-set', '-sys_resource', ...prlimit]]
    : [prlimit[0] ?? PRLIMIT, prlimit.slice(1)];
}

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

interface Started {
  readonly port: number;
  readonly handle: ChildHandle;
}

async function start(kind: 'redis' | 'replisim'): Promise<Started> {
  const dir = cleanups.tempDir(`replisim-ulimit-${kind}-`);
  const common = ['--bind', '127.0.0.1', '--save', '', '--dir', dir];
  const port = kind === 'redis' ? await pickFreePort() : 0;
  const [file, args] =
    kind === 'redis'
      ? limited('redis-server', ['--port', String(port), '--daemonize', 'no', ...common])
      : limited(process.execPath, [REPLISIM_BINARY, '--port', '0', ...common]);
  const handle = spawnChild(file, args, { cwd: dir });
  cleanups.add(async () => {
    await handle.stop('SIGKILL');
  });
  const output = await waitForOutput(handle, (text) => text.includes('Ready to accept'), 10_000);
  const picked = /Running mode=standalone, port=(\d+)\./.exec(output)?.[1];
  return { port: kind === 'redis' ? port : Number(picked), handle };
}

/** The adjustOpenFilesLimit lines of a log, without the pid, time and level prefix. */
function limitLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.replace(/^\d+:[A-Z] .*? [*#.-] /, ''))
    .filter((line) => /requiring at least|maximum open files/.test(line));
}

/** Opens MAXCLIENTS clients (each answers PING), then one more; returns what that one got. */
async function extraClientReply(port: number): Promise<string> {
  const clients: RawClient[] = [];
  cleanups.add(() => {
    for (const client of clients) client.close();
  });
  for (let i = 0; i < MAXCLIENTS; i++) clients.push(await RawClient.connect(port));
  const pongs = await Promise.all(clients.map((client) => client.call('PING')));
  expect(pongs.every((reply) => reply.bytes.toString() === '+PONG\r\n')).toBe(true);
  const extra = await RawClient.connect(port);
  clients.push(extra);
  const [reply] = await extra.read(1, 5000);
  expect(await extra.waitClosed(5000)).toBe(true);
  return reply?.bytes.toString('latin1') ?? '';
}

describe.skipIf(!RUNNABLE)(`maxclients under ulimit -n ${LIMIT}, as redis-server`, () => {
  it('logs the same reduction and refuses the client past it with the same error', async () => {
    const [redis, ours] = await Promise.all([start('redis'), start('replisim')]);
    const expected = limitLines(redis.handle.stdout());
    expect(expected).toEqual([
      'You requested maxclients of 10000 requiring at least 10032 max file descriptors.',
      "Server can't set maximum open files to 10032 because of OS error: Operation not permitted.",
      `Current maximum open files is ${LIMIT}. maxclients has been reduced to ${MAXCLIENTS} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`,
    ]);
    expect(limitLines(ours.handle.stdout())).toEqual(expected);
    expect(await extraClientReply(redis.port)).toBe('-ERR max number of clients reached\r\n');
    expect(await extraClientReply(ours.port)).toBe('-ERR max number of clients reached\r\n');
  }, 20_000);
});
