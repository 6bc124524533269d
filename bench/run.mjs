#!/usr/bin/env node
/**
 * Throughput of replisim-server against redis-server 7.0, measured in the same run on the same
 * machine, written to BENCHMARKS.md (the method is described there, above the tables).
 *
 *   npm run bench                  (builds first, then runs this with the defaults)
 *   node bench/run.mjs [--rounds 5] [--requests 200000] [--pipelined-requests 2000000]
 *                      [--tests set,get] [--pipelines 1,16] [--keyspace 100000]
 *                      [--ceiling] [--quiet-wait 60] [--out BENCHMARKS.md] [--no-write]
 *                      [--section throughput]
 *
 *   npm run bench:types            the data-type commands (LPUSH HSET SADD ZADD INCR), written to
 *                                  the "types" section of BENCHMARKS.md
 *   npm run bench -- --section persistence [--rounds 3 ...]
 *                                  SAVE, BGSAVE and loading instead of throughput: hands every option
 *                                  to bench/persistence.mjs (also `npm run bench:persistence`)
 *
 * For every test and pipeline depth, each round runs redis-benchmark (-c 50) once against every
 * server, alternating which goes first; the median round is reported, with the ratio
 * replisim/redis. --requests is -n at -P 1, --pipelined-requests at deeper pipelines, so each run
 * lasts a few seconds either way. Before every run it waits (up to --quiet-wait seconds) until the
 * machine's other processes leave the CPU idle, and it counts the runs that had to start anyway.
 * Besides requests per second it records each server's CPU time per request (user + system, all
 * threads, from /proc), which other load on the machine disturbs much less than throughput.
 *
 * --ceiling adds two bare node:net servers (bench/bare-server.mjs): canned replies, and a Map with a
 * minimal parser. Every server this script starts is killed when it ends, fails or is interrupted.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceBetween } from './report.mjs';
import { busyShare } from './rounds.mjs';
import { freePort, installCleanup } from './servers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPLISIM_BIN = join(root, 'packages/server/bin/replisim-server.js');
const REPLISIM_DIST = join(root, 'packages/server/dist/bin/replisim-server.js');
const BARE_SERVER = join(root, 'bench/bare-server.mjs');
const CLIENTS = 50;
const BENCHMARK_TIMEOUT_MS = 180_000;
const READY_TIMEOUT_MS = 15_000;
/** Other processes may use this share of all cores before a run is held back. */
const BUSY_SHARE_MAX = 0.15;

// The persistence section has its own script and options (bench/persistence.mjs).
const sectionAt = process.argv.indexOf('--section');
if (sectionAt >= 0 && process.argv[sectionAt + 1] === 'persistence') {
  const { runPersistenceBench } = await import('./persistence.mjs');
  try {
    await runPersistenceBench(process.argv.slice(2));
    process.exit(0);
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(1);
  }
}

const options = parseOptions(process.argv.slice(2));

function parseOptions(list) {
  const known = {
    rounds: '5',
    requests: '200000',
    'pipelined-requests': '2000000',
    tests: 'set,get',
    pipelines: '1,16',
    keyspace: '100000',
    'quiet-wait': '60',
    out: join(root, 'BENCHMARKS.md'),
    section: 'throughput',
  };
  const flags = { ceiling: false, 'no-write': false };
  const values = { ...known };
  for (let i = 0; i < list.length; i++) {
    const name = list[i].replace(/^--/, '');
    if (name in flags) flags[name] = true;
    else if (name in known && i + 1 < list.length) values[name] = list[++i];
    else
      throw new Error(`unknown or incomplete option ${list[i]} (see the header of bench/run.mjs)`);
  }
  const count = (name) => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  return {
    rounds: count('rounds'),
    requests: count('requests'),
    pipelinedRequests: count('pipelined-requests'),
    keyspace: count('keyspace'),
    quietWaitS: Number(values['quiet-wait']),
    tests: values.tests.split(',').map((t) => t.trim().toLowerCase()),
    pipelines: values.pipelines.split(',').map(Number),
    out: values.out,
    section: values.section,
    ceiling: flags.ceiling,
    write: !flags['no-write'],
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked, and all are killed however this script ends.
// ---------------------------------------------------------------------------------------------

const children = new Set();
const tempDirs = [];

function cleanup() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

installCleanup(cleanup);

function track(child, name) {
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(`${name} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`);
    });
    child.once('error', (error) => {
      children.delete(child);
      resolve(`${name} could not start: ${error.message}`);
    });
  });
  return exited;
}

