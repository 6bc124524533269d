/**
 * Server processes for the benchmarks that start their own redis-server and replisim-server
 * (bench/persistence.mjs, bench/replication.mjs): spawning one on a free port in its own temp dir,
 * connecting once it listens, stopping it, and the guarantee that every child process and temp dir
 * is gone however the script ends (normal exit, failure, Ctrl-C). A benchmark that leaves a server
 * running would skew the next one on this 2-core machine, so nothing here is optional.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RespClient } from './resp-client.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPLISIM_BIN = join(root, 'packages/server/bin/replisim-server.js');
export const REPLISIM_DIST = join(root, 'packages/server/dist/bin/replisim-server.js');
export const SERVER_NAMES = ['redis', 'replisim'];
const READY_TIMEOUT_MS = 15_000;
/** Generous: a slow BGSAVE, load or sync is a result to report, not a reason to give up early. */
export const PHASE_TIMEOUT_MS = 600_000;
export const POLL_MS = 5;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const nowMs = () => performance.now();

// ---------------------------------------------------------------------------------------------
// Every child and temp dir is tracked and removed however the script ends.
// ---------------------------------------------------------------------------------------------

const children = new Set();
const tempDirs = new Set();

export function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Runs `stop` (by default cleanup()) when the process exits or is interrupted. */
export function installCleanup(stop = cleanup) {
  process.on('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
      stop();
      process.exit(130);
    });
  }
}

/** A fresh temp dir, removed by cleanup() unless removeTempDir() removed it first. */
export function makeTempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Runs `main(argv)` as a script: cleans up after it, exits 1 with its message if it fails. */
export function runAsScript(main, argv) {
  main(argv).then(
    () => {
      cleanup();
    },
    (error) => {
      process.stderr.write(`bench: ${error.message}\n`);
      cleanup();
      process.exit(1);
    },
  );
}

/**
 * Runs a tool (redis-benchmark) to its end, tracked like the servers (a caller that gives up on it
 * leaves it to cleanup()); resolves with its stdout, rejects with its stderr if it fails.
 */
export function runTool(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk) => {
    output.stderr = (output.stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve(output.stdout);
      else reject(new Error(`${command} failed (${signal ?? `code ${code}`}): ${output.stderr}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/**
 * The command line for `name` ('redis' or 'replisim'), serving `dir` on `port` with `--save ''`.
 * `options.replisimNodeArgs` are node's flags for replisim-server (for example --cpu-prof);
 * `options.serverArgs`, if any, are option words both servers take (appended last).
 */
function serverCommand(name, port, dir, options) {
  // Both refuse DEBUG by default; the benches fill and compare datasets with DEBUG POPULATE/DIGEST.
  const common = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    ...['--enable-debug-command', 'local'],
    ...(options.serverArgs ?? []),
  ];
  if (name === 'redis') {
    return { command: 'redis-server', args: [...common, '--appendonly', 'no'] };
  }
  return {
    command: process.execPath,
    args: [...options.replisimNodeArgs, REPLISIM_BIN, ...common],
  };
}

/**
 * Spawns a server and collects its log (both servers log to stdout by default). `loadedS` resolves
 * with the seconds of its "DB loaded from disk" line, if one comes.
 */
export function spawnServer(name, port, dir, options) {
  const { command, args } = serverCommand(name, port, dir, options);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const server = { name, port, dir, child, log: '', loadedS: undefined };
  const collect = (chunk) => {
    server.log = (server.log + chunk.toString()).slice(-20_000);
    const match = /DB loaded from disk: ([0-9.]+) seconds/.exec(server.log);
    if (match && server.loadedS === undefined) server.loadedS = Number(match[1]);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  server.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(`${name} exited (${signal ?? `code ${code}`})`);
    });
    child.once('error', (error) => {
      children.delete(child);
      resolve(`${name} could not start: ${error.message}`);
    });
  });
  return server;
}

export const isRunning = (server) =>
  server.child.exitCode === null && server.child.signalCode === null;

/** Connects as soon as the server accepts, polling every POLL_MS; rejects if it exits. */
export async function connectWhenListening(server, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    if (!isRunning(server)) throw new Error(`${await server.exited}\n${server.log.slice(-2000)}`);
    try {
      return await RespClient.connect(server.port);
    } catch {
      if (nowMs() > deadline) throw new Error(`${server.name} did not listen on ${server.port}`);
      await sleep(POLL_MS);
    }
  }
}

/** Asks the server to exit without saving; kills it if it has not exited within 10 s. */
export async function stopServer(server, client) {
  if (isRunning(server)) {
    client?.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    const exited = await Promise.race([server.exited.then(() => true), sleep(10_000)]);
    if (!exited && isRunning(server)) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  client?.close();
}

/**
 * Starts `name` in a fresh temp dir (named from `prefix`) on a free port and resolves once it
 * answers PING, as `{ server, control, dir, extra }`: `control` is a connection for the benchmark's
 * commands, `extra` collects further connections for stopInTempDir to close.
 */
export async function startInTempDir(name, prefix, options) {
  const dir = makeTempDir(prefix);
  const server = spawnServer(name, await freePort(), dir, options);
  try {
    const control = await connectWhenListening(server);
    await guarded(server, 'PING', waitForPong(control));
    return { server, control, dir, extra: [] };
  } catch (error) {
    await stopServer(server);
    removeTempDir(dir);
    throw error;
  }
}

/** Stops a server started by startInTempDir (undefined: nothing to do) and removes its dir. */
export async function stopInTempDir(node) {
  if (node === undefined) return;
  for (const client of node.extra) client.close();
  await stopServer(node.server, node.control);
  removeTempDir(node.dir);
}

/** Rejects with `what` timed out, or with the server's exit, whichever comes first. */
export async function guarded(server, what, promise, timeoutMs = PHASE_TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${server.name}: ${what} timed out`)), timeoutMs);
  });
  const exited = server.exited.then((message) => {
    throw new Error(`${message} during ${what}\n${server.log.slice(-2000)}`);
  });
  try {
    return await Promise.race([promise, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}

export function expectReply(server, what, reply, expected) {
  if (reply instanceof Error || (expected !== undefined && reply !== expected)) {
    throw new Error(`${server.name}: ${what} answered ${reply?.message ?? JSON.stringify(reply)}`);
  }
  return reply;
}

export async function waitForPong(client) {
  for (;;) {
    const reply = await client.call('PING');
    if (reply === 'PONG') return;
    await sleep(POLL_MS);
  }
}

export async function waitFor(predicate, timeoutMs) {
  const deadline = nowMs() + timeoutMs;
  while (!predicate()) {
    if (nowMs() > deadline) throw new Error('timed out');
    await sleep(POLL_MS);
  }
}
