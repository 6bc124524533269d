#!/usr/bin/env node
/**
 * Throughput of replisim-server against redis-server 7.0, measured in the same run on the same
 * machine: redis-benchmark (-c 50) for each test at -P 1 and -P 16, alternating between the two
 * servers round by round so that background noise hits both alike. The median of the rounds is
 * reported, and the ratio replisim/redis is what BENCHMARKS.md records.
 *
 *   node bench/run.mjs [--rounds 3] [--requests 200000] [--tests set,get] [--out BENCHMARKS.md]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const ROUNDS = Number(args.rounds ?? 3);
const REQUESTS = Number(args.requests ?? 200000);
const TESTS = String(args.tests ?? 'set,get').split(',');
const PIPELINES = [1, 16];
const CLIENTS = 50;
const OUT = args.out ?? join(root, 'BENCHMARKS.md');

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) out[list[i].replace(/^--/, '')] = list[i + 1];
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPing(port) {
  for (let i = 0; i < 100; i++) {
    try {
      if (execFileSync('redis-cli', ['-p', String(port), 'ping']).toString().trim() === 'PONG') return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on port ${port} did not answer PING`);
}

async function startServers() {
  const dir = mkdtempSync(join(tmpdir(), 'replisim-bench-'));
  const redisPort = await freePort();
  const replisimPort = await freePort();
  const common = ['--bind', '127.0.0.1', '--save', '', '--dir', dir];
  const redis = spawn('redis-server', ['--port', String(redisPort), ...common, '--appendonly', 'no'], { stdio: 'ignore' });
  const replisim = spawn(process.execPath, [join(root, 'packages/server/bin/replisim-server.js'), '--port', String(replisimPort), ...common], { stdio: 'ignore' });
  await waitForPing(redisPort);
  await waitForPing(replisimPort);
  return {
    servers: [
      { name: 'redis', port: redisPort, process: redis },
      { name: 'replisim', port: replisimPort, process: replisim },
    ],
    stop() {
      redis.kill('SIGKILL');
      replisim.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one redis-benchmark test and returns requests per second (from its --csv output). */
function benchmark(port, test, pipeline) {
  const output = execFileSync(
    'redis-benchmark',
    ['-p', String(port), '-c', String(CLIENTS), '-n', String(REQUESTS), '-P', String(pipeline), '-t', test, '-r', '100000', '--csv'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  // --csv prints a header, then one line per test: "SET","84602.37","0.295",...
  const row = output.split('\n').find((line) => line.startsWith(`"${test.toUpperCase()}`));
  const rps = Number(row?.split(',')[1]?.replaceAll('"', ''));
  if (!Number.isFinite(rps) || rps <= 0) throw new Error(`cannot read redis-benchmark output: ${output}`);
  return rps;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main() {
  const { servers, stop } = await startServers();
  const results = [];
  try {
    for (const test of TESTS) {
      for (const pipeline of PIPELINES) {
        const samples = { redis: [], replisim: [] };
        for (let round = 0; round < ROUNDS; round++) {
          // Alternate which server goes first so a warming machine does not favour one side.
          const order = round % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) samples[server.name].push(benchmark(server.port, test, pipeline));
        }
        const redis = median(samples.redis);
        const replisim = median(samples.replisim);
        const row = { test: test.toUpperCase(), pipeline, redis, replisim, ratio: replisim / redis };
        results.push(row);
        process.stdout.write(`${row.test} -P ${pipeline}: redis ${Math.round(redis)} rps, replisim ${Math.round(replisim)} rps, ratio ${row.ratio.toFixed(2)}x\n`);
      }
    }
  } finally {
    stop();
  }
  writeReport(results);
}

function writeReport(results) {
  const marker = '<!-- throughput:begin -->';
  const end = '<!-- throughput:end -->';
  const redisVersion = execFileSync('redis-server', ['--version']).toString().match(/v=([0-9.]+)/)?.[1] ?? '?';
  const table = [
    marker,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, redis-server ${redisVersion}.`,
    `redis-benchmark -c ${CLIENTS} -n ${REQUESTS} -r 100000, median of ${ROUNDS} alternating rounds. The load generator shares the machine.`,
    '',
    '| test | pipeline | redis-server (req/s) | replisim (req/s) | replisim / redis |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.test} | -P ${r.pipeline} | ${Math.round(r.redis)} | ${Math.round(r.replisim)} | **${r.ratio.toFixed(2)}x** |`),
    end,
  ].join('\n');
  let text;
  try {
    text = readFileSync(OUT, 'utf8');
  } catch {
    text = '# Benchmarks\n\n## Throughput\n\n';
  }
  const start = text.indexOf(marker);
  const stop = text.indexOf(end);
  text = start >= 0 && stop > start ? text.slice(0, start) + table + text.slice(stop + end.length) : `${text}${table}\n`;
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT}\n`);
}

await main();