/** Resolves once the server answers PING with +PONG; rejects on timeout or if it exits. */
async function waitUntilReady(server, exited) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitMessage;
  exited.then((message) => {
    exitMessage = message;
  });
  while (Date.now() < deadline) {
    if (exitMessage !== undefined) throw new Error(exitMessage);
    if (await ping(server.port)) return;
    await sleep(100);
  }
  throw new Error(
    `${server.name} did not answer PING on port ${server.port} within ${READY_TIMEOUT_MS} ms`,
  );
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(name, command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = track(child, name);
  const server = { name, port: Number(args[args.indexOf('--port') + 1]), child, exited };
  await waitUntilReady(server, exited);
  return server;
}

async function startServers() {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-bench-'));
  tempDirs.push(dir);
  const common = ['--bind', '127.0.0.1', '--save', '', '--dir', dir];
  const servers = [
    await startServer('redis', 'redis-server', [
      '--port',
      String(await freePort()),
      ...common,
      '--appendonly',
      'no',
    ]),
    await startServer('replisim', process.execPath, [
      REPLISIM_BIN,
      '--port',
      String(await freePort()),
      ...common,
    ]),
  ];
  if (options.ceiling) {
    for (const mode of ['canned', 'map']) {
      servers.push(
        await startServer(`bare-${mode}`, process.execPath, [
          BARE_SERVER,
          '--mode',
          mode,
          '--port',
          String(await freePort()),
        ]),
      );
    }
  }
  return servers;
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system, all threads) a process has used, or NaN off Linux. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

let runsUnderLoad = 0;
let runsTotal = 0;

/** Waits until other processes leave the machine idle; returns false if it never happened. */
async function waitForQuiet() {
  const deadline = Date.now() + options.quietWaitS * 1000;
  let reported = false;
  for (;;) {
    const busy = await busyShare(500);
    if (busy <= BUSY_SHARE_MAX) return true;
    if (Date.now() >= deadline) return false;
    if (!reported) {
      process.stderr.write(
        `  (machine ${Math.round(busy * 100)}% busy: waiting for it to settle)\n`,
      );
      reported = true;
    }
    await sleep(1000);
  }
}

function execFileAsync(command, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (error, stdout) => {
        children.delete(child);
        if (error) reject(error);
        else resolve(stdout);
      },
    );
    children.add(child);
  });
}

/** One redis-benchmark run: requests per second, and the server's CPU microseconds per request. */
async function benchmark(server, test, pipeline, requests) {
  const cpuBefore = cpuSeconds(server.child.pid);
  const output = await runBenchmark(server, test, pipeline, requests);
  const cpuUs = ((cpuSeconds(server.child.pid) - cpuBefore) * 1e6) / requests;
  // --csv prints a header, then one line per test: "SET","84602.37","0.295",...
  const row = output.split('\n').find((line) => line.startsWith(`"${test.toUpperCase()}"`));
  const rps = Number(row?.split(',')[1]?.replaceAll('"', ''));
  if (!Number.isFinite(rps) || rps <= 0) {
    throw new Error(`cannot read redis-benchmark output for ${server.name}: ${output}`);
  }
  if (!isRunning(server)) throw new Error(await server.exited);
  return { rps, cpuUs };
}

const isRunning = (server) => server.child.exitCode === null && server.child.signalCode === null;

/** redis-benchmark's --csv output; if it fails because the server died, says that instead. */
async function runBenchmark(server, test, pipeline, requests) {
  try {
    return await execFileAsync(
      'redis-benchmark',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(server.port),
        '-c',
        String(CLIENTS),
        '-n',
        String(requests),
        '-P',
        String(pipeline),
        '-r',
        String(options.keyspace),
        '-t',
        test,
        '--csv',
      ],
      BENCHMARK_TIMEOUT_MS,
    );
  } catch (error) {
    await sleep(100);
    throw new Error(isRunning(server) ? error.message : await server.exited);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(servers) {
  process.stdout.write('warming up (JIT, keyspace)...\n');
  for (const server of servers) {
    for (const test of options.tests) await benchmark(server, test, 16, 200_000);
  }
  const results = [];
  for (const test of options.tests) {
    for (const pipeline of options.pipelines) {
      const requests = pipeline === 1 ? options.requests : options.pipelinedRequests;
      const samples = new Map(servers.map((server) => [server.name, { rps: [], cpuUs: [] }]));
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which server goes first so a warming or cooling machine favours neither.
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          runsTotal++;
          if (!(await waitForQuiet())) runsUnderLoad++;
          const sample = await benchmark(server, test, pipeline, requests);
          samples.get(server.name).rps.push(sample.rps);
          samples.get(server.name).cpuUs.push(sample.cpuUs);
        }
      }
      const row = { test: test.toUpperCase(), pipeline, requests, servers: {} };
      for (const [name, sample] of samples) {
        row.servers[name] = {
          rps: median(sample.rps),
          cpuUs: median(sample.cpuUs),
          runs: sample.rps,
        };
      }
      results.push(row);
      const redis = row.servers.redis.rps;
      process.stdout.write(
        `${row.test} -P ${pipeline}: ${[...samples.keys()]
          .map(
            (name) =>
              `${name} ${Math.round(row.servers[name].rps)} rps (${(row.servers[name].rps / redis).toFixed(2)}x, ${row.servers[name].cpuUs.toFixed(2)} us/req CPU)`,
          )
          .join(', ')}\n`,
      );
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function writeReport(results) {
  const redisVersion =
    (await execFileAsync('redis-server', ['--version'], 10_000)).match(/v=([0-9.]+)/)?.[1] ?? '?';
  const setup = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, redis-server ${redisVersion}.`,
    `redis-benchmark -c ${CLIENTS} -r ${options.keyspace} (3-byte values), -n ${options.requests} at -P 1 and ${options.pipelinedRequests} at -P 16; median of ${options.rounds} alternating rounds.`,
    `${runsUnderLoad} of ${runsTotal} runs started while other processes kept the machine more than ${Math.round(BUSY_SHARE_MAX * 100)}% busy.`,
  ];
  const throughput = [
    ...setup,
    '',
    '| test | pipeline | redis-server (req/s) | replisim (req/s) | replisim / redis | CPU µs/req redis | CPU µs/req replisim |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...results.map((r) => {
      const redis = r.servers.redis;
      const replisim = r.servers.replisim;
      return `| ${r.test} | -P ${r.pipeline} | ${fmt(redis.rps)} | ${fmt(replisim.rps)} | **${(replisim.rps / redis.rps).toFixed(2)}x** | ${redis.cpuUs.toFixed(2)} | ${replisim.cpuUs.toFixed(2)} |`;
    }),
  ].join('\n');
  let text;
  try {
    text = readFileSync(options.out, 'utf8');
  } catch {
    text = '# Benchmarks\n\n## Throughput\n';
  }
  text = replaceBetween(text, options.section, throughput);
  if (options.ceiling) {
    const names = ['redis', 'replisim', 'bare-canned', 'bare-map'];
    const ceiling = [
      ...setup,
      '',
      '| test | pipeline | redis-server | replisim | bare node:net, canned replies | bare node:net + Map |',
      '|---|---|---:|---:|---:|---:|',
      ...results.map((r) => {
        const redis = r.servers.redis.rps;
        const cells = names.map(
          (name) => `${fmt(r.servers[name].rps)} (${(r.servers[name].rps / redis).toFixed(2)}x)`,
        );
        return `| ${r.test} | -P ${r.pipeline} | ${cells.join(' | ')} |`;
      }),
    ].join('\n');
    text = replaceBetween(text, 'ceiling', ceiling);
  }
  writeFileSync(options.out, text);
  process.stdout.write(`wrote ${options.out}\n`);
}

async function main() {
  if (!existsSync(REPLISIM_DIST)) {
    throw new Error(
      `${REPLISIM_DIST} is missing: build first (npm run build, or use npm run bench)`,
    );
  }
  const servers = await startServers();
  try {
    const results = await measure(servers);
    if (options.write) await writeReport(results);
  } finally {
    cleanup();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  cleanup();
  process.exit(1);
});
